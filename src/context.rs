//! The render context: every value a template sees, as Rust types. This is
//! the contract with templates and template packs; docs/templates.md ("The
//! render context") documents each field, and a test checks the two agree.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Field, PlanRef, Section, Stack};
use crate::constraints::{self, Rules};
use crate::resolve::Secrets;
use crate::roster::Learner;

/// What every template sees; files of a service also see `service` and
/// `resource`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Context {
    pub project: Project,
    pub spec: SpecInfo,
    /// The plan and week, when the project is a plan's week.
    pub plan: Option<PlanRef>,
    /// The learner the repo is for (`folio cohort new`): `{ id, name }`.
    pub learner: Option<Learner>,
    /// `postgresql`, `mysql`, `sqlite` or `mongodb`.
    pub database: String,
    /// One boolean per database folio knows; exactly one is true.
    pub db: BTreeMap<String, bool>,
    /// One boolean per feature id folio knows.
    pub features: BTreeMap<String, bool>,
    pub uses: Uses,
    pub secrets: Secrets,
    /// Pinned GitHub Actions (`templates/actions.toml`).
    pub actions: BTreeMap<String, String>,
    /// Container images pinned by digest (`templates/images.toml`).
    pub images: BTreeMap<String, String>,
    /// Every service of the repo (without `peers`).
    pub services: Vec<ServiceInfo>,
    /// More than one service: a gateway, a database per service.
    pub multi_service: bool,
    /// The service a stack's file belongs to (with its `peers`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceInfo>,
    /// Shorthand for `service.resource`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceInfo>,
}

/// The project's names and description.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    /// kebab-case slug, e.g. `shop-api`.
    pub name: String,
    /// Human title, e.g. `Shop API`.
    pub title: String,
    /// Free text from the user (one line, no control characters): escape it.
    pub description: String,
    /// The description as one Markdown line.
    pub description_line: String,
    pub folio_version: String,
}

/// The spec (portfolio project or week) being generated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecInfo {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// `project` or `week`.
    pub kind: String,
    /// The README checklist.
    pub requirements: Vec<String>,
    /// Extra README checklists.
    pub sections: Vec<Section>,
}

/// Facts derived once from the answers, so templates need no `(or ...)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uses {
    /// A Redis server is needed (features redis or jobs).
    pub redis: bool,
    /// The database is a server (not SQLite).
    pub database_server: bool,
    /// PostgreSQL or MySQL.
    pub sql_server: bool,
    /// A SQL database (not MongoDB).
    pub sql: bool,
}

/// One service of the repo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceInfo {
    pub name: String,
    /// Its folder in the repo.
    pub dir: String,
    /// Its host port (unique in the repo).
    pub port: u16,
    /// Its stack's `stack.toml`.
    pub stack: Stack,
    pub resource: ResourceInfo,
    /// The repo's other services, as this one calls them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peers: Option<Vec<Peer>>,
}

/// The resource a service serves with full CRUD.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceInfo {
    /// snake_case singular, e.g. `product`.
    pub name: String,
    /// snake_case plural, e.g. `products`.
    pub plural: String,
    /// e.g. `Product`.
    pub title: String,
    pub fields: Vec<FieldInfo>,
}

/// One field of a resource, with the rules every stack enforces on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldInfo {
    pub name: String,
    /// `string`, `text`, `integer`, `decimal` or `boolean`.
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    #[serde(flatten)]
    pub rules: Rules,
    /// A valid value, and a different valid one (for an update), as JSON.
    pub example: serde_json::Value,
    pub changed: serde_json::Value,
}

impl From<&Field> for FieldInfo {
    fn from(field: &Field) -> Self {
        let (example, changed) = constraints::examples(field);
        FieldInfo {
            name: field.name.clone(),
            kind: field.kind.clone(),
            required: field.required,
            rules: constraints::rules(field),
            example,
            changed,
        }
    }
}

/// Another service of the repo, as seen by one service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peer {
    pub name: String,
    /// The variable holding its base URL, e.g. `CATALOG_URL`.
    pub env: String,
    /// Its URL inside compose, e.g. `http://catalog:8000`.
    pub url: String,
    /// Its URL on the host, e.g. `http://localhost:8001`.
    pub local_url: String,
    /// Its stack id.
    pub stack: String,
}

#[cfg(test)]
mod tests {
    //! docs/templates.md and [`Context`] must agree.

    use super::*;

    /// Every field path of a JSON value, maps' keys as `<key>`, list items
    /// as `[]`.
    fn paths(prefix: &str, value: &serde_json::Value, map_like: bool, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let seg = if map_like { "<key>" } else { k.as_str() };
                    let path = if prefix.is_empty() {
                        seg.to_string()
                    } else {
                        format!("{prefix}.{seg}")
                    };
                    let maps = ["db", "features", "actions", "images"];
                    let nested = v.is_object()
                        || v.as_array()
                            .is_some_and(|a| a.first().is_some_and(|f| f.is_object()));
                    // stack.toml and the services list are documented as a whole.
                    let whole = path == "service.stack" || path == "services";
                    if !nested || map_like || whole {
                        out.push(path.clone());
                    } else {
                        paths(&path, v, maps.contains(&path.as_str()), out);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                if let Some(first) = items.first() {
                    paths(&format!("{prefix}[]"), first, false, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_documented_context_is_the_real_one() {
        let templates = crate::templates::Templates::embedded();
        let catalog = crate::catalog::Catalog::load(&templates).unwrap();
        let answers = crate::answers::Answers {
            spec: Some("microservices".into()),
            ..Default::default()
        };
        let resolved =
            crate::answers::complete(&catalog, answers, &mut crate::answers::Defaults).unwrap();
        let secrets = Secrets {
            secret_key: String::new(),
            db_password: String::new(),
        };
        let bp = crate::resolve::blueprint(&catalog, &resolved, &secrets);
        let service_layer = bp
            .layers
            .iter()
            .find(|l| l.context.service.is_some())
            .unwrap();
        let value = serde_json::to_value(&*service_layer.context).unwrap();
        let mut found = Vec::new();
        paths("", &value, false, &mut found);

        let docs =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/templates.md"))
                .unwrap();
        // The code blocks of the section.
        let section: String = docs
            .split("## The render context")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .unwrap()
            .split("```")
            .skip(1)
            .step_by(2)
            .collect::<Vec<_>>()
            .join("\n");
        // Normalize the documentation's spellings: `features.<id>` is a map,
        // `.fields[]` a list; continuation lines name a field under the
        // path above them.
        let words: Vec<String> = section
            .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
            .map(|w| {
                w.trim_matches('`')
                    .replace("<id>", "<key>")
                    .replace("<name>", "<key>")
            })
            .collect();
        let documented = |path: &str| {
            let last = path.rsplit('.').next().unwrap();
            let in_list = path.contains("[]");
            words.iter().any(|w| {
                w == path
                    || w == &format!("{path}[]")
                    || w == &format!(".{last}")
                    || w == &format!(".{last}[]")
                    || (in_list && (w == last || w == &format!("{last}[]")))
                    || path
                        .strip_suffix("<key>")
                        .is_some_and(|parent| w.starts_with(parent))
            })
        };
        let missing: Vec<&String> = found.iter().filter(|p| !documented(p)).collect();
        assert!(
            missing.is_empty(),
            "docs/templates.md does not document these context values: {missing:?}"
        );
        // And everything the docs name at the start of a line exists.
        for line in section
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        {
            let first = line
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches("[]");
            let first = first.replace("<id>", "<key>").replace("<name>", "<key>");
            assert!(
                found.iter().any(|p| p == &first
                    || p.starts_with(&format!("{first}."))
                    || p.starts_with(&format!("{first}[]"))
                    || p.strip_suffix("<key>")
                        .is_some_and(|parent| first.starts_with(parent))),
                "docs/templates.md documents {first:?}, which the context does not have"
            );
        }
    }
}
