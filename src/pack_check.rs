//! `folio pack check`: renders every combination a catalog offers, in
//! process, and parses every structured file it writes, so a bootcamp knows
//! its pack still works for every option before a learner finds out.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::{complete, offered_features, supported_databases, Answers, Defaults};
use crate::catalog::Catalog;
use crate::render::{render, FilePlan};
use crate::resolve::{blueprint, Secrets};
use crate::templates::Templates;

/// Every spec and week x every offered stack of each service (the others at
/// their default) x every database they share x no feature, each feature
/// alone, and all features.
pub fn combinations(catalog: &Catalog) -> Vec<Answers> {
    let mut all = Vec::new();
    for id in catalog.all_ids() {
        let Ok(spec) = catalog.spec(&id) else {
            continue;
        };
        let defaults: BTreeMap<String, String> = spec
            .services
            .iter()
            .map(|s| (s.name.clone(), s.stacks[0].clone()))
            .collect();
        let mut choices = vec![defaults.clone()];
        for s in &spec.services {
            for stack in &s.stacks[1..] {
                let mut c = defaults.clone();
                c.insert(s.name.clone(), stack.clone());
                choices.push(c);
            }
        }
        for stacks in choices {
            let probe = Answers {
                stacks: stacks.clone(),
                ..Answers::default()
            };
            let offered: Vec<String> = offered_features(catalog, &spec, &probe)
                .iter()
                .map(|f| f.id.clone())
                .collect();
            let mut sets: Vec<Vec<String>> = vec![vec![]];
            sets.extend(offered.iter().map(|f| vec![f.clone()]));
            if offered.len() > 1 {
                sets.push(offered.clone());
            }
            for db in supported_databases(catalog, &spec, &probe) {
                for features in &sets {
                    all.push(Answers {
                        spec: Some(id.clone()),
                        stacks: stacks.clone(),
                        database: Some(db.clone()),
                        features: Some(features.clone()),
                        ..Answers::default()
                    });
                }
            }
        }
    }
    all
}

/// A combination in words: `ecommerce-api api=fastapi sqlite [redis]`.
pub fn label(answers: &Answers) -> String {
    let stacks: Vec<String> = answers
        .stacks
        .iter()
        .map(|(s, t)| format!("{s}={t}"))
        .collect();
    let features = answers.features.clone().unwrap_or_default();
    format!(
        "{} {} {} [{}]",
        answers.spec.as_deref().unwrap_or_default(),
        stacks.join(","),
        answers.database.as_deref().unwrap_or_default(),
        if features.is_empty() {
            "no features".to_string()
        } else {
            features.join(",")
        }
    )
}

/// Renders one combination with fixed secrets.
pub fn render_one(
    templates: &Templates,
    catalog: &Catalog,
    answers: Answers,
) -> anyhow::Result<FilePlan> {
    let resolved = complete(catalog, answers, &mut Defaults)?;
    let secrets = Secrets {
        secret_key: "0".repeat(64),
        db_password: "0".repeat(32),
    };
    render(&blueprint(catalog, &resolved, &secrets), templates)
}

/// Parses a file that has a structured format (JSON, YAML, TOML); `None`
/// for other files.
pub fn parse_error(path: &str, contents: &[u8]) -> Option<String> {
    let text = match std::str::from_utf8(contents) {
        Ok(t) => t,
        Err(e)
            if path.ends_with(".json")
                || path.ends_with(".yml")
                || path.ends_with(".yaml")
                || path.ends_with(".toml") =>
        {
            return Some(format!("not UTF-8: {e}"))
        }
        Err(_) => return None,
    };
    let result = if path.ends_with(".json") {
        serde_json::from_str::<serde_json::Value>(text)
            .map(|_| ())
            .map_err(|e| e.to_string())
    } else if path.ends_with(".yml") || path.ends_with(".yaml") {
        serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text)
            .map(|_| ())
            .map_err(|e| e.to_string())
    } else if path.ends_with(".toml") {
        toml::from_str::<toml::Table>(text)
            .map(|_| ())
            .map_err(|e| e.to_string())
    } else {
        return None;
    };
    result.err()
}

/// The result of one combination.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub combination: String,
    pub spec: String,
    pub files: usize,
    /// The error, if it failed to render or wrote a file that does not parse.
    pub error: Option<String>,
}

/// Checks every combination (rendering them on the cores there are).
pub fn check(templates: &Templates, catalog: &Catalog) -> Vec<Outcome> {
    crate::render::keep_compiled_templates();
    let combos = combinations(catalog);
    combos
        .into_iter()
        .map(|answers| {
            let combination = label(&answers);
            let spec = answers.spec.clone().unwrap_or_default();
            match render_one(templates, catalog, answers) {
                Err(e) => Outcome {
                    combination,
                    spec,
                    files: 0,
                    error: Some(format!("{e:#}")),
                },
                Ok(plan) => {
                    let error = plan.iter().find_map(|f| {
                        parse_error(&f.path, &f.contents)
                            .map(|e| format!("{} does not parse: {e}", f.path))
                    });
                    Outcome {
                        combination,
                        spec,
                        files: plan.len(),
                        error,
                    }
                }
            }
        })
        .collect()
}

/// A table per spec (combinations, passed, failed), then every failure.
pub fn report(outcomes: &[Outcome]) -> (String, bool) {
    use std::fmt::Write;
    let mut per_spec: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for o in outcomes {
        let e = per_spec.entry(&o.spec).or_default();
        e.0 += 1;
        if o.error.is_some() {
            e.1 += 1;
        }
    }
    let width = per_spec.keys().map(|k| k.len()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>12}  {:>6}  {:>6}",
        "spec", "combinations", "pass", "FAIL"
    );
    for (spec, (all, failed)) in &per_spec {
        let _ = writeln!(
            out,
            "{spec:<width$}  {all:>12}  {:>6}  {failed:>6}",
            all - failed
        );
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.error.is_some()).collect();
    for o in &failed {
        let _ = writeln!(
            out,
            "\nFAIL {}\n  {}",
            o.combination,
            o.error.as_deref().unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "\n{} combinations rendered, {} passed, {} failed",
        outcomes.len(),
        outcomes.len() - failed.len(),
        failed.len()
    );
    (out, failed.is_empty())
}
