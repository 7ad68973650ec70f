//! Makes the generated folder a git repository with one initial commit on
//! `main`, using the user's git identity. The commit is built from the file
//! plan in memory (no file is read back), and holds every planned file except
//! what the project's own `.gitignore` files exclude: the user's global git
//! configuration (`core.excludesFile`, `init.templateDir`...) plays no part.

use std::path::Path;

use anyhow::{Context, Result};
use git2::{
    Config, ConfigLevel, IndexEntry, IndexTime, Oid, Repository, RepositoryInitOptions, Signature,
};

use crate::render::FilePlan;

/// Who made the first commit, and whether that is a fallback.
pub struct Identity {
    pub name: String,
    pub email: String,
    /// True when no identity was configured and folio used its own.
    pub fallback: bool,
}

/// What the first commit holds and who made it.
pub struct FirstCommit {
    pub identity: Identity,
    /// How many files it holds.
    pub files: usize,
    /// Planned files the project's `.gitignore` keeps out of it.
    pub ignored: Vec<String>,
    /// The user's configuration asks for signed commits (`commit.gpgSign`),
    /// which folio does not do.
    pub signing_wanted: bool,
}

const FALLBACK_NAME: &str = "folio";
const FALLBACK_EMAIL: &str = "folio@localhost";

/// `git init -b main` in `dir` (which holds `plan`, written), add every
/// planned file the project's `.gitignore` files do not exclude, commit.
pub fn init_and_commit(dir: &Path, plan: &FilePlan, message: &str) -> Result<FirstCommit> {
    // The user's identity and wishes come from their configuration...
    let user_config = Config::open_default().ok();
    let identity = identity(user_config.as_ref());
    let signing_wanted = user_config
        .as_ref()
        .and_then(|c| c.get_bool("commit.gpgsign").ok())
        .unwrap_or(false);
    drop(user_config);
    // ...which nothing else may read: from here on libgit2 loads no global,
    // XDG or system configuration.
    for level in [
        ConfigLevel::ProgramData,
        ConfigLevel::System,
        ConfigLevel::XDG,
        ConfigLevel::Global,
    ] {
        // SAFETY: libgit2 is used by this thread only, and the setting holds
        // for the rest of the process, which makes no other repository.
        // /dev/null is no folder, so no configuration file can be found in it.
        unsafe { git2::opts::set_search_path(level, "/dev/null") }
            .context("git: cannot set libgit2's configuration search path")?;
    }

    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main").external_template(false);
    let repo = Repository::init_opts(dir, &opts)
        .with_context(|| format!("git: cannot create a repository in {}", dir.display()))?;
    let sig = Signature::now(&identity.name, &identity.email).with_context(|| {
        format!(
            "git: invalid identity {} <{}>",
            identity.name, identity.email
        )
    })?;
    let mut index = repo.index().context("git: cannot open the index")?;
    let (mut files, mut ignored) = (0, Vec::new());
    for file in plan {
        let is_ignored = repo
            .is_path_ignored(&file.path)
            .with_context(|| format!("git: cannot check whether {} is ignored", file.path))?;
        if is_ignored {
            ignored.push(file.path.clone());
            continue;
        }
        let entry = IndexEntry {
            ctime: IndexTime::new(0, 0),
            mtime: IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: if file.executable { 0o100755 } else { 0o100644 },
            uid: 0,
            gid: 0,
            file_size: u32::try_from(file.contents.len()).unwrap_or(u32::MAX),
            id: Oid::zero(),
            flags: 0,
            flags_extended: 0,
            path: file.path.as_bytes().to_vec(),
        };
        index
            .add_frombuffer(&entry, &file.contents)
            .with_context(|| format!("git: cannot add {}", file.path))?;
        files += 1;
    }
    index.write().context("git: cannot write the index")?;
    let tree_id = index.write_tree().context("git: cannot write the tree")?;
    let tree = repo
        .find_tree(tree_id)
        .context("git: cannot read the tree")?;
    let first = repo
        .commit(Some("HEAD"), &sig, &sig, message, &tree, &[])
        .context("git: cannot make the first commit")?;
    // The first commit is folio's pristine output: `folio update` merges
    // from it.
    repo.reference(
        crate::update::PRISTINE_REF,
        first,
        true,
        "folio new: pristine output",
    )
    .context("git: cannot record the pristine output")?;
    Ok(FirstCommit {
        identity,
        files,
        ignored,
        signing_wanted,
    })
}

/// The user's git identity (or folio's fallback), from the environment and
/// their git configuration.
pub fn user_identity() -> Identity {
    identity(Config::open_default().ok().as_ref())
}

fn identity(config: Option<&Config>) -> Identity {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let (Some(name), Some(email)) = (env("GIT_AUTHOR_NAME"), env("GIT_AUTHOR_EMAIL")) {
        return Identity {
            name,
            email,
            fallback: false,
        };
    }
    let get = |key: &str| {
        config
            .and_then(|c| c.get_string(key).ok())
            .filter(|v| !v.trim().is_empty())
    };
    if let (Some(name), Some(email)) = (get("user.name"), get("user.email")) {
        return Identity {
            name,
            email,
            fallback: false,
        };
    }
    Identity {
        name: FALLBACK_NAME.into(),
        email: FALLBACK_EMAIL.into(),
        fallback: true,
    }
}
