//! The catalog: specs (portfolio projects), plans (weeks) and stacks, read
//! from the template tree. Pure data; no I/O beyond parsing bytes.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use heck::{ToKebabCase, ToUpperCamelCase};
use serde::{Deserialize, Serialize};

use crate::templates::Templates;

/// The folder under `features/<id>/` whose `files/` land once at the repo
/// root whatever the stacks (e.g. a deploy workflow for every service).
pub const COMMON_OVERLAY: &str = "common";

/// Feature ids every template can test with `features.<id>`.
pub const BASE_FEATURES: &[&str] = &[
    "redis",
    "jobs",
    "websockets",
    "metrics",
    "uploads",
    "aws_deploy",
];

/// Service names whose peer URL variable (`<NAME>_URL`) is a shared setting.
const SHARED_URL_NAMES: &[&str] = &["database", "redis"];

/// Databases folio knows how to wire up.
pub const DATABASES: &[&str] = &["postgresql", "mysql", "sqlite", "mongodb"];

/// A project folio can generate: a portfolio project, or a plan's week.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub default_name: String,
    /// Offered databases; the first is the default.
    pub databases: Vec<String>,
    #[serde(default)]
    pub requirements: Vec<String>,
    #[serde(default)]
    pub features: Vec<FeatureOption>,
    #[serde(default)]
    pub sections: Vec<Section>,
    pub services: Vec<ServiceSpec>,
    /// "project" for portfolio projects, "week" for a plan's week.
    #[serde(default = "project_kind", skip_deserializing)]
    pub kind: String,
    /// The plan and week this spec was made from, for weeks.
    #[serde(default, skip_deserializing)]
    pub plan: Option<PlanRef>,
}

fn project_kind() -> String {
    "project".into()
}

/// Which plan week a spec stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRef {
    pub id: String,
    pub title: String,
    pub week: u32,
}

/// An optional feature a spec offers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureOption {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub default: bool,
}

/// A titled README checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    pub items: Vec<String>,
}

/// One service of a spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub name: String,
    /// Offered stacks; the first is the default.
    pub stacks: Vec<String>,
    pub resource: Resource,
}

/// The resource a service exposes with full CRUD.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub name: String,
    pub plural: String,
    pub fields: Vec<Field>,
}

/// One field of a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub required: bool,
    /// Constraints (see constraints.rs): integer and decimal fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// String and text fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// String fields: an anchored, portable regular expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// String fields with a pattern: two different values that match it,
    /// used by the generated tests and documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub examples: Option<Vec<String>>,
}

/// Field types templates know how to map.
pub const FIELD_TYPES: &[&str] = &["string", "text", "integer", "decimal", "boolean"];

/// A training plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub weeks: Vec<Week>,
}

/// One week of a plan, and the starter folio makes for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Week {
    pub number: u32,
    pub title: String,
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub resources: Vec<String>,
    #[serde(default)]
    pub projects: Vec<String>,
    #[serde(default)]
    pub portfolio: Vec<String>,
    pub stacks: Vec<String>,
    pub databases: Vec<String>,
    #[serde(default)]
    pub features: Vec<String>,
    pub resource: Resource,
    #[serde(default)]
    pub days: Vec<Day>,
}

/// A block of days in an intensive week.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Day {
    pub days: String,
    pub title: String,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub project: String,
}

/// A stack: the facts and commands of one service skeleton.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stack {
    pub id: String,
    pub title: String,
    pub language: String,
    pub summary: String,
    pub port: u16,
    /// Folder in the service's image holding its SQLite file and uploads;
    /// compose keeps it in a named volume, shared with the worker.
    pub data_dir: String,
    pub databases: Vec<String>,
    pub dependabot: String,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    pub commands: Commands,
    /// Project names this stack cannot take: they would clash with a name the
    /// framework or its libraries define (Rails: the app's module `Rails`).
    #[serde(default)]
    pub reserved_names: Vec<String>,
    /// Whether a project may not be named like one of its resources (Rails:
    /// the app's module and the model class would be one constant).
    #[serde(default)]
    pub reserve_resource_names: bool,
    /// The background-job worker's command (argv, run in the service's image)
    /// when the `jobs` feature is on; compose runs it as `<service>-worker`.
    #[serde(default)]
    pub worker: Vec<String>,
}

/// Shell lines run in a service folder; the single source of truth for the
/// README's instructions and for verification.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commands {
    #[serde(default)]
    pub setup: Vec<String>,
    #[serde(default)]
    pub lint: Vec<String>,
    #[serde(default)]
    pub test: Vec<String>,
    #[serde(default)]
    pub migrate: Vec<String>,
    #[serde(default)]
    pub run: Vec<String>,
}

/// Everything folio can generate.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub specs: BTreeMap<String, Spec>,
    pub plans: BTreeMap<String, Plan>,
    pub stacks: BTreeMap<String, Stack>,
    /// Pinned GitHub Actions (`templates/actions.toml`).
    pub actions: BTreeMap<String, String>,
    /// Container images pinned by digest (`templates/images.toml`).
    pub images: BTreeMap<String, String>,
    /// (feature, stack) pairs that have an overlay under `features/`.
    pub overlays: std::collections::BTreeSet<(String, String)>,
    /// The template pack's name, and the spec and plan ids it defines or
    /// replaces (for `folio list` and `folio show`).
    pub pack: Option<(String, std::collections::BTreeSet<String>)>,
}

impl Catalog {
    /// Parses and cross-checks every spec, plan and stack in the template tree.
    pub fn load(templates: &Templates) -> Result<Self> {
        let specs = parse_all::<Spec>(templates, "specs/", |s| &s.id)?;
        let plans = parse_all::<Plan>(templates, "plans/", |p| &p.id)?;
        let mut stacks = BTreeMap::new();
        for dir in templates.folders("stacks/") {
            let key = format!("stacks/{dir}/stack.toml");
            if let Some(bytes) = templates.get(&key) {
                let origin = templates.origin(&key);
                let stack: Stack = parse_file(templates, &key, bytes)?;
                if stack.id == COMMON_OVERLAY {
                    bail!("{origin}: {COMMON_OVERLAY:?} cannot be a stack id: features/<id>/{COMMON_OVERLAY}/ holds overlays for every stack");
                }
                if stack.id != dir {
                    bail!(
                        "{origin}: id = {:?} must match its folder name {dir:?}",
                        stack.id
                    );
                }
                stacks.insert(stack.id.clone(), stack);
            }
        }
        let actions = match templates.get("actions.toml") {
            Some(bytes) => parse_file(templates, "actions.toml", bytes)?,
            None => BTreeMap::new(),
        };
        let images = match templates.get("images.toml") {
            Some(bytes) => parse_file(templates, "images.toml", bytes)?,
            None => BTreeMap::new(),
        };
        // A feature is available for a stack when it has templates for it;
        // for every stack when it has common files (its common partials
        // alone implement nothing).
        let mut overlays = std::collections::BTreeSet::new();
        for feature in templates.folders("features/") {
            for stack in templates.folders(&format!("features/{feature}/")) {
                let sub = if stack == COMMON_OVERLAY {
                    "files/"
                } else {
                    ""
                };
                if templates.has_files(&format!("features/{feature}/{stack}/{sub}")) {
                    overlays.insert((feature.clone(), stack));
                }
            }
        }
        let pack = templates.pack_name().map(|name| {
            let specs = specs.keys().map(|id| (id, format!("specs/{id}.toml")));
            let plans = plans.keys().map(|id| (id, format!("plans/{id}.toml")));
            let ids = specs
                .chain(plans)
                .filter(|(_, path)| templates.from_pack(path))
                .map(|(id, _)| id.clone())
                .collect();
            (name, ids)
        });
        let catalog = Catalog {
            pack,
            specs,
            plans,
            stacks,
            actions,
            images,
            overlays,
        };
        catalog.check(templates)?;
        Ok(catalog)
    }

    /// Every feature id templates may test: the base list plus any a spec or week names.
    pub fn feature_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = BASE_FEATURES.iter().map(|s| s.to_string()).collect();
        let named = self
            .specs
            .values()
            .flat_map(|s| s.features.iter().map(|f| f.id.clone()));
        let weekly = self
            .plans
            .values()
            .flat_map(|p| p.weeks.iter().flat_map(|w| w.features.clone()));
        for id in named.chain(weekly) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Whether `feature` has templates for `stack`, or for every stack
    /// (`features/<id>/common/`). A feature with none for the chosen stacks is
    /// not offered: folio never switches on a feature that would change nothing.
    pub fn feature_available(&self, feature: &str, stacks: &[&str]) -> bool {
        let has = |s: &str| {
            self.overlays
                .contains(&(feature.to_string(), s.to_string()))
        };
        has(COMMON_OVERLAY) || stacks.iter().any(|s| has(s))
    }

    /// Looks up a spec by id, or a week by `<plan>-week-<n>`.
    pub fn spec(&self, id: &str) -> Result<Spec> {
        if let Some(spec) = self.specs.get(id) {
            return Ok(spec.clone());
        }
        if let Some((plan, week)) = id.rsplit_once("-week-") {
            if let (Some(_), Ok(n)) = (self.plans.get(plan), week.parse::<u32>()) {
                return self.week_spec(plan, n);
            }
        }
        bail!(
            "no spec named {id:?}. Known specs: {}. Run `folio list` to see them with the plans' weeks.",
            self.specs.keys().cloned().collect::<Vec<_>>().join(", ")
        )
    }

    /// The pack's name when it defines or replaces this spec or plan id.
    pub fn pack_of(&self, id: &str) -> Option<&str> {
        self.pack
            .as_ref()
            .filter(|(_, ids)| ids.contains(id))
            .map(|(name, _)| name.as_str())
    }

    /// Every spec id, then every week id of every plan.
    pub fn all_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.specs.keys().cloned().collect();
        for plan in self.plans.values() {
            ids.extend(plan.weeks.iter().map(|w| week_id(&plan.id, w.number)));
        }
        ids
    }

    /// Looks up a plan by id.
    pub fn plan(&self, id: &str) -> Result<&Plan> {
        self.plans.get(id).with_context(|| {
            format!(
                "no plan named {id:?}. Known plans: {}.",
                self.plans.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        })
    }

    /// The one-service spec for a plan's week.
    pub fn week_spec(&self, plan_id: &str, number: u32) -> Result<Spec> {
        let plan = self.plan(plan_id)?;
        let week = plan
            .weeks
            .iter()
            .find(|w| w.number == number)
            .with_context(|| {
                format!(
                    "plan {plan_id:?} has no week {number}; pass --week 1 to {}",
                    plan.weeks.len()
                )
            })?;
        Ok(week_to_spec(plan, week))
    }

    /// Stack by id (ids were checked at load).
    pub fn stack(&self, id: &str) -> Result<&Stack> {
        self.stacks.get(id).with_context(|| {
            format!(
                "no stack named {id:?}. Known stacks: {}.",
                self.stacks.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        })
    }

    /// Specs in curriculum order: by the first plan week (standard plan
    /// first) that names them, then by id.
    pub fn specs_in_order(&self) -> Vec<&Spec> {
        let mut rank: BTreeMap<&str, usize> = BTreeMap::new();
        let plans = self
            .plans
            .get("standard")
            .into_iter()
            .chain(self.plans.values().filter(|p| p.id != "standard"));
        for (i, id) in plans
            .flat_map(|p| p.weeks.iter().flat_map(|w| w.portfolio.iter()))
            .enumerate()
        {
            rank.entry(id.as_str()).or_insert(i);
        }
        let mut specs: Vec<&Spec> = self.specs.values().collect();
        specs.sort_by_key(|s| {
            (
                rank.get(s.id.as_str()).copied().unwrap_or(usize::MAX),
                s.id.clone(),
            )
        });
        specs
    }

    /// Cross-checks ids so later stages can trust them.
    fn check(&self, templates: &Templates) -> Result<()> {
        for plan in self.plans.values() {
            let origin = templates.origin(&format!("plans/{}.toml", plan.id));
            if plan.weeks.is_empty() {
                bail!("{origin}: a plan needs at least one [[weeks]]");
            }
            let mut numbers = Vec::new();
            for week in &plan.weeks {
                if week.number == 0 || numbers.contains(&week.number) {
                    bail!(
                        "{origin}: week number {} is zero or used twice; number the weeks 1, 2, 3...",
                        week.number
                    );
                }
                numbers.push(week.number);
                if week.stacks.is_empty() {
                    bail!(
                        "{origin}: week {} offers no stacks; name at least one",
                        week.number
                    );
                }
            }
        }
        for spec in self.specs.values() {
            let origin = templates.origin(&format!("specs/{}.toml", spec.id));
            check_name(&spec.id).with_context(|| format!("{origin}: id {:?}", spec.id))?;
        }
        let mut all: Vec<Spec> = self.specs.values().cloned().collect();
        for plan in self.plans.values() {
            all.extend(plan.weeks.iter().map(|w| week_to_spec(plan, w)));
        }
        for spec in &all {
            let origin = match &spec.plan {
                Some(p) => format!(
                    "{} (week {})",
                    templates.origin(&format!("plans/{}.toml", p.id)),
                    p.week
                ),
                None => templates.origin(&format!("specs/{}.toml", spec.id)),
            };
            for service in &spec.services {
                for stack in &service.stacks {
                    let stacks = BTreeMap::from([(service.name.clone(), stack.clone())]);
                    self.check_project_name(spec, &stacks, &spec.default_name)
                        .with_context(|| {
                            format!("{origin}: default_name {:?}", spec.default_name)
                        })?;
                }
            }
            if spec.services.is_empty() {
                bail!("{origin}: a spec needs at least one [[services]]");
            }
            for db in &spec.databases {
                if !DATABASES.contains(&db.as_str()) {
                    bail!(
                        "{origin}: unknown database {db:?}; use one of {}",
                        DATABASES.join(", ")
                    );
                }
            }
            if spec.databases.is_empty() {
                bail!(
                    "{origin}: databases must name at least one of {}",
                    DATABASES.join(", ")
                );
            }
            let mut names = Vec::new();
            for service in &spec.services {
                check_name(&service.name)
                    .with_context(|| format!("{origin}: service name {:?}", service.name))?;
                if names.contains(&service.name) {
                    bail!("{origin}: two services are named {:?}", service.name);
                }
                if spec.services.len() > 1 && SHARED_URL_NAMES.contains(&service.name.as_str()) {
                    bail!(
                        "{origin}: a service named {:?} would get the URL variable of a shared setting ({}_URL); rename it",
                        service.name,
                        service.name.to_uppercase()
                    );
                }
                names.push(service.name.clone());
                if service.stacks.is_empty() {
                    bail!("{origin}: service {:?} offers no stacks", service.name);
                }
                for stack in &service.stacks {
                    self.stack(stack)
                        .with_context(|| format!("{origin}: service {:?}", service.name))?;
                }
                for field in &service.resource.fields {
                    if !FIELD_TYPES.contains(&field.kind.as_str()) {
                        bail!(
                            "{origin}: field {:?} has type {:?}; use one of {}",
                            field.name,
                            field.kind,
                            FIELD_TYPES.join(", ")
                        );
                    }
                    crate::constraints::check(field)
                        .with_context(|| format!("{origin}: service {:?}", service.name))?;
                }
            }
        }
        Ok(())
    }
}

/// The id of a plan's week, usable wherever a spec id is.
pub fn week_id(plan: &str, number: u32) -> String {
    format!("{plan}-week-{number}")
}

fn week_to_spec(plan: &Plan, week: &Week) -> Spec {
    let mut sections = Vec::new();
    if !week.topics.is_empty() {
        sections.push(Section {
            title: "Topics".into(),
            items: week.topics.clone(),
        });
    }
    for day in &week.days {
        let mut items = day.topics.clone();
        if !day.project.is_empty() {
            items.push(format!("Project: {}", day.project));
        }
        sections.push(Section {
            title: format!("Days {}: {}", day.days, day.title),
            items,
        });
    }
    if !week.resources.is_empty() {
        sections.push(Section {
            title: "Resources".into(),
            items: week.resources.clone(),
        });
    }
    let summary = if week.goal.is_empty() {
        format!("{}, week {}: {}", plan.title, week.number, week.title)
    } else {
        format!(
            "{}, week {}: {}. {}",
            plan.title, week.number, week.title, week.goal
        )
    };
    Spec {
        id: week_id(&plan.id, week.number),
        title: format!("Week {}: {}", week.number, week.title),
        summary,
        default_name: truncate_slug(&format!("week-{}-{}", week.number, slug(&week.title))),
        databases: week.databases.clone(),
        requirements: week.projects.clone(),
        features: week
            .features
            .iter()
            .map(|id| FeatureOption {
                id: id.clone(),
                title: id.replace('_', " "),
                default: true,
            })
            .collect(),
        sections,
        services: vec![ServiceSpec {
            name: "api".into(),
            stacks: week.stacks.clone(),
            resource: week.resource.clone(),
        }],
        kind: "week".into(),
        plan: Some(PlanRef {
            id: plan.id.clone(),
            title: plan.title.clone(),
            week: week.number,
        }),
    }
}

/// A title as a folder name: lowercase letters and digits, anything else a
/// single `-` ("PostgreSQL Mastery" -> "postgresql-mastery", "Node.js &
/// Express" -> "node-js-express"), unlike kebab case, which splits words at
/// capitals ("postgre-sql").
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn truncate_slug(slug: &str) -> String {
    let mut out = String::new();
    for part in slug.split('-').filter(|p| !p.is_empty()) {
        if out.len() + part.len() + 1 > 40 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out
}

impl Catalog {
    /// Checks a project name for a spec whose services use `stacks`
    /// (service -> stack id): the general rule, then what each stack reserves.
    pub fn check_project_name(
        &self,
        spec: &Spec,
        stacks: &BTreeMap<String, String>,
        name: &str,
    ) -> Result<()> {
        check_name(name)?;
        for service in &spec.services {
            let Some(stack) = stacks.get(&service.name).and_then(|id| self.stacks.get(id)) else {
                continue;
            };
            let resource = &service.resource;
            let taken = stack.reserved_names.iter().any(|r| r == name)
                || (stack.reserve_resource_names
                    && [&resource.name, &resource.plural]
                        .iter()
                        .any(|r| r.to_kebab_case() == name));
            if taken {
                bail!(
                    "cannot be used with the {} stack of the {} service: the app's module would be {}, a name {} or the service's own code already uses; pick another, e.g. {:?}",
                    stack.title,
                    service.name,
                    name.to_upper_camel_case(),
                    stack.title,
                    format!("{name}-app")
                );
            }
        }
        Ok(())
    }
}

/// Checks a project or service name: lowercase letters, digits and single
/// hyphens, starting with a letter, at most 64 characters.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        return Ok(());
    }
    let suggestion = truncate_slug(
        &name
            .to_kebab_case()
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', ""),
    );
    let hint = if suggestion.is_empty() || !suggestion.starts_with(|c: char| c.is_ascii_lowercase())
    {
        String::new()
    } else {
        format!(" (try {suggestion:?})")
    };
    bail!("is not a valid name: use lowercase letters, digits and hyphens, starting with a letter, at most 64 characters{hint}")
}

/// Checks a project description: one line of at most
/// [`limits::DESCRIPTION_CHARS`](crate::limits::DESCRIPTION_CHARS) characters,
/// with no control characters (newlines and NUL included) and no bidirectional
/// overrides, which would make a README or a source file read differently
/// from what it holds.
pub fn check_description(text: &str) -> Result<()> {
    let max = crate::limits::DESCRIPTION_CHARS;
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    {
        bail!("holds the control character {c:?}; a description is one line of plain text");
    }
    let chars = text.chars().count();
    if chars > max {
        bail!("is {chars} characters long; the limit is {max} (put the rest in the README)");
    }
    Ok(())
}

fn parse_all<T: for<'de> Deserialize<'de>>(
    templates: &Templates,
    folder: &str,
    id: impl Fn(&T) -> &String,
) -> Result<BTreeMap<String, T>> {
    let mut out = BTreeMap::new();
    for (path, bytes) in templates.under(folder) {
        let Some(stem) = path.strip_suffix(".toml") else {
            continue;
        };
        if stem.contains('/') {
            continue;
        }
        let key = format!("{folder}{path}");
        let origin = templates.origin(&key);
        let item: T = parse_file(templates, &key, bytes)?;
        if id(&item) != stem {
            bail!(
                "{origin}: id = {:?} must match the file name {stem:?}",
                id(&item)
            );
        }
        out.insert(stem.to_string(), item);
    }
    Ok(out)
}

/// A catalog file: a built-in one from the JSON build.rs stored (quicker
/// to read than TOML), a pack's as TOML.
fn parse_file<T: for<'de> Deserialize<'de>>(
    templates: &Templates,
    key: &str,
    bytes: &[u8],
) -> Result<T> {
    if !templates.from_pack(key) {
        if let Some(json) = crate::precompiled::catalog_json(key) {
            return serde_json::from_str(json)
                .with_context(|| format!("cannot read the built-in {key}"));
        }
    }
    parse(&templates.origin(key), bytes)
}

fn parse<T: for<'de> Deserialize<'de>>(origin: &str, bytes: &[u8]) -> Result<T> {
    let text = std::str::from_utf8(bytes).with_context(|| format!("{origin} is not UTF-8"))?;
    toml::from_str(text).with_context(|| format!("cannot parse {origin}"))
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_keep_words_whole() {
        assert_eq!(slug("PostgreSQL Mastery"), "postgresql-mastery");
        assert_eq!(slug("Node.js & Express"), "node-js-express");
        assert_eq!(slug("  FastAPI: Async APIs!  "), "fastapi-async-apis");
    }
}
