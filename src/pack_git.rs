//! Template packs kept in git: `--templates URL[#REV]` with a `file://`,
//! `git://`, `ssh://` or `https://` URL (the last two fetched by the `git`
//! program, with the user's credentials). The repo is fetched into a cache
//! under the user's cache folder, the revision (tag, branch or commit; the
//! default branch without one) is pinned to a commit, and the pack is read
//! from that commit's tree in memory, with the same rules as a pack folder.
//! Without the network, a commit already in the cache still works.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use git2::{FetchOptions, Oid, Repository};
use sha2::{Digest, Sha256};

use crate::limits;
use crate::untrusted::PackFile;

/// A pack URL and the revision asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    pub url: String,
    pub rev: Option<String>,
}

/// `Some` when `--templates` names a git URL rather than a folder.
pub fn parse(source: &str) -> Option<GitSource> {
    let is_url = ["https://", "http://", "ssh://", "git://", "file://"]
        .iter()
        .any(|p| source.starts_with(p));
    if !is_url {
        return None;
    }
    let (url, rev) = match source.split_once('#') {
        Some((url, rev)) if !rev.is_empty() => (url, Some(rev.to_string())),
        Some((url, _)) => (url, None),
        None => (source, None),
    };
    Some(GitSource {
        url: url.to_string(),
        rev,
    })
}

/// The cache folder of one pack URL.
fn cache_dir(url: &str) -> Result<PathBuf> {
    let base = cache_root()?;
    let hash: String = Sha256::digest(url.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(base.join("packs").join(hash))
}

/// folio's cache folder: $FOLIO_CACHE_DIR, else $XDG_CACHE_HOME/folio, else
/// ~/.cache/folio.
pub fn cache_root() -> Result<PathBuf> {
    std::env::var_os("FOLIO_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("folio")))
        .or_else(|| std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache/folio")))
        .context("no cache folder: set HOME, XDG_CACHE_HOME or FOLIO_CACHE_DIR")
}

/// A pack read from a git commit.
pub struct Fetched {
    pub commit: Oid,
    pub files: Vec<PackFile>,
    /// Said to the user (e.g. working offline from the cache).
    pub note: Option<String>,
}

/// Fetches (or finds in the cache) the pack at `source` and reads its files.
pub fn fetch(source: &GitSource) -> Result<Fetched> {
    let dir = cache_dir(&source.url)?;
    let repo = match Repository::open_bare(&dir) {
        Ok(r) => r,
        Err(_) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create the pack cache {}", dir.display()))?;
            Repository::init_bare(&dir)
                .with_context(|| format!("cannot create the pack cache {}", dir.display()))?
        }
    };
    // A full commit id already cached needs no network.
    let pinned = source
        .rev
        .as_deref()
        .filter(|r| r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit()))
        .and_then(|r| Oid::from_str(r).ok())
        .filter(|id| repo.find_commit(*id).is_ok());
    let mut note = None;
    if pinned.is_none() {
        if let Err(e) = download(&repo, &source.url) {
            match resolve(&repo, source.rev.as_deref()) {
                Ok(_) => {
                    note = Some(format!(
                        "cannot reach {} ({}); using the copy in {}",
                        source.url,
                        e.message(),
                        dir.display()
                    ))
                }
                Err(_) => bail!(
                    "cannot fetch the template pack {}: {}; check the URL and the network, or pass a local folder with --templates",
                    source.url,
                    e.message()
                ),
            }
        }
    }
    let commit = match pinned {
        Some(id) => id,
        None => resolve(&repo, source.rev.as_deref())?,
    };
    let tree = repo.find_commit(commit)?.tree()?;
    let files = read_tree(&repo, &tree, &source.url)?;
    Ok(Fetched {
        commit,
        files,
        note,
    })
}

const REFSPECS: [&str; 3] = [
    "+refs/heads/*:refs/heads/*",
    "+refs/tags/*:refs/tags/*",
    "+HEAD:refs/folio/HEAD",
];

/// Fetches every branch and tag. `file://` and `git://` go through git2;
/// `https://` and `ssh://` through the `git` program, so the user's
/// credential helpers, SSH agent and proxy settings apply (folio's git2 is
/// built without TLS and SSH).
fn download(repo: &Repository, url: &str) -> std::result::Result<(), git2::Error> {
    if url.starts_with("https://") || url.starts_with("http://") || url.starts_with("ssh://") {
        let fetch = |refspecs: &[&str]| {
            std::process::Command::new("git")
                .arg("--git-dir")
                .arg(repo.path())
                .args(["fetch", "--quiet", "--force", url])
                .args(refspecs)
                .env("GIT_TERMINAL_PROMPT", "0")
                .output()
                .map_err(|e| git2::Error::from_str(&format!("cannot run git: {e}")))
        };
        let out = fetch(&REFSPECS[..2])?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(git2::Error::from_str(err.trim()));
        }
        // The default branch, when the server says which it is.
        let _ = fetch(&REFSPECS[2..]);
        return Ok(());
    }
    let mut remote = repo.remote_anonymous(url)?;
    let mut opts = FetchOptions::new();
    opts.download_tags(git2::AutotagOption::All);
    remote.fetch(&REFSPECS, Some(&mut opts), None)
}

/// The commit of a revision: a tag, a branch, a (short) commit id, or the
/// default branch.
fn resolve(repo: &Repository, rev: Option<&str>) -> Result<Oid> {
    let spec = rev.unwrap_or("refs/folio/HEAD");
    let candidates = [
        spec.to_string(),
        format!("refs/tags/{spec}"),
        format!("refs/heads/{spec}"),
    ];
    for c in &candidates {
        if let Ok(obj) = repo.revparse_single(c) {
            if let Ok(commit) = obj.peel_to_commit() {
                return Ok(commit.id());
            }
        }
    }
    bail!(
        "the template pack has no tag, branch or commit {:?}",
        rev.unwrap_or("(default branch)")
    )
}

/// Every file of a commit's tree, with a pack folder's rules: regular files
/// only (no links, no submodules), size caps.
fn read_tree(repo: &Repository, tree: &git2::Tree, url: &str) -> Result<Vec<PackFile>> {
    let mut files = Vec::new();
    let mut total = 0u64;
    let mut stack = vec![(tree.clone(), String::new(), 0usize)];
    while let Some((tree, prefix, depth)) = stack.pop() {
        for entry in tree.iter() {
            let name = entry
                .name()
                .with_context(|| format!("{url}: a file name in {prefix} is not UTF-8"))?;
            let rel = format!("{prefix}{name}");
            let shown = format!("{url}:{rel}");
            match entry.filemode() {
                0o040000 => {
                    if depth + 1 > limits::PACK_DEPTH {
                        bail!("template pack folder {shown} is nested deeper than folio's limit of {} folders", limits::PACK_DEPTH);
                    }
                    let sub = repo.find_tree(entry.id())?;
                    stack.push((sub, format!("{rel}/"), depth + 1));
                }
                0o100644 | 0o100755 => {
                    let blob = repo.find_blob(entry.id())?;
                    let max = if name.ends_with(".hbs") {
                        limits::PACK_TEMPLATE
                    } else {
                        limits::PACK_FILE
                    };
                    let size = blob.size() as u64;
                    if size > max {
                        bail!("template pack file {shown} is {size} bytes, over folio's limit of {max} bytes (see SECURITY.md, \"Limits\")");
                    }
                    total += size;
                    if total > limits::PACK_TOTAL || files.len() >= limits::PACK_FILES {
                        bail!("the template pack {url} is over folio's limits of {} bytes and {} files (see SECURITY.md, \"Limits\")", limits::PACK_TOTAL, limits::PACK_FILES);
                    }
                    files.push(PackFile {
                        rel,
                        path: PathBuf::from(&shown),
                        bytes: blob.content().to_vec(),
                    });
                }
                0o120000 => bail!(
                    "template pack entry {shown} is a symbolic link: a pack may hold only regular files and folders (a link could pull files from outside the pack into every learner's repo)"
                ),
                _ => bail!(
                    "template pack entry {shown} is a submodule or of an unknown kind: a pack may hold only regular files and folders"
                ),
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(files)
}
