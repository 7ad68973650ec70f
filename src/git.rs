//! Makes the generated folder a git repository with one initial commit on
//! `main`, using the user's git identity. The commit is built from the file
//! plan in memory (no file is read back), and holds every planned file except
//! what the project's own `.gitignore` files exclude: the user's global git
//! configuration (`core.excludesFile`, `init.templateDir`...) plays no part.
//! The objects are built in memory and stored as one pack file, which is
//! much faster than a loose file per object.

use std::path::Path;

use anyhow::{Context, Result};
use std::io::Write as _;

use sha1::Digest as _;

use git2::{
    Config, ConfigLevel, Index, IndexEntry, IndexTime, ObjectType, Odb, Oid, Repository,
    RepositoryInitOptions, Signature,
};

use crate::render::{FilePlan, PlannedFile};

/// Who made the first commit, and whether that is a fallback.
#[derive(Clone)]
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

/// The user's git identity and wishes, read once from their configuration.
#[derive(Clone)]
pub struct UserGit {
    pub identity: Identity,
    pub signing_wanted: bool,
}

/// Reads the user's identity from their git configuration, then stops
/// libgit2 from reading any global, XDG or system configuration for the rest
/// of the process. Call it once, before any thread uses libgit2.
pub fn isolate() -> Result<UserGit> {
    let user_config = Config::open_default().ok();
    let identity = identity(user_config.as_ref());
    let signing_wanted = user_config
        .as_ref()
        .and_then(|c| c.get_bool("commit.gpgsign").ok())
        .unwrap_or(false);
    drop(user_config);
    for level in [
        ConfigLevel::ProgramData,
        ConfigLevel::System,
        ConfigLevel::XDG,
        ConfigLevel::Global,
    ] {
        // SAFETY: called before any other thread uses libgit2; the setting
        // holds for the rest of the process. /dev/null is no folder, so no
        // configuration file can be found in it.
        unsafe { git2::opts::set_search_path(level, "/dev/null") }
            .context("git: cannot set libgit2's configuration search path")?;
    }
    Ok(UserGit {
        identity,
        signing_wanted,
    })
}

/// `git init -b main` in `dir` (which holds `plan`, written), add every
/// planned file the project's `.gitignore` files do not exclude, commit.
pub fn init_and_commit(dir: &Path, plan: &FilePlan, message: &str) -> Result<FirstCommit> {
    let user = isolate()?;
    commit_plan(dir, plan, message, user)
}

/// [`init_and_commit`] as `user`, after [`isolate`].
pub fn commit_plan(
    dir: &Path,
    plan: &FilePlan,
    message: &str,
    user: UserGit,
) -> Result<FirstCommit> {
    let UserGit {
        identity,
        signing_wanted,
    } = user;
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
    let (mut kept, mut ignored) = (Vec::new(), Vec::new());
    for file in plan {
        let is_ignored = repo
            .is_path_ignored(&file.path)
            .with_context(|| format!("git: cannot check whether {} is ignored", file.path))?;
        if is_ignored {
            ignored.push(file.path.clone());
        } else {
            kept.push(file);
        }
    }
    let (pack, tree_id, first) = build_pack(&kept, &sig, message)?;

    // One pack file holds every object: far fewer files than loose objects.
    let odb = repo.odb().context("git: cannot open the object database")?;
    let mut writer = odb.packwriter().context("git: cannot write the objects")?;
    writer
        .write_all(&pack)
        .and_then(|()| writer.commit().map(drop).map_err(std::io::Error::other))
        .context("git: cannot write the objects")?;
    repo.reference(
        "refs/heads/main",
        first,
        false,
        &format!(
            "commit (initial): {}",
            message.lines().next().unwrap_or_default()
        ),
    )
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
    let tree = repo
        .find_tree(tree_id)
        .context("git: cannot read the tree")?;
    let mut index = repo.index().context("git: cannot open the index")?;
    index
        .read_tree(&tree)
        .and_then(|()| index.write())
        .context("git: cannot write the index")?;
    let files = kept.len();
    Ok(FirstCommit {
        identity,
        files,
        ignored,
        signing_wanted,
    })
}

/// The blobs, trees and first commit of `files`, built in memory and
/// returned as one pack file, with the tree's and the commit's ids.
fn build_pack(
    files: &[&PlannedFile],
    sig: &Signature,
    message: &str,
) -> Result<(Vec<u8>, Oid, Oid)> {
    let fail = "git: cannot build the first commit in memory";
    let mem = Repository::from_odb(Odb::new().context(fail)?).context(fail)?;
    let odb = mem.odb().context(fail)?;
    // Objects are written to memory; only the pack below reaches the disk.
    odb.add_new_mempack_backend(1).context(fail)?;
    let mut index = Index::new().context(fail)?;
    for file in files {
        let id = odb
            .write(ObjectType::Blob, &file.contents)
            .with_context(|| format!("git: cannot add {}", file.path))?;
        let entry = IndexEntry {
            ctime: IndexTime::new(0, 0),
            mtime: IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: if file.executable { 0o100755 } else { 0o100644 },
            uid: 0,
            gid: 0,
            file_size: u32::try_from(file.contents.len()).unwrap_or(u32::MAX),
            id,
            flags: 0,
            flags_extended: 0,
            path: file.path.as_bytes().to_vec(),
        };
        index
            .add(&entry)
            .with_context(|| format!("git: cannot add {}", file.path))?;
    }
    let tree_id = index
        .write_tree_to(&mem)
        .context("git: cannot write the tree")?;
    let tree = mem.find_tree(tree_id).context(fail)?;
    let commit = mem
        .commit(None, sig, sig, message, &tree, &[])
        .context("git: cannot make the first commit")?;
    // Every object, undeltified and lightly compressed: libgit2's own dump
    // searches for deltas, which costs more than it saves on a starter repo.
    let mut objects = vec![commit, tree_id];
    tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        objects.push(entry.id());
        git2::TreeWalkResult::Ok
    })
    .context(fail)?;
    objects.sort_unstable();
    objects.dedup();
    let objects = objects
        .into_iter()
        .map(|id| odb.read(id))
        .collect::<Result<Vec<_>, _>>()
        .context(fail)?;
    let pack = encode_pack(objects.iter().map(|o| (o.kind(), o.data()))).context(fail)?;
    Ok((pack, tree_id, commit))
}

/// A version 2 pack file of whole (undeltified) objects, each compressed
/// with zlib's fastest level, with its SHA-1 trailer.
fn encode_pack<'a>(
    objects: impl ExactSizeIterator<Item = (ObjectType, &'a [u8])>,
) -> std::io::Result<Vec<u8>> {
    let mut pack = Vec::new();
    pack.extend_from_slice(b"PACK");
    pack.extend_from_slice(&2u32.to_be_bytes());
    let count = u32::try_from(objects.len()).map_err(std::io::Error::other)?;
    pack.extend_from_slice(&count.to_be_bytes());
    for (kind, data) in objects {
        let kind: u8 = match kind {
            ObjectType::Commit => 1,
            ObjectType::Tree => 2,
            ObjectType::Blob => 3,
            other => {
                return Err(std::io::Error::other(format!(
                    "unexpected object {other:?}"
                )))
            }
        };
        // The type and size: 4 bits of size in the first byte, then 7 per byte.
        let mut size = data.len();
        let mut byte = (kind << 4) | (size & 0x0f) as u8;
        size >>= 4;
        while size > 0 {
            pack.push(byte | 0x80);
            byte = (size & 0x7f) as u8;
            size >>= 7;
        }
        pack.push(byte);
        let mut z = flate2::write::ZlibEncoder::new(&mut pack, flate2::Compression::fast());
        z.write_all(data)?;
        z.finish()?;
    }
    let checksum = sha1::Sha1::digest(&pack);
    pack.extend_from_slice(&checksum);
    Ok(pack)
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
