//! The commands: parses the command line, runs one, and maps errors to exit
//! statuses. All terminal and file-system I/O of a run starts here.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;

use crate::answers::{self, Answers, Asker, Defaults, Unattended};
use crate::catalog::Catalog;
use crate::cli::{Cli, CohortCommand, Command, NewArgs, PackCommand, UpdateArgs};
use crate::errors::usage;
use crate::{
    cancel, errors, git, output, render, resolve, templates, update as updating, verify, wizard,
    write,
};

/// Runs folio with the process's arguments; returns its exit status.
pub fn main() -> ExitCode {
    tune_allocator();
    if let Err(e) = cancel::install() {
        eprintln!("error: {e:#}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ errors::Error::Cancelled) => {
            let _ = console::Term::stderr().show_cursor();
            eprintln!("{e}");
            ExitCode::from(e.status())
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.status())
        }
    }
}

/// Lets glibc's malloc grow a heap 8 MiB at a time instead of a page at a
/// time: address space, not memory (a page counts once it is touched), but
/// one mprotect call instead of hundreds for each render thread's heap.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning value, before any other thread runs.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 8 << 20);
    }
}

/// Runs one folio command.
pub fn run(cli: Cli) -> Result<(), errors::Error> {
    Ok(dispatch(cli)?)
}

/// Writes to stdout; a closed pipe (`folio list | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
}

fn dispatch(cli: Cli) -> Result<()> {
    // Generated from the clap definitions alone: no template pack is loaded.
    match &cli.command {
        Command::Completions { shell } => return crate::completions::print_completions(*shell),
        Command::Man { dir } => return crate::completions::man(dir.as_deref()),
        _ => {}
    }
    let mut templates = templates::Templates::embedded();
    if let Some(pack) = &cli.templates {
        let (with_pack, note) = templates.with_pack(pack).map_err(usage)?;
        if let Some(note) = note {
            eprintln!("note: {note}");
        }
        templates = with_pack;
    }
    let catalog = Catalog::load(&templates).map_err(usage)?;
    match cli.command {
        Command::List { json } => {
            if json {
                emit(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&output::list_json(&catalog))?
                ));
            } else {
                emit(&output::list_text(&catalog));
            }
        }
        Command::Show { spec, json } => {
            let spec = catalog.spec(&spec).map_err(usage)?;
            if json {
                emit(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&output::show_json(&catalog, &spec))?
                ));
            } else {
                emit(&output::show_text(&catalog, &spec));
            }
        }
        Command::Completions { .. } | Command::Man { .. } => unreachable!("handled above"),
        Command::Pack {
            command:
                PackCommand::Check {
                    pack,
                    json,
                    spec,
                    verify,
                    jobs,
                    emit: emit_to,
                    folio_install,
                },
        } => {
            let (with_pack, note) = templates::Templates::embedded()
                .with_pack(&pack)
                .map_err(usage)?;
            if let Some(note) = note {
                eprintln!("note: {note}");
            }
            let catalog = Catalog::load(&with_pack).map_err(usage)?;
            eprintln!("Rendering every combination of {} ...", pack.display());
            for id in &spec {
                catalog.spec(id).map_err(usage)?;
            }
            let mut outcomes = crate::pack_check::check(&with_pack, &catalog, &spec);
            // Every template of the pack is compiled now: keep them for `folio new`.
            with_pack.compiled().save();
            if let [format, file] = emit_to.as_slice() {
                if format != "github-actions" {
                    return Err(usage(anyhow::anyhow!(
                        "--emit {format}: the only format is github-actions"
                    )));
                }
                let workflow =
                    crate::pack_check::github_actions(&catalog, &outcomes, &folio_install);
                std::fs::write(file, workflow).with_context(|| format!("cannot write {file}"))?;
                eprintln!(
                    "Wrote {file}: {} jobs, one per combination.",
                    outcomes.len()
                );
            }
            if verify {
                eprintln!(
                    "Verifying {} combinations, {jobs} at a time ...",
                    outcomes.len()
                );
                crate::pack_check::verify_all(&pack, &mut outcomes, jobs)?;
            }
            let (table, ok) = crate::pack_check::report(&outcomes);
            if json {
                emit(&format!("{}\n", serde_json::to_string_pretty(&outcomes)?));
            } else {
                emit(&table);
            }
            if !ok {
                bail!(
                    "the pack {} fails some combinations (see above)",
                    pack.display()
                );
            }
        }
        Command::Pack {
            command: PackCommand::New { dir },
        } => {
            let written = crate::pack_new::write_starter(&dir)?;
            emit(&format!(
                "Created the template pack {}: {} files.\nTry it: folio --templates {} new capstone --dry-run --yes\nCheck it: folio pack check {}\n",
                dir.display(),
                written.len(),
                dir.display(),
                dir.display()
            ));
        }
        Command::Doctor { dir, json } => {
            let findings = crate::doctor::check(&catalog, dir.as_deref()).map_err(usage)?;
            let (table, ok) = crate::doctor::report(&findings);
            if json {
                emit(&format!("{}\n", serde_json::to_string_pretty(&findings)?));
            } else {
                emit(&table);
            }
            if !ok {
                bail!("folio doctor: something needed is missing or unreachable (see above)");
            }
        }
        Command::New(args) => new(&catalog, &templates, args)?,
        Command::Status(args) => crate::progress::command(&catalog, &args)?,
        Command::Cohort {
            command: CohortCommand::New(args),
        } => {
            let made = crate::cohort::new(&catalog, &templates, &args);
            templates.compiled().save();
            made?
        }
        Command::Cohort {
            command: CohortCommand::Status(args),
        } => crate::cohort::status(&catalog, &args)?,
        Command::Update(args) => update(&catalog, &templates, args)?,
        Command::Verify {
            dir,
            only,
            root,
            json,
            serve,
        } => {
            let answers = verify::read_answers(&dir).map_err(usage)?;
            let steps =
                verify::plan(&catalog, &dir, &answers, &only, root.as_deref()).map_err(usage)?;
            if let Some(root) = &root {
                eprintln!("Service commands run inside {} (chroot).", root.display());
            }
            let total = steps.len();
            let mut results = verify::run(&steps, |i, step| verify::announce(i, total, step));
            let mut steps = steps;
            if serve {
                let services_passed = steps
                    .iter()
                    .zip(&results)
                    .all(|(s, (o, _))| s.scope == "repo" || matches!(o, verify::Outcome::Pass));
                if services_passed {
                    let served = crate::serve::serve(&catalog, &dir, &answers, &only, |step| {
                        eprintln!("[serve] {} {}: {}", step.scope, step.kind, step.command);
                    })?;
                    for (step, outcome, secs) in served {
                        steps.push(step);
                        results.push((outcome, secs));
                    }
                } else {
                    eprintln!("Not serving: a service's setup, lint or test failed.");
                }
            }
            let (table, ok) = verify::report(&steps, &results);
            if json {
                let value = verify::report_json(&dir, &steps, &results);
                emit(&format!("{}\n", serde_json::to_string_pretty(&value)?));
            } else {
                emit(&table);
            }
            if !ok {
                bail!("verification of {} failed (see above)", dir.display());
            }
        }
    }
    Ok(())
}

/// With `--plan` or `--answers`, a lone positional argument is the folder,
/// unless (with `--answers`) it names a spec.
fn shift_positionals(catalog: &Catalog, args: &mut NewArgs) {
    if args.dir.is_some() {
        return;
    }
    let is_spec = |id: &str| catalog.spec(id).is_ok();
    let lone = args.spec.clone();
    if let Some(lone) = lone {
        if args.plan.is_some() || (args.answers.is_some() && !is_spec(&lone)) {
            args.dir = Some(PathBuf::from(lone));
            args.spec = None;
        }
    }
}

/// Turns the flags into answers (an answers file first, flags over it).
/// `--stack` values: `SERVICE=STACK`, or a lone `STACK` (key "") for a
/// one-service project.
pub(crate) fn stack_flags(list: &[String]) -> std::collections::BTreeMap<String, String> {
    let mut stacks = std::collections::BTreeMap::new();
    for s in list {
        match s.split_once('=') {
            Some((service, stack)) => {
                stacks.insert(service.trim().to_string(), stack.trim().to_string())
            }
            None => stacks.insert(String::new(), s.trim().to_string()),
        };
    }
    stacks
}

/// `--with` values, `none` meaning no feature.
pub(crate) fn feature_flags(list: Option<&Vec<String>>) -> Option<Vec<String>> {
    list.map(|list| {
        list.iter()
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty() && f != "none")
            .collect()
    })
}

fn flag_answers(args: &NewArgs) -> Result<Answers> {
    let stacks = stack_flags(&args.choices.stack);
    let features = feature_flags(args.choices.with.as_ref());
    let flags = Answers {
        folio_version: None,
        spec: args.spec.clone(),
        plan: args.plan.clone(),
        week: args.week,
        name: args.name.clone(),
        description: args.description.clone(),
        database: args.choices.db.clone(),
        features,
        stacks,
        pack: None,
        learner: None,
    };
    Ok(match &args.answers {
        Some(path) => {
            let mut file = Answers::from_file(path)?;
            if flags.spec.is_some() || flags.plan.is_some() {
                // A project named on the command line replaces the file's.
                file.spec = None;
                file.plan = None;
                file.week = None;
            }
            file.folio_version = None;
            flags.over(file)
        }
        None => flags,
    })
}

fn new(catalog: &Catalog, templates: &templates::Templates, mut args: NewArgs) -> Result<()> {
    shift_positionals(catalog, &mut args);
    if args.spec.is_some() && args.plan.is_some() {
        return Err(usage(anyhow::anyhow!(
            "pass either a SPEC or --plan/--week, not both"
        )));
    }
    let mut given = flag_answers(&args).map_err(usage)?;
    let reloaded = recorded_pack(given.pack.as_ref(), templates)?;
    let (catalog, templates) = match &reloaded {
        Some((c, t)) => (c, t),
        None => (catalog, templates),
    };
    if let Some(note) =
        answers::check_pack(given.pack.as_ref(), templates.pack.as_ref()).map_err(usage)?
    {
        eprintln!("note: {note}");
    }
    given.pack = None;
    let interactive =
        !args.yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let mut wizard = wizard::Wizard::new();
    let mut unattended = Unattended::default();
    let asker: &mut dyn Asker = if args.yes {
        &mut Defaults
    } else if interactive {
        &mut wizard
    } else {
        &mut unattended
    };
    let answers = answers::complete(catalog, given, asker).map_err(usage)?;
    unattended.finish().map_err(usage)?;

    let name = answers.name.clone();
    let target: PathBuf = match &args.dir {
        Some(dir) => dir.clone(),
        None if interactive => {
            let q = answers::Question::Text {
                prompt: "Folder to create".into(),
                flag: "DIR".into(),
                default: name.clone(),
                validate: answers::Validate::new(|s| {
                    write::check_target(Path::new(s))?;
                    Ok(())
                }),
            };
            PathBuf::from(wizard.text(&q)?)
        }
        None => PathBuf::from(&name),
    };
    if !args.dry_run {
        write::check_target(&target).map_err(usage)?;
    }
    let secrets = resolve::Secrets::random()?;
    let mut blueprint = resolve::blueprint(catalog, &answers, &secrets);
    blueprint.answers.pack = templates.pack.clone();
    let plan = render::render(&blueprint, templates).map_err(usage)?;
    // The pack templates this run compiled, for the next run (best effort).
    templates.compiled().save();

    if args.dry_run {
        emit(&output::tree(
            &plan,
            &target.display().to_string(),
            args.origins,
        ));
        eprintln!("Dry run: nothing was written.");
        return Ok(());
    }
    if interactive {
        eprint!("{}", output::summary(&blueprint, &target));
        if !wizard.confirm("Create this project?")? {
            bail!(cancel::Cancelled);
        }
    }

    let (staged, notes) = write::stage(&plan, &target)?;
    for note in notes {
        eprintln!("note: {note}");
    }
    let commit_note = if args.no_git {
        format!("{} files", plan.len())
    } else {
        cancel::check()?;
        let message = format!(
            "Start {} from folio {} ({})",
            name,
            env!("CARGO_PKG_VERSION"),
            blueprint.spec.id
        );
        let commit = git::init_and_commit(staged.path(), &plan, &message)?;
        let id = &commit.identity;
        if id.fallback {
            eprintln!(
                "note: git has no user.name/user.email, so the first commit is by \"{} <{}>\".\n      Set yours with `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`,\n      then run `git commit --amend --reset-author --no-edit` in the project.",
                id.name, id.email
            );
        }
        if commit.signing_wanted {
            eprintln!(
                "note: your git configuration asks for signed commits (commit.gpgSign), but folio does not sign: the first commit is unsigned.\n      Sign it with `git commit --amend --no-edit -S` in the project."
            );
        }
        format!(
            "{} files; {} in the first commit on main by {} <{}>{}",
            plan.len(),
            commit.files,
            id.name,
            id.email,
            if commit.ignored.is_empty() {
                String::new()
            } else {
                format!(
                    "; not committed, as .gitignore says: {}",
                    commit.ignored.join(", ")
                )
            }
        )
    };
    staged.finish()?;
    let shown = target.display().to_string();
    emit(&format!("Created {shown}: {commit_note}.\n"));
    emit(&output::next_steps(&blueprint, &shown));
    // The process ends after this: freeing them would only cost time.
    std::mem::forget((plan, blueprint));
    Ok(())
}

/// `folio update`: the stored answers (with the changes asked for) rendered
/// with the current templates, merged into the work tree.
fn update(catalog: &Catalog, templates: &templates::Templates, args: UpdateArgs) -> Result<()> {
    let repo = updating::open_clean(&args.dir).map_err(usage)?;
    let mut answers = verify::read_answers(&args.dir).map_err(usage)?;
    answers.folio_version = None;
    let reloaded = recorded_pack(answers.pack.as_ref(), templates)?;
    let (catalog, templates) = match &reloaded {
        Some((c, t)) => (c, t),
        None => (catalog, templates),
    };
    if let Some(note) =
        answers::check_pack(answers.pack.take().as_ref(), templates.pack.as_ref()).map_err(usage)?
    {
        eprintln!("note: {note}; updating to it");
    }
    let mut features = answers.features.take().unwrap_or_default();
    features.extend(args.with.iter().map(|f| f.trim().to_string()));
    features.retain(|f| !f.is_empty() && !args.without.iter().any(|w| w.trim() == f));
    answers.features = Some(features);
    if args.db.is_some() {
        answers.database = args.db.clone();
    }
    for s in &args.stack {
        let Some((service, stack)) = s.split_once('=') else {
            return Err(usage(anyhow::anyhow!(
                "--stack {s}: name the service, e.g. --stack api={s}"
            )));
        };
        answers
            .stacks
            .insert(service.trim().to_string(), stack.trim().to_string());
    }
    let resolved = answers::complete(catalog, answers, &mut Defaults).map_err(usage)?;
    let secrets = resolve::Secrets::random()?;
    let mut blueprint = resolve::blueprint(catalog, &resolved, &secrets);
    blueprint.answers.pack = templates.pack.clone();
    let plan = render::render(&blueprint, templates).map_err(usage)?;
    // The pack templates this run compiled, for the next run (best effort).
    templates.compiled().save();
    let base = updating::pristine_base(&repo)?;
    let (changes, summary) = updating::plan_changes(&repo, &base, &plan)?;
    let workdir = repo
        .workdir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| args.dir.clone());
    if args.dry_run {
        if args.json {
            emit(&format!("{}\n", serde_json::to_string_pretty(&summary)?));
        } else {
            emit(&updating::summary_text(&summary));
            emit(&updating::diff_text(&workdir, &changes, args.diff)?);
            eprintln!("Dry run: nothing was written.");
        }
        return Ok(());
    }
    let _guard = cancel::Guard::new()?;
    updating::apply(&workdir, &changes)?;
    let id = git::user_identity();
    let sig = git2::Signature::now(&id.name, &id.email)?;
    let pristine = updating::record_pristine(&repo, &base, &plan, &sig)?;
    if args.commit && !changes.is_empty() && summary.conflicted.is_empty() {
        let message = format!(
            "Update from folio {} ({})",
            env!("CARGO_PKG_VERSION"),
            resolved.spec.id
        );
        updating::commit_update(&repo, pristine, &sig, &message)?;
    }
    if args.json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&summary)?));
    } else {
        emit(&updating::summary_text(&summary));
        if !args.commit && !changes.is_empty() {
            emit("Review with `git diff`, then commit.\n");
        }
    }
    if !summary.conflicted.is_empty() {
        return Err(errors::Conflicts(summary.conflicted.len()).into());
    }
    Ok(())
}

/// When answers were made with a git pack at a commit and no pack is given
/// now, the same commit of the same pack (from the cache, or fetched again).
fn recorded_pack(
    recorded: Option<&templates::PackRef>,
    current: &templates::Templates,
) -> Result<Option<(Catalog, templates::Templates)>> {
    let (Some(pack), None) = (recorded, &current.pack) else {
        return Ok(None);
    };
    let Some(commit) = &pack.commit else {
        return Ok(None);
    };
    let source = format!("{}#{commit}", pack.source);
    let (templates, note) = templates::Templates::embedded()
        .with_pack(Path::new(&source))
        .with_context(|| {
            format!(
                "these answers were made with the template pack {} at commit {commit}, which cannot be had now; pass the pack with --templates",
                pack.source
            )
        })
        .map_err(usage)?;
    eprintln!(
        "note: using the template pack {} at {commit}, as the answers record",
        pack.source
    );
    if let Some(note) = note {
        eprintln!("note: {note}");
    }
    let catalog = Catalog::load(&templates).map_err(usage)?;
    Ok(Some((catalog, templates)))
}
