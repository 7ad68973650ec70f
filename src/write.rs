//! Writes a file plan to disk atomically: everything goes into a private
//! staging folder beside the target, which is renamed into place only when
//! complete, never over anything that exists. An existing non-empty target
//! is never touched; on any failure nothing is left behind, including the
//! folders above the target that this run created.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, DirEntryExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rustix::fd::{AsFd, BorrowedFd};
use rustix::fs::{self as rfs, renameat_with, Mode, OFlags, RenameFlags, CWD};

use crate::cancel;
use crate::render::FilePlan;

/// Staging folders are named `.folio-staging-<pid>-<random>`.
const STAGING_PREFIX: &str = ".folio-staging-";

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

/// A complete project in a staging folder, not yet at its target. Dropped
/// without [`Staged::finish`], it removes the staging folder and the folders
/// it created above the target.
pub struct Staged {
    staging: PathBuf,
    target: PathBuf,
    /// Folders created above the target, outermost first.
    created: Vec<PathBuf>,
    done: bool,
    _guard: cancel::Guard,
}

/// Writes every file into a new private staging folder beside `target`, and
/// first removes staging folders that killed runs left there. Returns notes
/// for the user (what was cleaned up).
pub fn stage(plan: &FilePlan, target: &Path) -> Result<(Staged, Vec<String>)> {
    let guard = cancel::Guard::new()?;
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
    let created = create_dirs(&parent)?;
    let mut staged = Staged {
        staging: PathBuf::new(),
        target: target.to_path_buf(),
        created,
        done: false,
        _guard: guard,
    };
    let notes = remove_abandoned(&parent);
    staged.staging = make_staging(&parent)?;
    // The staging folder is new and empty: each folder is made once, with
    // one mkdir, parents first; then the files, on all cores. Paths are
    // relative to the staging folder's descriptor: the kernel does not walk
    // the whole absolute path for every file.
    let root = rfs::open(
        &staged.staging,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("cannot open folder {}", staged.staging.display()))?;
    let mut folders = std::collections::HashSet::new();
    for file in plan {
        for (end, _) in file.path.match_indices('/') {
            let folder = &file.path[..end];
            if folders.insert(folder) {
                rfs::mkdirat(&root, folder, Mode::from_raw_mode(0o777)).with_context(|| {
                    let p = staged.staging.join(folder);
                    format!("cannot create folder {}", p.display())
                })?;
            }
        }
    }
    crate::render::parallel(plan, |file| {
        cancel::check()?;
        let mode = match (file.private, file.executable) {
            (true, true) => 0o700,
            (true, false) => 0o600,
            (false, true) => 0o755,
            (false, false) => 0o644,
        };
        write_file(root.as_fd(), &file.path, &file.contents, mode).with_context(|| {
            let p = staged.staging.join(&file.path);
            format!("cannot write {}", p.display())
        })
    })?;
    Ok((staged, notes))
}

/// `mkdir -p`, returning the folders it made, outermost first.
fn create_dirs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut at = dir;
    while !at.exists() {
        missing.push(at.to_path_buf());
        match at.parent() {
            Some(p) => at = p,
            None => break,
        }
    }
    missing.reverse();
    let mut created = Vec::new();
    for d in missing {
        match fs::create_dir(&d) {
            Ok(()) => created.push(d),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => {
                remove_created(&created);
                return Err(e).with_context(|| format!("cannot create folder {}", d.display()));
            }
        }
    }
    Ok(created)
}

/// Removes folders this run created, innermost first, if still empty.
fn remove_created(created: &[PathBuf]) {
    for d in created.iter().rev() {
        let _ = fs::remove_dir(d);
    }
}

/// Makes `.folio-staging-<pid>-<random>` in `parent`, readable by its owner only.
fn make_staging(parent: &Path) -> Result<PathBuf> {
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("cannot get random bytes: {e}"))?;
    let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let staging = parent.join(format!("{STAGING_PREFIX}{}-{suffix}", std::process::id()));
    fs::DirBuilder::new()
        .mode(0o700)
        .create(&staging)
        .with_context(|| {
            format!(
                "cannot create a staging folder in {}; is it writable?",
                parent.display()
            )
        })?;
    Ok(staging)
}

/// Removes staging folders in `parent` whose run is gone (killed before it
/// could clean up): owned by this user, and their process no longer exists.
fn remove_abandoned(parent: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let uid = rustix::process::getuid().as_raw();
    let mut notes = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(STAGING_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if !meta.is_dir() || meta.uid() != uid || process_exists(pid) {
            continue;
        }
        if fs::remove_dir_all(entry.path()).is_ok() {
            notes.push(format!(
                "removed {}, left by a folio run that was killed (process {pid} is gone)",
                entry.path().display()
            ));
        }
    }
    notes
}

fn process_exists(pid: i32) -> bool {
    match rustix::process::Pid::from_raw(pid) {
        // EPERM: it exists but belongs to someone else.
        Some(pid) => !matches!(
            rustix::process::test_kill_process(pid),
            Err(rustix::io::Errno::SRCH)
        ),
        None => true,
    }
}

/// Creates the new file `path` under the folder `at` (never an existing
/// one, never through a link) and writes `contents`.
fn write_file(at: BorrowedFd, path: &str, contents: &[u8], mode: u32) -> std::io::Result<()> {
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd = rfs::openat(at, path, flags, Mode::from_raw_mode(mode))?;
    fs::File::from(fd).write_all(contents)
}

impl Staged {
    /// The staging folder (for git to commit in before the move).
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Moves the staged project to its target, never over anything that
    /// appeared there meanwhile; on any failure nothing is left behind.
    pub fn finish(mut self) -> Result<()> {
        cancel::check()?;
        check_target(&self.target)?;
        let renamed = move_into_place(&self.staging, &self.target)?;
        self.done = true;
        if renamed {
            // The private staging folder is now the project: give it the mode
            // a plain `mkdir` would have.
            let mode = 0o777 & !current_umask();
            fs::set_permissions(&self.target, fs::Permissions::from_mode(mode))
                .with_context(|| format!("cannot set the mode of {}", self.target.display()))?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            if !self.staging.as_os_str().is_empty() {
                let _ = fs::remove_dir_all(&self.staging);
            }
            remove_created(&self.created);
        }
    }
}

fn current_umask() -> u32 {
    use rustix::fs::Mode;
    // umask can only be read by setting it; nothing else creates files now.
    let old = rustix::process::umask(Mode::from_raw_mode(0o077));
    rustix::process::umask(old);
    old.as_raw_mode()
}

/// `rename(from, to)` that fails with `AlreadyExists` instead of replacing `to`.
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        // A file system without RENAME_NOREPLACE: check, then rename.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {
            if fs::symlink_metadata(to).is_ok() {
                return Err(std::io::ErrorKind::AlreadyExists.into());
            }
            fs::rename(from, to)
        }
        Err(e) => Err(e.into()),
    }
}

/// Moves the staging folder to `target`, or its entries into `target` when
/// that is an existing empty folder; true in the first case.
fn move_into_place(staging: &Path, target: &Path) -> Result<bool> {
    match rename_no_replace(staging, target) {
        Ok(()) => return Ok(true),
        // An existing folder: fill it if it is (still) empty.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => check_target(target)?,
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot move the new project to {}", target.display()))
        }
    }
    // Move the entries in one by one, each only where nothing is; if one
    // fails, undo exactly the moves this run made.
    let mut moved: Vec<(PathBuf, PathBuf, u64)> = Vec::new();
    for entry in
        fs::read_dir(staging).with_context(|| format!("cannot read {}", staging.display()))?
    {
        let entry = entry.with_context(|| format!("cannot read {}", staging.display()))?;
        let from = entry.path();
        let ino = entry.ino();
        let dest = target.join(entry.file_name());
        if let Err(e) = rename_no_replace(&from, &dest) {
            for (from, dest, ino) in moved.iter().rev() {
                // Only what is still this run's own entry goes back.
                if fs::symlink_metadata(dest).is_ok_and(|m| m.ino() == *ino) {
                    let _ = fs::rename(dest, from);
                }
            }
            let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "{} appeared while folio was writing (another program is writing there); nothing of this run was left in it",
                    dest.display()
                )
            } else {
                format!("cannot move files into {}", target.display())
            };
            return Err(e).context(why);
        }
        moved.push((from, dest, ino));
    }
    fs::remove_dir(staging)
        .with_context(|| format!("cannot remove staging folder {}", staging.display()))?;
    Ok(false)
}
