//! Reading untrusted input (template packs, answers files): regular files and
//! folders only, never through a symbolic link inside a pack, never a FIFO,
//! socket or device, and never more than a size cap.

use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags};

use crate::limits;

/// What a file-system entry is, in words.
fn kind(t: FileType) -> &'static str {
    match t {
        FileType::Symlink => "a symbolic link",
        FileType::Fifo => "a FIFO (named pipe)",
        FileType::Socket => "a socket",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        FileType::Directory => "a folder",
        FileType::RegularFile => "a regular file",
        FileType::Unknown => "of an unknown kind",
    }
}

const READ_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::NONBLOCK)
    .union(OFlags::CLOEXEC)
    .union(OFlags::NOCTTY);

/// Reads a file the user named on the command line (e.g. `--answers`). A link
/// the user gave is followed, but what it leads to must be a regular file of
/// at most `max` bytes: a FIFO, a device or `/dev/zero` is refused unopened.
pub fn read_named_file(path: &Path, max: u64, what: &str) -> Result<Vec<u8>> {
    let st = rfs::stat(path).with_context(|| format!("cannot read {what} {}", path.display()))?;
    let t = FileType::from_raw_mode(st.st_mode);
    if t != FileType::RegularFile {
        bail!(
            "{what} {} is {}, not a regular file",
            path.display(),
            kind(t)
        );
    }
    let fd = rfs::open(path, READ_FLAGS, Mode::empty())
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    read_capped(fd, path, max, what)
}

/// Reads an open regular file of at most `max` bytes, checking the type of
/// what was opened (it may have changed since it was looked at).
fn read_capped(fd: OwnedFd, path: &Path, max: u64, what: &str) -> Result<Vec<u8>> {
    let st = rfs::fstat(fd.as_fd()).with_context(|| format!("cannot read {}", path.display()))?;
    let t = FileType::from_raw_mode(st.st_mode);
    if t != FileType::RegularFile {
        bail!(
            "{what} {} is {}, not a regular file",
            path.display(),
            kind(t)
        );
    }
    let too_big = |size: u64| {
        anyhow::anyhow!(
            "{what} {} is {} bytes, over folio's limit of {} bytes (see SECURITY.md, \"Limits\")",
            path.display(),
            size,
            max
        )
    };
    let size = u64::try_from(st.st_size).unwrap_or(u64::MAX);
    if size > max {
        return Err(too_big(size));
    }
    // The file as it was measured: bytes it gains from now on are not read
    // (and the read needs no second call to find the end).
    let mut bytes = Vec::with_capacity(size as usize);
    std::fs::File::from(fd)
        .take(size)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(bytes)
}

/// One file of a template pack: its path relative to the pack root (with `/`)
/// and its bytes.
pub struct PackFile {
    pub rel: String,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Reads every file below a template pack's root folder, which must already
/// be resolved (no link). Folders are opened relative to their parent with
/// no-follow flags, so nothing outside the root is ever read. A `.git` at the
/// root (a pack kept in git) is not part of the pack and is skipped.
pub fn read_pack(root: &Path) -> Result<Vec<PackFile>> {
    let fd = rfs::open(
        root,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("cannot open template pack folder {}", root.display()))?;
    let mut walk = Walk {
        files: Vec::new(),
        total: 0,
    };
    walk.dir(&fd, root, "", 0)?;
    Ok(walk.files)
}

struct Walk {
    files: Vec<PackFile>,
    total: u64,
}

impl Walk {
    fn dir(&mut self, dir: &OwnedFd, path: &Path, rel: &str, depth: usize) -> Result<()> {
        let cannot = || format!("cannot read template pack folder {}", path.display());
        let mut names = Vec::new();
        for entry in rfs::Dir::read_from(dir).with_context(cannot)? {
            let entry = entry.with_context(cannot)?;
            let name = entry.file_name().to_bytes().to_vec();
            if name != b"." && name != b".." {
                names.push((name, entry.file_type()));
            }
        }
        names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (name, listed) in names {
            let Ok(name) = String::from_utf8(name.clone()) else {
                bail!(
                    "template pack entry {} has a name that is not UTF-8; rename it",
                    path.join(String::from_utf8_lossy(&name).as_ref()).display()
                );
            };
            let entry_path = path.join(&name);
            if depth == 0 && name == ".git" {
                continue;
            }
            // The kind the folder lists, else (file systems that do not say)
            // the kind stat gives. Either way, what is opened is opened
            // without following links and checked again once open.
            let kind_of = match listed {
                FileType::Unknown => FileType::from_raw_mode(
                    rfs::statat(dir, name.as_str(), AtFlags::SYMLINK_NOFOLLOW)
                        .with_context(|| format!("cannot read {}", entry_path.display()))?
                        .st_mode,
                ),
                known => known,
            };
            let entry_rel = format!("{rel}{name}");
            match kind_of {
                FileType::Directory => {
                    if depth + 1 > limits::PACK_DEPTH {
                        bail!(
                            "template pack folder {} is nested deeper than folio's limit of {} folders (see SECURITY.md, \"Limits\")",
                            entry_path.display(),
                            limits::PACK_DEPTH
                        );
                    }
                    let fd = rfs::openat(
                        dir,
                        name.as_str(),
                        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                        Mode::empty(),
                    )
                    .with_context(|| format!("cannot open {}", entry_path.display()))?;
                    self.dir(&fd, &entry_path, &format!("{entry_rel}/"), depth + 1)?;
                }
                FileType::RegularFile => self.file(dir, &name, entry_path, entry_rel)?,
                other => {
                    let why = if other == FileType::Symlink {
                        "a link could pull files from outside the pack (say /etc/passwd) into every learner's repo; put a copy of the file in the pack instead"
                    } else {
                        "reading it could block or never end; remove it"
                    };
                    bail!(
                        "template pack entry {} is {}: a pack may hold only regular files and folders ({why})",
                        entry_path.display(),
                        kind(other)
                    );
                }
            }
        }
        Ok(())
    }

    fn file(&mut self, dir: &OwnedFd, name: &str, path: PathBuf, rel: String) -> Result<()> {
        if self.files.len() >= limits::PACK_FILES {
            bail!(
                "the template pack has more than folio's limit of {} files (see SECURITY.md, \"Limits\")",
                limits::PACK_FILES
            );
        }
        let fd = rfs::openat(dir, name, READ_FLAGS | OFlags::NOFOLLOW, Mode::empty())
            .with_context(|| format!("cannot read {}", path.display()))?;
        let (max, what) = if name.ends_with(".hbs") {
            (limits::PACK_TEMPLATE, "template")
        } else {
            (limits::PACK_FILE, "template pack file")
        };
        let bytes = read_capped(fd, &path, max, what)?;
        self.total += bytes.len() as u64;
        if self.total > limits::PACK_TOTAL {
            bail!(
                "the template pack holds more than folio's limit of {} bytes in all (reached at {}; see SECURITY.md, \"Limits\")",
                limits::PACK_TOTAL,
                path.display()
            );
        }
        self.files.push(PackFile { rel, path, bytes });
        Ok(())
    }
}
