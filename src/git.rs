//! Makes the generated folder a git repository with one initial commit on
//! `main`, using the user's git identity.

use std::path::Path;

use anyhow::{Context, Result};
use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature};

/// Who made the first commit, and whether that is a fallback.
pub struct Identity {
    pub name: String,
    pub email: String,
    /// True when no identity was configured and folio used its own.
    pub fallback: bool,
}

const FALLBACK_NAME: &str = "folio";
const FALLBACK_EMAIL: &str = "folio@localhost";

/// `git init -b main`, add everything not ignored, commit.
pub fn init_and_commit(dir: &Path, message: &str) -> Result<Identity> {
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = Repository::init_opts(dir, &opts)
        .with_context(|| format!("git: cannot create a repository in {}", dir.display()))?;
    let identity = identity(&repo);
    let sig = Signature::now(&identity.name, &identity.email).with_context(|| {
        format!(
            "git: invalid identity {} <{}>",
            identity.name, identity.email
        )
    })?;
    let mut index = repo.index().context("git: cannot open the index")?;
    index
        .add_all(["*"], IndexAddOption::DEFAULT, None)
        .context("git: cannot add the files")?;
    index.write().context("git: cannot write the index")?;
    let tree_id = index.write_tree().context("git: cannot write the tree")?;
    let tree = repo
        .find_tree(tree_id)
        .context("git: cannot read the tree")?;
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &[])
        .context("git: cannot make the first commit")?;
    Ok(identity)
}

fn identity(repo: &Repository) -> Identity {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let (Some(name), Some(email)) = (env("GIT_AUTHOR_NAME"), env("GIT_AUTHOR_EMAIL")) {
        return Identity {
            name,
            email,
            fallback: false,
        };
    }
    if let Ok(sig) = repo.signature() {
        if let (Some(name), Some(email)) = (sig.name(), sig.email()) {
            return Identity {
                name: name.to_string(),
                email: email.to_string(),
                fallback: false,
            };
        }
    }
    Identity {
        name: FALLBACK_NAME.into(),
        email: FALLBACK_EMAIL.into(),
        fallback: true,
    }
}
