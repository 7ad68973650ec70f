//! Answers: every choice of a `folio new` run, and the questions that fill the
//! ones the user did not give. The same TOML shape is read by `--answers FILE`
//! and written to `.folio/answers.toml` in the generated repo.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, FeatureOption, Spec};

/// The user's choices. Every field is optional while answers are being
/// gathered; [`complete`] fills the rest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// The folio version that wrote these answers (set when stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folio_version: Option<String>,
    /// A spec id, or a week id such as `intensive-week-5`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub week: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<String>>,
    /// Stack per service name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub stacks: BTreeMap<String, String>,
    /// The template pack that was used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<crate::templates::PackRef>,
    /// The learner the repo was made for (`folio cohort new`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner: Option<crate::roster::Learner>,
}

impl Answers {
    /// Reads an answers file (the shape of `.folio/answers.toml`).
    pub fn from_file(path: &Path) -> Result<Self> {
        let bytes =
            crate::untrusted::read_named_file(path, crate::limits::ANSWERS_FILE, "answers file")?;
        let text = String::from_utf8(bytes)
            .with_context(|| format!("answers file {} is not UTF-8", path.display()))?;
        toml::from_str(&text).with_context(|| {
            format!(
                "cannot parse answers file {} (expected the shape of a generated repo's .folio/answers.toml)",
                path.display()
            )
        })
    }

    /// Values set here win over `base`.
    pub fn over(self, base: Answers) -> Answers {
        let mut stacks = base.stacks;
        stacks.extend(self.stacks);
        Answers {
            folio_version: self.folio_version.or(base.folio_version),
            spec: self.spec.or(base.spec),
            plan: self.plan.or(base.plan),
            week: self.week.or(base.week),
            name: self.name.or(base.name),
            description: self.description.or(base.description),
            database: self.database.or(base.database),
            features: self.features.or(base.features),
            stacks,
            pack: self.pack.or(base.pack),
            learner: self.learner.or(base.learner),
        }
    }

    /// The answers as stored in a generated repo.
    pub fn to_toml(&self) -> String {
        let mut stored = self.clone();
        stored.folio_version = Some(env!("CARGO_PKG_VERSION").to_string());
        let body = toml::to_string_pretty(&stored).expect("answers serialize to TOML");
        format!(
            "# Written by folio: every answer that made this repo.\n# `folio new --answers .folio/answers.toml DIR` makes it again.\n{body}"
        )
    }

    /// The spec these answers name (a week's spec when plan and week are set).
    pub fn resolve_spec(&self, catalog: &Catalog) -> Result<Spec> {
        match (&self.spec, &self.plan, self.week) {
            (Some(id), _, _) => catalog.spec(id),
            (None, Some(plan), Some(week)) => catalog.week_spec(plan, week),
            (None, Some(plan), None) => bail!("--plan {plan} needs --week N too"),
            (None, None, Some(_)) => bail!("--week needs --plan too (standard or intensive)"),
            (None, None, None) => {
                bail!("no project chosen: pass a SPEC (see `folio list`) or --plan P --week N")
            }
        }
    }
}

/// One choice among options.
#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// A question folio may need to ask, with the flag that answers it instead.
#[derive(Debug, Clone)]
pub enum Question {
    /// Pick one option; `default` indexes `options`.
    Select {
        prompt: String,
        flag: String,
        options: Vec<Choice>,
        default: usize,
    },
    /// Pick any options; `defaults` says which start checked.
    Multi {
        prompt: String,
        flag: String,
        options: Vec<Choice>,
        defaults: Vec<bool>,
    },
    /// Free text with a default and a validator.
    Text {
        prompt: String,
        flag: String,
        default: String,
        validate: Validate,
    },
}

/// A check of a typed answer.
type Check = dyn Fn(&str) -> Result<()>;

/// Checks a text answer; the wizard asks again while it fails.
#[derive(Clone)]
pub struct Validate(pub Rc<Check>);

impl Validate {
    pub fn new(check: impl Fn(&str) -> Result<()> + 'static) -> Self {
        Validate(Rc::new(check))
    }
}

impl std::fmt::Debug for Validate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Validate")
    }
}

impl Question {
    /// The flag that answers this question.
    pub fn flag(&self) -> &str {
        match self {
            Question::Select { flag, .. }
            | Question::Multi { flag, .. }
            | Question::Text { flag, .. } => flag,
        }
    }
}

/// What answers a question: the wizard, the defaults (`--yes`), or nobody.
pub trait Asker {
    /// Returns the chosen option id.
    fn select(&mut self, q: &Question) -> Result<String>;
    /// Returns the chosen option ids.
    fn multi(&mut self, q: &Question) -> Result<Vec<String>>;
    /// Returns the text.
    fn text(&mut self, q: &Question) -> Result<String>;
}

/// Answers every question with its default (`--yes`).
pub struct Defaults;

impl Asker for Defaults {
    fn select(&mut self, q: &Question) -> Result<String> {
        match q {
            Question::Select {
                options, default, ..
            } => Ok(options[*default].id.clone()),
            _ => unreachable!("select on a non-select question"),
        }
    }
    fn multi(&mut self, q: &Question) -> Result<Vec<String>> {
        match q {
            Question::Multi {
                options, defaults, ..
            } => Ok(options
                .iter()
                .zip(defaults)
                .filter(|(_, on)| **on)
                .map(|(o, _)| o.id.clone())
                .collect()),
            _ => unreachable!("multi on a non-multi question"),
        }
    }
    fn text(&mut self, q: &Question) -> Result<String> {
        match q {
            Question::Text { default, .. } => Ok(default.clone()),
            _ => unreachable!("text on a non-text question"),
        }
    }
}

/// With no terminal and no `--yes`: notes each question's flag, answers with
/// the default so the others can be listed too, and [`Unattended::finish`]
/// fails naming every missing flag.
#[derive(Default)]
pub struct Unattended {
    missing: Vec<String>,
}

impl Unattended {
    /// Fails if any question was asked.
    pub fn finish(self) -> Result<()> {
        if self.missing.is_empty() {
            return Ok(());
        }
        bail!(
            "no terminal to ask questions, and these answers are missing: {}.\nPass them as flags, or pass --yes to accept the defaults (see `folio new --help`).",
            self.missing.join(", ")
        )
    }
}

impl Asker for Unattended {
    fn select(&mut self, q: &Question) -> Result<String> {
        self.missing.push(q.flag().to_string());
        Defaults.select(q)
    }
    fn multi(&mut self, q: &Question) -> Result<Vec<String>> {
        self.missing.push(q.flag().to_string());
        Defaults.multi(q)
    }
    fn text(&mut self, q: &Question) -> Result<String> {
        self.missing.push(q.flag().to_string());
        Defaults.text(q)
    }
}

/// Fills every missing answer by asking `asker`, in wizard order: project
/// (spec, or plan then week), stacks, database, features, name, description.
/// Questions that do not apply (one option, or already answered) are skipped.
pub fn complete(
    catalog: &Catalog,
    mut answers: Answers,
    asker: &mut dyn Asker,
) -> Result<Resolved> {
    check_given(catalog, &answers)?;
    if answers.spec.is_none() && answers.plan.is_none() {
        let kinds = vec![
            Choice {
                id: "project".into(),
                label: "A portfolio project".into(),
            },
            Choice {
                id: "week".into(),
                label: "A week of a training plan".into(),
            },
        ];
        let q = Question::Select {
            prompt: "What do you want to start?".into(),
            flag: "SPEC (or --plan and --week)".into(),
            options: kinds,
            default: 0,
        };
        if asker.select(&q)? == "project" {
            let options = catalog
                .specs_in_order()
                .into_iter()
                .map(|s| Choice {
                    id: s.id.clone(),
                    label: format!("{} — {}", s.title, s.summary),
                })
                .collect();
            let q = Question::Select {
                prompt: "Which project?".into(),
                flag: "SPEC".into(),
                options,
                default: 0,
            };
            answers.spec = Some(asker.select(&q)?);
        } else {
            let options = catalog
                .plans
                .values()
                .map(|p| Choice {
                    id: p.id.clone(),
                    label: format!("{} — {}", p.title, p.summary),
                })
                .collect();
            let q = Question::Select {
                prompt: "Which plan?".into(),
                flag: "--plan".into(),
                options,
                default: 0,
            };
            answers.plan = Some(asker.select(&q)?);
        }
    }
    if let (None, Some(plan_id), None) = (&answers.spec, &answers.plan, answers.week) {
        let plan = catalog.plan(plan_id)?;
        let options = plan
            .weeks
            .iter()
            .map(|w| Choice {
                id: w.number.to_string(),
                label: format!("Week {}: {}", w.number, w.title),
            })
            .collect();
        let q = Question::Select {
            prompt: "Which week?".into(),
            flag: "--week".into(),
            options,
            default: 0,
        };
        answers.week = Some(asker.select(&q)?.parse().context("week number")?);
    }
    let spec = answers.resolve_spec(catalog)?;
    if answers.spec.is_none() {
        answers.spec = Some(spec.id.clone());
    }
    if let Some(plan) = &spec.plan {
        answers.plan = Some(plan.id.clone());
        answers.week = Some(plan.week);
    }

    if let Some(stack) = answers.stacks.remove("") {
        match spec.services.as_slice() {
            [only] => {
                answers.stacks.entry(only.name.clone()).or_insert(stack);
            }
            many => bail!(
                "{} has several services ({}); name the one you mean: --stack SERVICE={stack}",
                spec.id,
                many.iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    for service in &spec.services {
        if answers.stacks.contains_key(&service.name) {
            continue;
        }
        if service.stacks.len() == 1 {
            answers
                .stacks
                .insert(service.name.clone(), service.stacks[0].clone());
            continue;
        }
        let options = service
            .stacks
            .iter()
            .map(|id| {
                let label = catalog
                    .stack(id)
                    .map(|s| format!("{} — {}", s.title, s.summary))
                    .unwrap_or_else(|_| id.clone());
                Choice {
                    id: id.clone(),
                    label,
                }
            })
            .collect();
        let (prompt, flag) = if spec.services.len() == 1 {
            (
                "Which stack?".to_string(),
                format!("--stack ({})", service.stacks.join("|")),
            )
        } else {
            (
                format!("Which stack for the {} service?", service.name),
                format!("--stack {}=({})", service.name, service.stacks.join("|")),
            )
        };
        let q = Question::Select {
            prompt,
            flag,
            options,
            default: 0,
        };
        let stack = asker.select(&q)?;
        answers.stacks.insert(service.name.clone(), stack);
    }

    if answers.database.is_none() {
        let offered = supported_databases(catalog, &spec, &answers);
        match offered.len() {
            0 => bail!(
                "the chosen stacks share no database that {} offers ({}); choose other stacks with --stack",
                spec.id,
                spec.databases.join(", ")
            ),
            1 => answers.database = Some(offered[0].clone()),
            _ => {
                let options = offered.iter().map(|d| Choice { id: d.clone(), label: database_label(d).into() }).collect();
                let q = Question::Select {
                    prompt: "Which database?".into(),
                    flag: format!("--db ({})", offered.join("|")),
                    options,
                    default: 0,
                };
                answers.database = Some(asker.select(&q)?);
            }
        }
    }

    if answers.features.is_none() {
        let offered = offered_features(catalog, &spec, &answers);
        if offered.is_empty() {
            answers.features = Some(Vec::new());
        } else {
            let options = offered
                .iter()
                .map(|f| Choice {
                    id: f.id.clone(),
                    label: f.title.clone(),
                })
                .collect();
            let defaults = offered.iter().map(|f| f.default).collect();
            let ids: Vec<_> = offered.iter().map(|f| f.id.as_str()).collect();
            let q = Question::Multi {
                prompt: "Which optional features? (space toggles, enter accepts)".into(),
                flag: format!("--with ({}, comma-separated, or none)", ids.join("|")),
                options,
                defaults,
            };
            answers.features = Some(asker.multi(&q)?);
        }
    }

    if answers.name.is_none() {
        let (catalog, for_spec, stacks) = (catalog.clone(), spec.clone(), answers.stacks.clone());
        let q = Question::Text {
            prompt: "Project name".into(),
            flag: "--name".into(),
            default: spec.default_name.clone(),
            validate: Validate::new(move |name| {
                catalog.check_project_name(&for_spec, &stacks, name)
            }),
        };
        answers.name = Some(asker.text(&q)?);
    }
    if answers.description.is_none() {
        let q = Question::Text {
            prompt: "One-line description".into(),
            flag: "--description".into(),
            default: default_description(
                catalog,
                &spec,
                &answers.stacks,
                answers.database.as_deref(),
            ),
            validate: Validate::new(crate::catalog::check_description),
        };
        answers.description = Some(asker.text(&q)?);
    }
    check_choices(catalog, spec, answers)
}

/// Every answer, checked against the catalog: what the blueprint is made
/// from. Nothing in it is optional, and nothing in it can be refused later.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub spec: Spec,
    /// The stack id of every service of the spec.
    pub stacks: BTreeMap<String, String>,
    pub database: String,
    /// Feature ids in catalog order (the order overlays are applied in).
    pub features: Vec<String>,
    pub name: String,
    pub description: String,
    /// The learner the repo is for, in a cohort.
    pub learner: Option<crate::roster::Learner>,
}

impl Resolved {
    /// The answers as a generated repo stores them.
    pub fn answers(&self) -> Answers {
        Answers {
            folio_version: None,
            spec: Some(self.spec.id.clone()),
            plan: self.spec.plan.as_ref().map(|p| p.id.clone()),
            week: self.spec.plan.as_ref().map(|p| p.week),
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            database: Some(self.database.clone()),
            features: Some(self.features.clone()),
            stacks: self.stacks.clone(),
            pack: None,
            learner: self.learner.clone(),
        }
    }
}

/// Checks that the template pack recorded in answers (`recorded`) is the one
/// given now (`current`): fails when it is missing, and returns a note when
/// its contents changed since.
pub fn check_pack(
    recorded: Option<&crate::templates::PackRef>,
    current: Option<&crate::templates::PackRef>,
) -> Result<Option<String>> {
    match (recorded, current) {
        (Some(r), None) => bail!(
            "these answers were made with the template pack {} (sha256 {}), which was not given; pass it with --templates {} (or FOLIO_TEMPLATES)",
            r.source,
            &r.sha256[..12.min(r.sha256.len())],
            r.source
        ),
        (Some(r), Some(c)) if r.sha256 != c.sha256 => Ok(Some(format!(
            "the template pack {} has changed since these answers were made (sha256 {} then, {} now)",
            c.source,
            &r.sha256[..12.min(r.sha256.len())],
            &c.sha256[..12]
        ))),
        _ => Ok(None),
    }
}

/// Checks every value given by flags or an answers file, before any
/// question is asked: what needs no project first (names, known stacks,
/// databases and features), then, when the project is known, what it offers.
fn check_given(catalog: &Catalog, answers: &Answers) -> Result<()> {
    if let Some(learner) = &answers.learner {
        crate::roster::check_id(&learner.id)
            .map_err(|e| anyhow::anyhow!("learner id {:?} {e}", learner.id))?;
        crate::roster::check_name(&learner.name)
            .map_err(|e| anyhow::anyhow!("learner name {:?} {e}", learner.name))?;
    }
    if let Some(name) = &answers.name {
        crate::catalog::check_name(name).map_err(|e| anyhow::anyhow!("--name {name:?} {e}"))?;
    }
    if let Some(text) = &answers.description {
        crate::catalog::check_description(text)
            .map_err(|e| anyhow::anyhow!("--description {text:?} {e}"))?;
    }
    if let Some(db) = &answers.database {
        if !crate::catalog::DATABASES.contains(&db.as_str()) {
            bail!(
                "--db {db:?} is not a database folio knows; use one of {}",
                crate::catalog::DATABASES.join(", ")
            );
        }
    }
    let known = catalog.feature_ids();
    for f in answers.features.iter().flatten() {
        if !known.contains(f) {
            bail!(
                "--with {f:?} is not a feature folio knows; features are {} (see `folio show SPEC` for a project's)",
                known.join(", ")
            );
        }
    }
    if let Some(plan) = &answers.plan {
        catalog.plan(plan)?;
    }
    if answers.spec.is_none() && !(answers.plan.is_some() && answers.week.is_some()) {
        // No project yet: the stacks must at least exist.
        for (service, stack) in &answers.stacks {
            let flag = match service.as_str() {
                "" => format!("--stack {stack}"),
                s => format!("--stack {s}={stack}"),
            };
            catalog
                .stack(stack)
                .map_err(|e| anyhow::anyhow!("{flag}: {e}"))?;
        }
        return Ok(());
    }
    let spec = answers.resolve_spec(catalog)?;
    for (service, stack) in &answers.stacks {
        let offered = match spec.services.iter().find(|s| &s.name == service) {
            Some(s) => &s.stacks,
            None if service.is_empty() && spec.services.len() == 1 => &spec.services[0].stacks,
            None if service.is_empty() => continue,
            None => bail!(
                "{} has no service named {service:?}; its services are: {}",
                spec.id,
                service_names(&spec)
            ),
        };
        if !offered.contains(stack) {
            bail!(
                "the {} service of {} can be built with {}, not {stack:?}; pass --stack {}",
                if service.is_empty() {
                    &spec.services[0].name
                } else {
                    service
                },
                spec.id,
                offered.join(", "),
                offered[0]
            );
        }
    }
    if let Some(db) = &answers.database {
        if !spec.databases.contains(db) {
            bail!(
                "--db {db}: {} offers {}",
                spec.id,
                spec.databases.join(", ")
            );
        }
    }
    for f in answers.features.iter().flatten() {
        if !spec.features.iter().any(|o| &o.id == f) {
            let ids: Vec<_> = spec.features.iter().map(|o| o.id.as_str()).collect();
            bail!(
                "--with {f}: {} offers {}",
                spec.id,
                if ids.is_empty() {
                    "no optional features".to_string()
                } else {
                    ids.join(", ")
                }
            );
        }
    }
    Ok(())
}

fn service_names(spec: &Spec) -> String {
    spec.services
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the completed answers together (the chosen stacks decide which
/// databases and features are offered) and resolves them.
fn check_choices(catalog: &Catalog, spec: Spec, answers: Answers) -> Result<Resolved> {
    for service in answers.stacks.keys() {
        if !spec.services.iter().any(|s| &s.name == service) {
            bail!(
                "{} has no service named {service:?}; its services are: {}",
                spec.id,
                service_names(&spec)
            );
        }
    }
    let mut stacks = BTreeMap::new();
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
        catalog.stack(stack_id)?;
        stacks.insert(s.name.clone(), stack_id.clone());
    }
    let chosen = Answers {
        stacks: stacks.clone(),
        ..Answers::default()
    };
    let name = answers.name.unwrap_or_else(|| spec.default_name.clone());
    if let Err(e) = catalog.check_project_name(&spec, &stacks, &name) {
        bail!("project name {name:?} {e}");
    }
    let description = answers.description.unwrap_or_else(|| {
        let database = answers.database.clone().or_else(|| {
            supported_databases(catalog, &spec, &chosen)
                .first()
                .cloned()
        });
        default_description(catalog, &spec, &stacks, database.as_deref())
    });
    if let Err(e) = crate::catalog::check_description(&description) {
        bail!("description {description:?} {e}");
    }
    let offered = supported_databases(catalog, &spec, &chosen);
    let database = answers
        .database
        .unwrap_or_else(|| offered.first().cloned().unwrap_or_default());
    if !offered.contains(&database) {
        bail!(
            "database {database:?} is not offered here: with these stacks {} offers {}; pass --db {}",
            spec.id,
            if offered.is_empty() { "none".to_string() } else { offered.join(", ") },
            offered.first().map(String::as_str).unwrap_or("...")
        );
    }
    let offered_features = offered_features(catalog, &spec, &chosen);
    let mut features = answers.features.unwrap_or_else(|| {
        offered_features
            .iter()
            .filter(|f| f.default)
            .map(|f| f.id.clone())
            .collect()
    });
    // Catalog order, whatever order they were given in: it decides which
    // overlay wins when two write the same file.
    let order = catalog.feature_ids();
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
    Ok(Resolved {
        spec,
        stacks,
        database,
        features,
        name,
        description,
        learner: answers.learner,
    })
}

/// Features the spec offers that have templates for the chosen stacks.
pub fn offered_features<'a>(
    catalog: &Catalog,
    spec: &'a Spec,
    answers: &Answers,
) -> Vec<&'a FeatureOption> {
    let stacks: Vec<&str> = answers.stacks.values().map(String::as_str).collect();
    spec.features
        .iter()
        .filter(|f| catalog.feature_available(&f.id, &stacks))
        .collect()
}

/// Databases the spec offers that every chosen stack supports, in spec order.
pub fn supported_databases(catalog: &Catalog, spec: &Spec, answers: &Answers) -> Vec<String> {
    spec.databases
        .iter()
        .filter(|db| {
            answers.stacks.values().all(|s| {
                catalog
                    .stacks
                    .get(s)
                    .is_none_or(|stack| stack.databases.contains(db))
            })
        })
        .cloned()
        .collect()
}

/// The default description: what is generated, e.g. "Week 5: PostgreSQL
/// Mastery, built with FastAPI and PostgreSQL", or with several services
/// "..., built with FastAPI (users, orders), Express (notifications) and
/// PostgreSQL". `stacks` may miss services (their first stack is used).
pub fn default_description(
    catalog: &Catalog,
    spec: &Spec,
    stacks: &BTreeMap<String, String>,
    database: Option<&str>,
) -> String {
    let mut by_stack: Vec<(String, Vec<&str>)> = Vec::new();
    for service in &spec.services {
        let Some(id) = stacks.get(&service.name).or(service.stacks.first()) else {
            continue;
        };
        let title = catalog
            .stack(id)
            .map_or_else(|_| id.clone(), |s| s.title.clone());
        match by_stack.iter_mut().find(|(t, _)| *t == title) {
            Some((_, names)) => names.push(&service.name),
            None => by_stack.push((title, vec![&service.name])),
        }
    }
    let mut parts: Vec<String> = by_stack
        .iter()
        .map(|(title, names)| {
            if spec.services.len() > 1 {
                format!("{title} ({})", names.join(", "))
            } else {
                title.clone()
            }
        })
        .collect();
    if let Some(db) = database {
        parts.push(database_name(db).to_string());
    }
    let built = match parts.as_slice() {
        [] => return spec.title.clone(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    let text = format!("{}, built with {built}", spec.title);
    if text.chars().count() > crate::limits::DESCRIPTION_CHARS {
        spec.title.clone()
    } else {
        text
    }
}

fn database_name(id: &str) -> &str {
    match id {
        "postgresql" => "PostgreSQL",
        "mysql" => "MySQL",
        "sqlite" => "SQLite",
        "mongodb" => "MongoDB",
        other => other,
    }
}

fn database_label(id: &str) -> &str {
    match id {
        "postgresql" => "PostgreSQL",
        "mysql" => "MySQL (MariaDB)",
        "sqlite" => "SQLite (no server needed)",
        "mongodb" => "MongoDB",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_descriptions_say_what_is_generated() {
        let templates = crate::templates::Templates::embedded();
        let catalog = Catalog::load(&templates).unwrap();
        let spec = catalog.spec("standard-week-5").unwrap();
        let stacks = BTreeMap::from([(spec.services[0].name.clone(), "fastapi".to_string())]);
        assert_eq!(
            default_description(&catalog, &spec, &stacks, Some("postgresql")),
            "Week 5: PostgreSQL Mastery, built with FastAPI and PostgreSQL"
        );
        let spec = catalog.spec("microservices").unwrap();
        let text = default_description(&catalog, &spec, &BTreeMap::new(), Some("sqlite"));
        assert_eq!(
            text,
            "Microservices Architecture, built with Ruby on Rails (accounts), FastAPI (catalog), Express (orders) and SQLite"
        );
    }
}
