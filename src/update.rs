//! `folio update`: brings a generated repo up to date with the current
//! templates, or with changed answers, by a 3-way merge whose base is what
//! folio rendered last time (the pristine output), so nothing of the
//! learner's is lost.
//!
//! The pristine output is kept as commits on `refs/folio/pristine` (the first
//! commit of a new repo is one; each update adds one whose parent is the
//! previous). With `--commit`, the update's commit also has the new pristine
//! commit as a second parent, so clones carry it. Without the ref, folio
//! looks for the newest pristine commit in HEAD's history, and else takes the
//! repo's root commit (folio's own first commit) as the base.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use git2::{
    DiffFindOptions, IndexEntry, IndexTime, MergeFileOptions, Oid, Repository, Signature,
    StatusOptions,
};
use serde::Serialize;

use crate::render::FilePlan;

/// The ref holding the newest pristine output.
pub const PRISTINE_REF: &str = "refs/folio/pristine";
/// The trailer marking a pristine-output commit.
const PRISTINE_TRAILER: &str = "Folio-Pristine: yes";

/// What an update did (or would do), path by path.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Files the learner had not touched, now the templates' new version.
    pub updated: Vec<String>,
    /// Files both changed, merged without overlap.
    pub merged: Vec<String>,
    /// Files both changed where the changes overlap: conflict markers written.
    pub conflicted: Vec<String>,
    /// Files the new templates add.
    pub added: Vec<String>,
    /// Files the new templates drop and the learner never changed.
    pub removed: Vec<String>,
    /// Files kept as the learner has them although the templates changed or
    /// dropped them (the learner deleted or changed them).
    pub kept: Vec<String>,
    /// Files the learner renamed: `old -> new`; template changes follow them.
    pub renamed: Vec<String>,
}

/// One change to the work tree.
#[derive(Debug)]
pub enum Change {
    Write {
        path: String,
        contents: Vec<u8>,
        executable: bool,
    },
    Remove {
        path: String,
    },
}

/// Opens the repo and fails unless its work tree is clean.
pub fn open_clean(dir: &Path) -> Result<Repository> {
    let repo = Repository::open(dir).with_context(|| {
        format!(
            "{} is not a git repository; folio update needs the repo folio new made (with git)",
            dir.display()
        )
    })?;
    let mut opts = StatusOptions::new();
    opts.include_untracked(true).include_ignored(false);
    let dirty: Vec<String> = repo
        .statuses(Some(&mut opts))
        .context("git: cannot read the status")?
        .iter()
        .filter_map(|s| s.path().map(String::from))
        .collect();
    if !dirty.is_empty() {
        bail!(
            "{} has uncommitted changes ({}{}); commit or stash them first, so the update can be reviewed on its own",
            dir.display(),
            dirty[..dirty.len().min(5)].join(", "),
            if dirty.len() > 5 { ", ..." } else { "" }
        );
    }
    Ok(repo)
}

/// The commit holding the pristine output the repo was last made or updated
/// from.
pub fn pristine_base(repo: &Repository) -> Result<git2::Commit<'_>> {
    if let Ok(r) = repo.find_reference(PRISTINE_REF) {
        if let Ok(c) = r.peel_to_commit() {
            return Ok(c);
        }
    }
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .context("git: the repo has no commit")?;
    let mut walk = repo.revwalk()?;
    walk.push(head.id())?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)?;
    let mut root = None;
    for id in walk {
        let commit = repo.find_commit(id?)?;
        if commit
            .message()
            .is_some_and(|m| m.contains(PRISTINE_TRAILER))
        {
            return Ok(commit);
        }
        if commit.parent_count() == 0 {
            root = Some(commit);
        }
    }
    root.context("git: no root commit found")
}

/// Every file of a commit's tree: path -> (contents, executable).
fn tree_files(repo: &Repository, tree: &git2::Tree) -> Result<BTreeMap<String, (Vec<u8>, bool)>> {
    let mut files = BTreeMap::new();
    let mut error = None;
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return git2::TreeWalkResult::Ok;
        }
        let path = format!("{dir}{}", entry.name().unwrap_or_default());
        match repo.find_blob(entry.id()) {
            Ok(blob) => {
                files.insert(
                    path,
                    (blob.content().to_vec(), entry.filemode() == 0o100755),
                );
            }
            Err(e) => error = Some(e),
        }
        git2::TreeWalkResult::Ok
    })?;
    if let Some(e) = error {
        return Err(e).context("git: cannot read the pristine output");
    }
    Ok(files)
}

/// Files the learner renamed since the base: old path -> new path.
fn renames(repo: &Repository, base: &git2::Tree) -> Result<BTreeMap<String, String>> {
    let head = repo.head()?.peel_to_tree()?;
    let mut diff = repo.diff_tree_to_tree(Some(base), Some(&head), None)?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    let mut out = BTreeMap::new();
    for delta in diff.deltas() {
        if delta.status() == git2::Delta::Renamed {
            if let (Some(old), Some(new)) = (delta.old_file().path(), delta.new_file().path()) {
                out.insert(
                    old.to_string_lossy().into_owned(),
                    new.to_string_lossy().into_owned(),
                );
            }
        }
    }
    Ok(out)
}

/// The pristine output of a plan: every file but the private ones (which
/// hold secrets and are never committed).
pub fn pristine_of(plan: &FilePlan) -> BTreeMap<String, (Vec<u8>, bool)> {
    plan.iter()
        .filter(|f| !f.private)
        .map(|f| (f.path.clone(), (f.contents.to_vec(), f.executable)))
        .collect()
}

/// Works out the changes to the work tree: a 3-way merge of the pristine
/// `base`, the work tree (ours) and the `new` pristine output (theirs).
/// Private files (`.env`) are written only where missing.
pub fn plan_changes(
    repo: &Repository,
    base_commit: &git2::Commit,
    plan: &FilePlan,
) -> Result<(Vec<Change>, Summary)> {
    let workdir = repo
        .workdir()
        .context("git: the repo has no work tree")?
        .to_path_buf();
    let base_tree = base_commit.tree()?;
    let base = tree_files(repo, &base_tree)?;
    let renamed = renames(repo, &base_tree)?;
    let new = pristine_of(plan);
    let read = |path: &str| -> Option<Vec<u8>> {
        let p = workdir.join(path);
        let meta = std::fs::symlink_metadata(&p).ok()?;
        meta.is_file().then(|| std::fs::read(&p).ok()).flatten()
    };
    let mut changes = Vec::new();
    let mut summary = Summary::default();
    let paths: BTreeSet<&String> = base.keys().chain(new.keys()).collect();
    for path in paths {
        let b = base.get(path);
        let t = new.get(path);
        // Where the learner's version of this file lives now.
        let at = renamed.get(path).unwrap_or(path);
        if at != path && t.is_some() {
            summary.renamed.push(format!("{path} -> {at}"));
        }
        let o = read(at);
        let same = |x: Option<&(Vec<u8>, bool)>, y: &Option<Vec<u8>>| match (x, y) {
            (Some((a, _)), Some(b)) => a == b,
            (None, None) => true,
            _ => false,
        };
        if b.map(|x| &x.0) == t.map(|x| &x.0) {
            continue; // the templates did not change it
        }
        if same(b, &o) {
            // The learner did not touch it: take the templates' version.
            match t {
                Some((contents, executable)) => {
                    changes.push(Change::Write {
                        path: at.clone(),
                        contents: contents.clone(),
                        executable: *executable,
                    });
                    if b.is_some() {
                        summary.updated.push(at.clone());
                    } else {
                        summary.added.push(at.clone());
                    }
                }
                None => {
                    changes.push(Change::Remove { path: at.clone() });
                    summary.removed.push(at.clone());
                }
            }
            continue;
        }
        match (t, &o) {
            (None, None) => {}                                          // both removed it
            (Some((contents, _)), Some(ours)) if contents == ours => {} // already there
            (None, Some(_)) | (Some(_), None) => summary.kept.push(at.clone()),
            (Some((theirs, executable)), Some(ours)) => {
                let empty = Vec::new();
                let base_bytes = b.map(|x| &x.0).unwrap_or(&empty);
                let (merged, clean) = merge(repo, path, base_bytes, ours, theirs)?;
                changes.push(Change::Write {
                    path: at.clone(),
                    contents: merged,
                    executable: *executable,
                });
                if clean {
                    summary.merged.push(at.clone());
                } else {
                    summary.conflicted.push(at.clone());
                }
            }
        }
    }
    // Private files (secrets): created when missing, never overwritten.
    for file in plan.iter().filter(|f| f.private) {
        if std::fs::symlink_metadata(workdir.join(&file.path)).is_err() {
            changes.push(Change::Write {
                path: file.path.clone(),
                contents: file.contents.to_vec(),
                executable: false,
            });
            summary.added.push(file.path.clone());
        }
    }
    Ok((changes, summary))
}

/// A line-level 3-way merge; conflicts get markers with the base shown.
fn merge(
    repo: &Repository,
    path: &str,
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
) -> Result<(Vec<u8>, bool)> {
    if [base, ours, theirs].iter().any(|b| b.contains(&0)) {
        // Binary: keep the learner's, say it conflicts.
        return Ok((ours.to_vec(), false));
    }
    let entry = |bytes: &[u8]| -> Result<IndexEntry> {
        Ok(IndexEntry {
            ctime: IndexTime::new(0, 0),
            mtime: IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100644,
            uid: 0,
            gid: 0,
            file_size: bytes.len() as u32,
            id: repo.blob(bytes)?,
            flags: 0,
            flags_extended: 0,
            path: path.as_bytes().to_vec(),
        })
    };
    let mut opts = MergeFileOptions::new();
    opts.style_diff3(true)
        .ancestor_label("folio (before)")
        .our_label("yours")
        .their_label("folio (now)");
    let result = repo
        .merge_file_from_index(
            &entry(base)?,
            &entry(ours)?,
            &entry(theirs)?,
            Some(&mut opts),
        )
        .with_context(|| format!("git: cannot merge {path}"))?;
    Ok((result.content().to_vec(), result.is_automergeable()))
}

/// Applies the changes to the work tree.
pub fn apply(workdir: &Path, changes: &[Change]) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let root = workdir
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", workdir.display()))?;
    // A folder of the work tree replaced by a link must not take a write
    // outside the repo.
    let inside = |target: &Path| -> Result<()> {
        let mut at = target.parent();
        while let Some(dir) = at {
            if let Ok(real) = dir.canonicalize() {
                if !real.starts_with(&root) {
                    bail!(
                        "{} leads outside the repo (through a link); folio update writes only inside it",
                        target.display()
                    );
                }
                return Ok(());
            }
            at = dir.parent();
        }
        Ok(())
    };
    for change in changes {
        match change {
            Change::Write { path, .. } | Change::Remove { path } => inside(&workdir.join(path))?,
        }
    }
    for change in changes {
        match change {
            Change::Write {
                path,
                contents,
                executable,
            } => {
                let target = workdir.join(path);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                let tmp = tmp_path(&target);
                std::fs::write(&tmp, contents)
                    .with_context(|| format!("cannot write {}", tmp.display()))?;
                let mode = if *executable { 0o755 } else { 0o644 };
                std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
                std::fs::rename(&tmp, &target)
                    .with_context(|| format!("cannot write {}", target.display()))?;
            }
            Change::Remove { path } => {
                let target = workdir.join(path);
                std::fs::remove_file(&target)
                    .with_context(|| format!("cannot remove {}", target.display()))?;
            }
        }
    }
    Ok(())
}

fn tmp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.folio-update"))
}

/// Records the new pristine output as a commit on [`PRISTINE_REF`] whose
/// parent is the previous pristine commit; returns its id.
pub fn record_pristine(
    repo: &Repository,
    previous: &git2::Commit,
    plan: &FilePlan,
    sig: &Signature,
) -> Result<Oid> {
    let mut index = git2::Index::new()?;
    for (path, (contents, executable)) in pristine_of(plan) {
        let entry = IndexEntry {
            ctime: IndexTime::new(0, 0),
            mtime: IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: if executable { 0o100755 } else { 0o100644 },
            uid: 0,
            gid: 0,
            file_size: contents.len() as u32,
            id: repo.blob(&contents)?,
            flags: 0,
            flags_extended: 0,
            path: path.into_bytes(),
        };
        index.add(&entry)?;
    }
    let tree = repo.find_tree(index.write_tree_to(repo)?)?;
    let message = format!(
        "folio pristine output (folio {})\n\n{PRISTINE_TRAILER}\n",
        env!("CARGO_PKG_VERSION")
    );
    let id = repo.commit(None, sig, sig, &message, &tree, &[previous])?;
    repo.reference(PRISTINE_REF, id, true, "folio update: pristine output")?;
    Ok(id)
}

/// Commits the work tree after an update, with the new pristine commit as a
/// second parent so that clones carry it.
pub fn commit_update(
    repo: &Repository,
    pristine: Oid,
    sig: &Signature,
    message: &str,
) -> Result<Oid> {
    let mut index = repo.index()?;
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None)?;
    index.update_all(["*"], None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let head = repo.head()?.peel_to_commit()?;
    let pristine = repo.find_commit(pristine)?;
    Ok(repo.commit(Some("HEAD"), sig, sig, message, &tree, &[&head, &pristine])?)
}

/// `git diff --stat`-like lines, and with `patch` the unified diff, of the
/// changes against the work tree.
pub fn diff_text(workdir: &Path, changes: &[Change], patch: bool) -> Result<String> {
    let mut out = String::new();
    for change in changes {
        let (path, new): (&str, &[u8]) = match change {
            Change::Write { path, contents, .. } => (path, contents),
            Change::Remove { path } => (path, &[]),
        };
        let old = std::fs::read(workdir.join(path)).unwrap_or_default();
        let mut p = git2::Patch::from_buffers(
            &old,
            Some(Path::new(path)),
            new,
            Some(Path::new(path)),
            None,
        )?;
        let (_, added, deleted) = p.line_stats()?;
        out.push_str(&format!(" {path} | +{added} -{deleted}\n"));
        if patch {
            out.push_str(&String::from_utf8_lossy(&p.to_buf()?));
        }
    }
    Ok(out)
}

/// A short human summary, one line per kind.
pub fn summary_text(s: &Summary) -> String {
    let mut out = String::new();
    for (label, paths) in [
        ("updated", &s.updated),
        ("merged", &s.merged),
        ("CONFLICT", &s.conflicted),
        ("added", &s.added),
        ("removed", &s.removed),
        ("kept yours", &s.kept),
        ("renamed by you", &s.renamed),
    ] {
        for p in paths {
            out.push_str(&format!("  {label:<15} {p}\n"));
        }
    }
    if out.is_empty() {
        out.push_str("  nothing to change: the repo is up to date\n");
    }
    out
}
