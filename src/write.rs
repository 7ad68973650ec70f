//! Writes a file plan to disk atomically: everything goes into a hidden
//! staging folder beside the target, which is renamed into place only when
//! complete. An existing non-empty target is never touched.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{bail, Context, Result};

use crate::render::FilePlan;

/// Set by the Ctrl-C handler while files are being written.
pub static CANCELLED: AtomicBool = AtomicBool::new(false);

/// Fails if the user pressed Ctrl-C.
pub fn check_cancelled() -> Result<()> {
    if CANCELLED.load(Ordering::SeqCst) {
        bail!(crate::Cancelled);
    }
    Ok(())
}

/// A complete project in a staging folder, not yet at its target.
pub struct Staged {
    dir: tempfile::TempDir,
    target: PathBuf,
}

/// Fails unless `target` is missing or an empty folder.
pub fn check_target(target: &Path) -> Result<()> {
    match fs::read_dir(target) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "{} already exists and is not empty; folio never modifies an existing project. Choose another folder (e.g. `folio new SPEC other-dir`) or remove this one.",
                    target.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            bail!(
                "{} exists and is a file; choose another folder",
                target.display()
            )
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", target.display())),
    }
}

/// Writes every file into a staging folder beside `target`.
pub fn stage(plan: &FilePlan, target: &Path) -> Result<Staged> {
    check_target(target)?;
    // Absolute, so that `.` or `sub/..` have a real parent to stage beside.
    let target = &if target.exists() {
        fs::canonicalize(target).with_context(|| format!("cannot resolve {}", target.display()))?
    } else {
        std::path::absolute(target)
            .with_context(|| format!("cannot resolve {}", target.display()))?
    };
    let Some(parent) = target.parent().map(Path::to_path_buf) else {
        bail!(
            "cannot create a project at {}; choose a folder inside it",
            target.display()
        );
    };
    fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create folder {}", parent.display()))?;
    let dir = tempfile::Builder::new()
        .prefix(".folio-staging-")
        .tempdir_in(&parent)
        .with_context(|| {
            format!(
                "cannot create a staging folder in {}; is it writable?",
                parent.display()
            )
        })?;
    for file in plan {
        check_cancelled()?;
        let path = dir.path().join(&file.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)
                .with_context(|| format!("cannot create folder {}", p.display()))?;
        }
        write_file(&path, &file.contents, file.executable)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(Staged {
        dir,
        target: target.to_path_buf(),
    })
}

fn write_file(path: &Path, contents: &[u8], executable: bool) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if executable { 0o755 } else { 0o644 });
    }
    let mut f = options.open(path)?;
    f.write_all(contents)
}

impl Staged {
    /// The staging folder (for git to commit in before the move).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Moves the staged project to its target. The target must still be
    /// missing or empty; on any failure nothing is left behind.
    pub fn finish(self) -> Result<()> {
        check_cancelled()?;
        check_target(&self.target)?;
        let staging = self.dir.keep();
        let result = move_into_place(&staging, &self.target);
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        result
    }
}

fn move_into_place(staging: &Path, target: &Path) -> Result<()> {
    if !target.exists() {
        return fs::rename(staging, target)
            .with_context(|| format!("cannot move the new project to {}", target.display()));
    }
    // An existing empty folder (maybe the current one): move entries into it,
    // undoing the moves if one fails.
    let mut moved: Vec<PathBuf> = Vec::new();
    for entry in
        fs::read_dir(staging).with_context(|| format!("cannot read {}", staging.display()))?
    {
        let entry = entry.with_context(|| format!("cannot read {}", staging.display()))?;
        let dest = target.join(entry.file_name());
        if let Err(e) = fs::rename(entry.path(), &dest) {
            for m in moved.iter().rev() {
                let _ = remove(m);
            }
            return Err(e).with_context(|| format!("cannot move files into {}", target.display()));
        }
        moved.push(dest);
    }
    fs::remove_dir(staging)
        .with_context(|| format!("cannot remove staging folder {}", staging.display()))
}

fn remove(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}
