//! `folio cohort new` and `folio cohort status`: one repo per learner of a
//! roster, on the bootcamp's git server, and everyone's progress.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::answers::{self, Answers, Defaults};
use crate::catalog::Catalog;
use crate::cli::{CohortNewArgs, CohortStatusArgs};
use crate::errors::usage;
use crate::remote::{self, State, UrlTemplate};
use crate::roster::{self, Learner};
use crate::templates::Templates;
use crate::{git, render, report, resolve, write};

/// What happened to one learner in `cohort new`.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub id: String,
    pub name: String,
    /// The remote URL, or the folder with --out.
    pub place: String,
    /// `created`, `exists` (skipped) or `failed`.
    pub result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Runs `work` on every item on `jobs` threads, ticking a progress bar
/// (hidden when stderr is not a terminal); results in item order.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    label: &str,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let bar = indicatif::ProgressBar::new(items.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(label.to_string());
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(item) = items.get(i) else { break };
                let r = work(item);
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(r);
                }
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

/// The answers every learner gets: the file's, with the project from the
/// command line.
fn shared_answers(args: &CohortNewArgs) -> Result<Answers> {
    let mut answers = match &args.answers {
        Some(path) => Answers::from_file(path)?,
        None => Answers::default(),
    };
    if args.spec.is_some() || args.plan.is_some() {
        answers.spec = args.spec.clone();
        answers.plan = args.plan.clone();
        answers.week = args.week;
    }
    answers
        .stacks
        .extend(crate::app::stack_flags(&args.choices.stack));
    if args.choices.db.is_some() {
        answers.database = args.choices.db.clone();
    }
    if let Some(features) = crate::app::feature_flags(args.choices.with.as_ref()) {
        answers.features = Some(features);
    }
    answers.learner = None;
    answers.pack = None;
    Ok(answers)
}

/// `folio cohort new`.
pub fn new(catalog: &Catalog, templates: &Templates, args: &CohortNewArgs) -> Result<()> {
    // Everything the user gave is checked before anything is created.
    let learners = roster::read(&args.roster).map_err(usage)?;
    let answers = shared_answers(args).map_err(usage)?;
    let resolved = answers::complete(catalog, answers.clone(), &mut Defaults).map_err(usage)?;
    let project = resolved.spec.id.clone();
    let week = resolved.spec.plan.as_ref().map(|p| p.week);
    let places: Vec<String> = match (&args.remote, &args.out) {
        (Some(t), _) => {
            let template = UrlTemplate::parse(t).map_err(usage)?;
            learners
                .iter()
                .map(|l| template.expand(&l.id, Some(&project), week))
                .collect::<Result<_>>()
                .map_err(usage)?
        }
        (None, Some(out)) => learners
            .iter()
            .map(|l| out.join(&l.id).display().to_string())
            .collect(),
        (None, None) => {
            return Err(usage(anyhow::anyhow!(
                "pass --remote URL-TEMPLATE, or --out DIR"
            )))
        }
    };
    let user = git::isolate()?;
    render::keep_compiled_templates();
    let work: Vec<(&Learner, &String)> = learners.iter().zip(&places).collect();
    let outcomes = parallel(
        &work,
        args.jobs.into(),
        "Creating repos",
        |(learner, place)| {
            let made = create_one(
                catalog,
                templates,
                &answers,
                learner,
                place,
                args.out.is_some(),
                &user,
            );
            let (result, detail) = match made {
                Ok(Made::Created) => ("created", None),
                Ok(Made::Exists(why)) => ("exists", Some(why)),
                Err(e) => ("failed", Some(format!("{e:#}"))),
            };
            Outcome {
                id: learner.id.clone(),
                name: learner.name.clone(),
                place: (*place).clone(),
                result,
                detail,
            }
        },
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcomes)?);
    } else {
        print!("{}", new_table(&outcomes));
    }
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.result == "failed")
        .map(|o| o.id.as_str())
        .collect();
    if !failed.is_empty() {
        bail!(
            "{} of {} learners failed: {}; fix the cause shown for each, then run the same command again (learners already created are skipped)",
            failed.len(),
            outcomes.len(),
            failed.join(", ")
        );
    }
    Ok(())
}

enum Made {
    Created,
    /// Skipped, and why.
    Exists(String),
}

/// Makes one learner's repo and pushes it (or writes it under --out).
fn create_one(
    catalog: &Catalog,
    templates: &Templates,
    shared: &Answers,
    learner: &Learner,
    place: &str,
    local: bool,
    user: &git::UserGit,
) -> Result<Made> {
    crate::cancel::check()?;
    if !local {
        let state = remote::state(place).map_err(|e| {
            anyhow::anyhow!("{e:#}; is the repo there? Servers such as GitHub need each learner's repo created first, empty (README, \"Bootcamp cohorts\")")
        })?;
        match state {
            State::Empty => {}
            State::Folio => return Ok(Made::Exists("already created by folio: skipped".into())),
            State::Other => bail!(
                "the remote already holds other work (no folio history): left untouched; empty it or pick another URL for this learner"
            ),
        }
    } else if write::check_target(Path::new(place)).is_err() {
        return Ok(Made::Exists(
            "the folder exists and is not empty: skipped".into(),
        ));
    }
    let mut answers = shared.clone();
    answers.learner = Some(Learner {
        email: None,
        ..learner.clone()
    });
    let resolved = answers::complete(catalog, answers, &mut Defaults)?;
    let secrets = resolve::Secrets::random()?;
    let mut blueprint = resolve::blueprint(catalog, &resolved, &secrets);
    blueprint.answers.pack = templates.pack.clone();
    let plan = render::render(&blueprint, templates)?;
    let scratch;
    let target: PathBuf = if local {
        PathBuf::from(place)
    } else {
        scratch = tempfile::Builder::new().prefix("folio-cohort-").tempdir()?;
        scratch.path().join(&learner.id)
    };
    let (staged, _notes) = write::stage(&plan, &target)?;
    let message = format!(
        "Start {} for {} from folio {} ({})",
        resolved.name,
        learner.id,
        env!("CARGO_PKG_VERSION"),
        resolved.spec.id
    );
    git::commit_plan(staged.path(), &plan, &message, user.clone())?;
    staged.finish()?;
    if !local {
        remote::push(&target, place)?;
    }
    Ok(Made::Created)
}

/// The summary of `cohort new`.
fn new_table(outcomes: &[Outcome]) -> String {
    let width = outcomes
        .iter()
        .map(|o| o.id.len())
        .max()
        .unwrap_or(0)
        .max(7);
    let mut out = format!("{:width$}  {:8}  {}\n", "LEARNER", "RESULT", "WHERE / WHY");
    for o in outcomes {
        out.push_str(&format!("{:width$}  {:8}  {}\n", o.id, o.result, o.place));
        if let Some(d) = &o.detail {
            out.push_str(&format!(
                "{:width$}  {:8}  {}\n",
                "",
                "",
                d.replace('\n', " ")
            ));
        }
    }
    let count = |r: &str| outcomes.iter().filter(|o| o.result == r).count();
    out.push_str(&format!(
        "{} created, {} already there, {} failed\n",
        count("created"),
        count("exists"),
        count("failed")
    ));
    out
}

/// `folio cohort status`.
pub fn status(catalog: &Catalog, args: &CohortStatusArgs) -> Result<()> {
    let learners = roster::read(&args.roster).map_err(usage)?;
    let template = UrlTemplate::parse(&args.remote).map_err(usage)?;
    let (project, week) = match &args.project {
        Some(id) => {
            let spec = catalog.spec(id).map_err(usage)?;
            (Some(spec.id.clone()), spec.plan.as_ref().map(|p| p.week))
        }
        None => (None, None),
    };
    let urls: Vec<String> = learners
        .iter()
        .map(|l| template.expand(&l.id, project.as_deref(), week))
        .collect::<Result<_>>()
        .map_err(usage)?;
    let cache = match &args.cache {
        Some(dir) => dir.clone(),
        None => crate::pack_git::cache_root()?.join("cohorts"),
    };
    let work: Vec<(&Learner, &String)> = learners.iter().zip(&urls).collect();
    let mut rows = parallel(
        &work,
        args.jobs.into(),
        "Fetching repos",
        |(learner, url)| {
            let dir = cache.join(cache_key(url)).join(&learner.id);
            let status = remote::mirror(url, &dir).and_then(|()| {
                let status = crate::progress::of_repo(&dir)?;
                if args.verify {
                    crate::progress::with_verify(catalog, &dir, status)
                } else {
                    Ok(status)
                }
            });
            row(learner, status)
        },
    );
    report::sort(&mut rows);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let title = format!(
        "Cohort progress: {}",
        project.as_deref().unwrap_or("all learners")
    );
    let report = report::Report {
        title: &title,
        rows: &rows,
        now,
        stale_days: args.stale_days,
    };
    if let Some(path) = &args.html {
        std::fs::write(path, report::html(&report))
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("Wrote {}", path.display());
    }
    if let Some(path) = &args.csv {
        std::fs::write(path, report::csv(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("Wrote {}", path.display());
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print!("{}", report::table(&report));
    }
    let unreachable: Vec<&str> = rows
        .iter()
        .filter(|r| r.error.is_some())
        .map(|r| r.id.as_str())
        .collect();
    if !unreachable.is_empty() {
        bail!(
            "{} learner repo(s) could not be read: {} (see the table)",
            unreachable.len(),
            unreachable.join(", ")
        );
    }
    Ok(())
}

/// A short, stable folder name for a URL template's cohort.
fn cache_key(url: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(url.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One learner's line of the report.
fn row(learner: &Learner, status: Result<crate::progress::Status>) -> report::Row {
    let mut row = report::Row {
        id: learner.id.clone(),
        name: learner.name.clone(),
        checked: 0,
        total: 0,
        percent: 0,
        sections: Vec::new(),
        added: 0,
        removed: 0,
        commits: 0,
        last_commit: None,
        verify: None,
        error: None,
    };
    match status {
        Ok(s) => {
            row.checked = s.checked;
            row.total = s.total;
            row.percent = u8::try_from(s.percent.min(100)).unwrap_or(100);
            row.added = s.added;
            row.removed = s.removed;
            row.commits = s.commits;
            row.last_commit = s.last_commit.as_ref().map(|c| c.unix);
            row.verify = s.verify.as_ref().map(|v| v.passed);
            row.sections = s
                .sections
                .iter()
                .map(|sec| report::SectionCell {
                    title: sec.title.clone(),
                    checked: sec.checked,
                    total: sec.total,
                })
                .collect();
        }
        Err(e) => row.error = Some(format!("{e:#}")),
    }
    row
}
