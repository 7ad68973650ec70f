//! Learners' remotes: URL templates, and talking to git servers. file:// and
//! git:// go through libgit2; https://, ssh:// and `user@host:path` through
//! the `git` program, so the user's credential helpers and SSH agent apply
//! (folio's libgit2 is built without TLS and SSH). Transient network errors
//! are retried; nothing is ever force-pushed.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use git2::{FetchOptions, PushOptions, RemoteCallbacks, Repository};

/// The ref that marks a repo folio created (see [`crate::update::PRISTINE_REF`]).
const PRISTINE: &str = crate::update::PRISTINE_REF;

/// A remote URL with `{learner}`, `{project}` and `{week}` placeholders.
#[derive(Debug, Clone)]
pub struct UrlTemplate(String);

impl UrlTemplate {
    /// Checks the placeholders: only the known ones, `{learner}` required
    /// (else every learner would share one repo).
    pub fn parse(text: &str) -> Result<Self> {
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                bail!("remote URL template {text:?} has a '{{' without its '}}'");
            };
            let name = &rest[start + 1..start + len];
            if !matches!(name, "learner" | "project" | "week") {
                bail!("remote URL template {text:?} has {{{name}}}; the placeholders are {{learner}}, {{project}} and {{week}}");
            }
            rest = &rest[start + len + 1..];
        }
        if !text.contains("{learner}") {
            bail!("remote URL template {text:?} has no {{learner}}: every learner would share one repo; e.g. 'git@git.example.org:cohort/{{learner}}-{{project}}.git'");
        }
        Ok(UrlTemplate(text.to_string()))
    }

    /// The URL of one learner's repo.
    pub fn expand(
        &self,
        learner: &str,
        project: Option<&str>,
        week: Option<u32>,
    ) -> Result<String> {
        let mut url = self.0.replace("{learner}", learner);
        if url.contains("{project}") {
            let Some(project) = project else {
                bail!("the remote URL template uses {{project}}: name the project (for `cohort status`, --project SPEC)");
            };
            url = url.replace("{project}", project);
        }
        if url.contains("{week}") {
            let Some(week) = week else {
                bail!(
                    "the remote URL template uses {{week}}, and the project is not a plan's week"
                );
            };
            url = url.replace("{week}", &week.to_string());
        }
        Ok(url)
    }
}

/// What a learner's remote already holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No refs: ready for the first push.
    Empty,
    /// A repo folio made (it has folio's pristine ref).
    Folio,
    /// Someone else's work: never touched.
    Other,
}

/// Whether `url` is reached through libgit2 (else through `git`).
fn native(url: &str) -> bool {
    url.starts_with("file://") || url.starts_with("git://")
}

/// Tries of an operation that keeps failing with network errors.
const ATTEMPTS: u32 = 3;

/// Runs `op` until it succeeds, fails for good, or has failed with a
/// network error [`ATTEMPTS`] times (waiting 0.3 s, then 0.9 s, between).
fn retry<T>(what: &str, url: &str, mut op: impl FnMut() -> Result<T, Failure>) -> Result<T> {
    let mut wait = Duration::from_millis(300);
    let mut attempt = 1;
    loop {
        match op() {
            Ok(v) => return Ok(v),
            Err(Failure::Transient(_)) if attempt < ATTEMPTS => {
                crate::cancel::check()?;
                std::thread::sleep(wait);
                wait *= 3;
                attempt += 1;
            }
            Err(Failure::Transient(e) | Failure::Fatal(e)) => bail!("cannot {what} {url}: {e}"),
        }
    }
}

/// Why an operation failed: worth retrying or not.
enum Failure {
    Transient(String),
    Fatal(String),
}

impl From<git2::Error> for Failure {
    fn from(e: git2::Error) -> Self {
        use git2::ErrorClass as C;
        let text = e.message().trim().to_string();
        let refused = text.contains("not exported") || text.contains("not found");
        match e.class() {
            C::Net | C::Os | C::Http | C::Ssh | C::Ssl if !refused => Failure::Transient(text),
            _ => Failure::Fatal(text),
        }
    }
}

/// Runs `git` with no terminal prompts; its stderr on failure.
fn git(args: &[&str], dir: Option<&Path>) -> Result<String, Failure> {
    let mut cmd = Command::new("git");
    if let Some(dir) = dir {
        cmd.arg("-C").arg(dir);
    }
    let out = cmd
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env(
            "GIT_SSH_COMMAND",
            std::env::var("GIT_SSH_COMMAND").unwrap_or_else(|_| "ssh -o BatchMode=yes".into()),
        )
        .output()
        .map_err(|e| Failure::Fatal(format!("cannot run git: {e}")))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    let transient = [
        "Could not resolve host",
        "Connection refused",
        "Connection reset",
        "timed out",
        "early EOF",
        "hung up unexpectedly",
        "Temporary failure",
    ]
    .iter()
    .any(|t| err.contains(t));
    Err(if transient {
        Failure::Transient(err)
    } else {
        Failure::Fatal(err)
    })
}

/// libgit2's network timeouts: a dead server fails instead of hanging.
fn set_timeouts() {
    // SAFETY: plain integer settings, set before any connection.
    unsafe {
        let _ = git2::opts::set_server_connect_timeout_in_milliseconds(10_000);
        let _ = git2::opts::set_server_timeout_in_milliseconds(60_000);
    }
}

/// The refs `url` holds (through `git ls-remote` for every transport:
/// libgit2's listing of an empty remote is unsound in git2 0.20).
pub fn refs(url: &str) -> Result<Vec<String>> {
    retry("read", url, || {
        let out = git(&["ls-remote", url], None)?;
        Ok(out
            .lines()
            .filter_map(|l| l.split('\t').nth(1))
            .map(str::to_string)
            .collect())
    })
}

/// What `url` already holds.
pub fn state(url: &str) -> Result<State> {
    let refs = refs(url)?;
    Ok(if refs.iter().any(|r| r == PRISTINE) {
        State::Folio
    } else if refs.iter().any(|r| r != "HEAD") {
        State::Other
    } else {
        State::Empty
    })
}

/// Pushes `main` and folio's pristine ref of the repo in `dir` to `url`,
/// never forcing: a ref that appeared meanwhile makes the push fail.
pub fn push(dir: &Path, url: &str) -> Result<()> {
    let specs = [
        "refs/heads/main:refs/heads/main".to_string(),
        format!("{PRISTINE}:{PRISTINE}"),
    ];
    retry("push to", url, || {
        if native(url) {
            set_timeouts();
            let repo = Repository::open(dir)?;
            let mut remote = repo.remote_anonymous(url)?;
            let mut rejected = Vec::new();
            let mut callbacks = RemoteCallbacks::new();
            callbacks.push_update_reference(|name, status| {
                if let Some(why) = status {
                    rejected.push(format!("{name}: {why}"));
                }
                Ok(())
            });
            let mut opts = PushOptions::new();
            opts.remote_callbacks(callbacks);
            remote.push(&specs, Some(&mut opts))?;
            drop(opts);
            if !rejected.is_empty() {
                return Err(Failure::Fatal(format!(
                    "the server refused {}",
                    rejected.join(", ")
                )));
            }
            Ok(())
        } else {
            let mut args = vec!["push", "--porcelain", url];
            args.extend(specs.iter().map(String::as_str));
            git(&args, Some(dir)).map(drop)
        }
    })
}

/// Makes `dir` a copy of the repo at `url` (cloned the first time, fetched
/// after), with its default branch checked out, detached. Local changes in
/// `dir` (a cache) are discarded.
pub fn mirror(url: &str, dir: &Path) -> Result<()> {
    let repo = match Repository::open(dir) {
        Ok(r) => r,
        Err(_) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            Repository::init(dir)
                .with_context(|| format!("cannot create a repo in {}", dir.display()))?
        }
    };
    let specs = [
        "+refs/heads/*:refs/remotes/origin/*",
        "+refs/folio/*:refs/folio/*",
    ];
    retry("fetch", url, || {
        if native(url) {
            set_timeouts();
            let mut remote = repo.remote_anonymous(url)?;
            remote.fetch(&specs, Some(&mut FetchOptions::new()), None)?;
            Ok(())
        } else {
            let mut args = vec!["fetch", "--quiet", "--force", url];
            args.extend(specs);
            git(&args, Some(dir)).map(drop)
        }
    })?;
    let branch = repo
        .find_reference("refs/remotes/origin/main")
        .or_else(|_| repo.find_reference("refs/remotes/origin/master"))
        .with_context(|| format!("{url} has no main branch"))?;
    let commit = branch.peel_to_commit()?;
    repo.set_head_detached(commit.id())?;
    repo.checkout_head(Some(
        git2::build::CheckoutBuilder::new()
            .force()
            .remove_untracked(true),
    ))
    .with_context(|| format!("cannot check out {url} in {}", dir.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_errors_are_retried_and_others_are_not() {
        let mut calls = 0;
        let ok = retry("read", "u", || {
            calls += 1;
            if calls < 3 {
                Err(Failure::Transient("Connection refused".into()))
            } else {
                Ok(calls)
            }
        });
        assert_eq!(ok.unwrap(), 3);
        let mut calls = 0;
        let err = retry("push to", "u", || -> Result<(), Failure> {
            calls += 1;
            Err(Failure::Fatal("rejected".into()))
        });
        assert_eq!(calls, 1);
        assert_eq!(err.unwrap_err().to_string(), "cannot push to u: rejected");
        let mut calls = 0;
        let err = retry("read", "u", || -> Result<(), Failure> {
            calls += 1;
            Err(Failure::Transient("timed out".into()))
        });
        assert_eq!(calls, ATTEMPTS);
        assert_eq!(err.unwrap_err().to_string(), "cannot read u: timed out");
    }

    #[test]
    fn templates_expand_and_refuse_what_cannot_work() {
        let t = UrlTemplate::parse("git://h/{project}/{learner}-w{week}.git").unwrap();
        assert_eq!(
            t.expand("ada", Some("intensive-week-3"), Some(3)).unwrap(),
            "git://h/intensive-week-3/ada-w3.git"
        );
        assert!(t.expand("ada", None, Some(3)).is_err());
        assert!(t.expand("ada", Some("p"), None).is_err());
        assert!(UrlTemplate::parse("git://h/repo.git").is_err());
        assert!(UrlTemplate::parse("git://h/{learnr}.git").is_err());
        assert!(UrlTemplate::parse("git://h/{learner").is_err());
    }
}
