//! Answers + catalog -> blueprint: which template layers to apply, and the
//! values they are rendered with. Pure: no I/O, no randomness (secrets are
//! passed in).

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use heck::{ToShoutySnakeCase, ToTitleCase};
use serde::Serialize;
use serde_json::{json, Value};

use crate::answers::{supported_databases, Answers};
use crate::catalog::{Catalog, Spec, Stack};

/// Random values for the git-ignored `.env` files, made at the edge.
#[derive(Debug, Clone, Serialize)]
pub struct Secrets {
    pub secret_key: String,
    pub db_password: String,
}

impl Secrets {
    /// Fresh random secrets from the operating system.
    pub fn random() -> Result<Self> {
        Ok(Secrets {
            secret_key: random_hex(32)?,
            db_password: random_hex(16)?,
        })
    }
}

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)
        .map_err(|e| anyhow::anyhow!("cannot get random bytes for secrets: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// A folder of templates rendered into a folder of the output.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Prefix under `templates/`, ending in `/`.
    pub source: String,
    /// Prefix in the output, `""` or ending in `/`.
    pub dest: String,
    /// The render context.
    pub context: Value,
    /// An overlay may replace files of earlier layers.
    pub overlay: bool,
    /// The `partials/` folders its templates see, a later one's partial
    /// replacing an earlier one's of the same name.
    pub partials: Vec<String>,
}

/// One service of the repo being generated.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub dir: String,
    pub port: u16,
    pub stack: Stack,
}

/// Everything needed to render the repo.
#[derive(Debug, Clone)]
pub struct Blueprint {
    pub answers: Answers,
    pub spec: Spec,
    pub services: Vec<Service>,
    pub layers: Vec<Layer>,
    /// The generated secret values: a file holding one is private (mode 0600).
    pub secrets: Vec<String>,
}

/// Checks complete answers against the catalog and builds the blueprint.
pub fn blueprint(catalog: &Catalog, answers: Answers, secrets: &Secrets) -> Result<Blueprint> {
    let spec = answers.resolve_spec(catalog)?;
    let name = answers
        .name
        .clone()
        .unwrap_or_else(|| spec.default_name.clone());
    let chosen_stacks = spec
        .services
        .iter()
        .map(|s| {
            let stack = answers.stacks.get(&s.name).unwrap_or(&s.stacks[0]);
            (s.name.clone(), stack.clone())
        })
        .collect();
    if let Err(e) = catalog.check_project_name(&spec, &chosen_stacks, &name) {
        bail!("project name {name:?} {e}");
    }
    if let Some(text) = &answers.description {
        if let Err(e) = crate::catalog::check_description(text) {
            bail!("description {text:?} {e}");
        }
    }
    for service in answers.stacks.keys() {
        if !spec.services.iter().any(|s| &s.name == service) {
            bail!(
                "{} has no service named {service:?}; its services are: {}",
                spec.id,
                spec.services
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let mut services = Vec::new();
    let mut used_ports = Vec::new();
    for s in &spec.services {
        let stack_id = answers.stacks.get(&s.name).unwrap_or(&s.stacks[0]);
        if !s.stacks.contains(stack_id) {
            bail!(
                "the {} service of {} can be built with {}, not {stack_id:?}; pass --stack {}",
                s.name,
                spec.id,
                s.stacks.join(", "),
                if spec.services.len() == 1 {
                    s.stacks[0].clone()
                } else {
                    format!("{}={}", s.name, s.stacks[0])
                }
            );
        }
        let stack = catalog.stack(stack_id)?.clone();
        let mut port = stack.port;
        while used_ports.contains(&port) {
            port += 1;
        }
        used_ports.push(port);
        services.push(Service {
            name: s.name.clone(),
            dir: s.name.clone(),
            port,
            stack,
        });
    }

    let mut chosen = answers.clone();
    for s in &services {
        chosen.stacks.insert(s.name.clone(), s.stack.id.clone());
    }
    let offered = supported_databases(catalog, &spec, &chosen);
    let database = chosen
        .database
        .clone()
        .unwrap_or_else(|| offered.first().cloned().unwrap_or_default());
    if !offered.contains(&database) {
        bail!(
            "database {database:?} is not offered here: with these stacks {} offers {}; pass --db {}",
            spec.id,
            if offered.is_empty() { "none".to_string() } else { offered.join(", ") },
            offered.first().map(String::as_str).unwrap_or("...")
        );
    }
    let offered_features = crate::answers::offered_features(catalog, &spec, &chosen);
    let features = chosen.features.clone().unwrap_or_else(|| {
        offered_features
            .iter()
            .filter(|f| f.default)
            .map(|f| f.id.clone())
            .collect()
    });
    // Catalog order, whatever order they were given in: it decides which
    // overlay wins when two write the same file.
    let order = catalog.feature_ids();
    let mut features = features;
    features.sort_by_key(|f| order.iter().position(|o| o == f));
    features.dedup();
    for f in &features {
        if !offered_features.iter().any(|o| &o.id == f) {
            let ids: Vec<_> = offered_features.iter().map(|o| o.id.as_str()).collect();
            let planned = if spec.features.iter().any(|o| &o.id == f) {
                " with these stacks yet (its templates are still to come)"
            } else {
                ""
            };
            bail!(
                "feature {f:?} is not offered by {}{planned}; it offers: {}. Pass --with with those, or --with none",
                spec.id,
                if ids.is_empty() { "none".to_string() } else { ids.join(", ") }
            );
        }
    }
    chosen.spec = Some(spec.id.clone());
    chosen.name = Some(name.clone());
    chosen.description = Some(
        chosen
            .description
            .clone()
            .unwrap_or_else(|| spec.summary.clone()),
    );
    chosen.database = Some(database.clone());
    chosen.features = Some(features.clone());

    let feature_map: BTreeMap<String, bool> = catalog
        .feature_ids()
        .into_iter()
        .map(|id| (id.clone(), features.contains(&id)))
        .collect();
    let db_flags: BTreeMap<&str, bool> = crate::catalog::DATABASES
        .iter()
        .map(|d| (*d, *d == database))
        .collect();
    let service_values: Vec<Value> = services
        .iter()
        .zip(&spec.services)
        .map(|(s, spec_s)| service_value(s, &spec_s.resource))
        .collect();
    let base = json!({
        "project": {
            "name": name,
            "title": title(&name),
            "description": chosen.description,
            "description_line": crate::helpers::md_line(chosen.description.as_deref().unwrap_or_default()),
            "folio_version": env!("CARGO_PKG_VERSION"),
        },
        "spec": {
            "id": spec.id,
            "title": spec.title,
            "summary": spec.summary,
            "kind": spec.kind,
            "requirements": spec.requirements,
            "sections": spec.sections,
        },
        "plan": spec.plan,
        "database": database,
        "db": db_flags,
        "features": feature_map,
        "uses": {
            "redis": features.iter().any(|f| f == "redis" || f == "jobs"),
            "database_server": database != "sqlite",
            "sql_server": database == "postgresql" || database == "mysql",
            "sql": database != "mongodb",
        },
        "secrets": secrets,
        "actions": catalog.actions,
        "images": catalog.images,
        "services": service_values,
        "multi_service": service_values.len() > 1,
    });

    // Partials: common's, then each feature's common ones, then (in a
    // service) its stack's, then each feature's for that stack.
    let common = crate::catalog::COMMON_OVERLAY;
    let mut common_partials = vec!["common/partials/".to_string()];
    common_partials.extend(
        features
            .iter()
            .map(|f| format!("features/{f}/{common}/partials/")),
    );
    let mut layers = vec![Layer {
        source: "common/files/".into(),
        dest: String::new(),
        context: base.clone(),
        overlay: false,
        partials: common_partials.clone(),
    }];
    layers.extend(features.iter().map(|f| Layer {
        source: format!("features/{f}/{common}/files/"),
        dest: String::new(),
        context: base.clone(),
        overlay: true,
        partials: common_partials.clone(),
    }));
    for (s, value) in services.iter().zip(&service_values) {
        let mut ctx = base.clone();
        ctx["service"] = value.clone();
        ctx["service"]["peers"] = peers_value(s, &services);
        ctx["resource"] = value["resource"].clone();
        let dir = format!("{}/", s.dir);
        let stack = &s.stack.id;
        // The stack, then each feature's overlay of it: `files/` lands in the
        // service folder, `root/` at the repo root.
        let mut sources = vec![(format!("stacks/{stack}/"), false)];
        sources.extend(
            features
                .iter()
                .map(|f| (format!("features/{f}/{stack}/"), true)),
        );
        let mut partials = common_partials.clone();
        partials.extend(
            sources
                .iter()
                .map(|(prefix, _)| format!("{prefix}partials/")),
        );
        for (prefix, overlay) in sources {
            for (sub, dest) in [("files/", dir.clone()), ("root/", String::new())] {
                layers.push(Layer {
                    source: format!("{prefix}{sub}"),
                    dest,
                    context: ctx.clone(),
                    overlay,
                    partials: partials.clone(),
                });
            }
        }
    }
    Ok(Blueprint {
        answers: chosen,
        spec,
        services,
        layers,
        secrets: vec![secrets.secret_key.clone(), secrets.db_password.clone()],
    })
}

/// The other services of the repo, as this service sees them: each one's
/// name, the environment variable holding its base URL, that URL inside
/// compose and on the host (for local runs), and its stack id.
fn peers_value(me: &Service, services: &[Service]) -> Value {
    services
        .iter()
        .filter(|s| s.name != me.name)
        .map(|s| {
            json!({
                "name": s.name,
                "env": format!("{}_URL", s.name.to_shouty_snake_case()),
                "url": format!("http://{}:{}", s.name, s.stack.port),
                "local_url": format!("http://localhost:{}", s.port),
                "stack": s.stack.id,
            })
        })
        .collect()
}

/// A project name as a title: `shop-api` -> `Shop API`.
fn title(name: &str) -> String {
    const ACRONYMS: &[&str] = &["api", "aws", "etl", "jwt", "sql", "ui", "id", "ci", "cd"];
    name.to_title_case()
        .split(' ')
        .map(|w| {
            if ACRONYMS.contains(&w.to_lowercase().as_str()) {
                w.to_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn service_value(s: &Service, resource: &crate::catalog::Resource) -> Value {
    json!({
        "name": s.name,
        "dir": s.dir,
        "port": s.port,
        "stack": s.stack,
        "resource": {
            "name": resource.name,
            "plural": resource.plural,
            "title": resource.name.to_title_case(),
            "fields": resource.fields,
        },
    })
}
