//! Makes the generated folder a git repository with one initial commit on
//! `main`, using the user's git identity. The commit is built from the file
//! plan in memory (no file is read back), and holds every planned file except
//! what the project's own `.gitignore` files exclude: the user's global git
//! configuration (`core.excludesFile`, `init.templateDir`...) plays no part.
//! The objects are built in memory and stored as one pack file, which is
//! much faster than a loose file per object.

use std::path::Path;

use anyhow::{Context, Result};

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

    // One pack file holds every object: far fewer files than loose
    // objects. Its index is written from what building it recorded (the
    // pack is not read back); a pack counts once its index exists.
    let packs = repo.path().join("objects/pack");
    for (ext, bytes) in [("pack", &pack.pack), ("idx", &pack.index)] {
        std::fs::write(packs.join(format!("pack-{}.{ext}", pack.name)), bytes)
            .context("git: cannot write the objects")?;
    }
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
/// returned as one pack file with its index, with the tree's and the
/// commit's ids.
fn build_pack(files: &[&PlannedFile], sig: &Signature, message: &str) -> Result<(Pack, Oid, Oid)> {
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
    let read = objects
        .iter()
        .map(|id| odb.read(*id))
        .collect::<Result<Vec<_>, _>>()
        .context(fail)?;
    let (pack, entries) = encode_pack(read.iter().map(|o| (o.kind(), o.data()))).context(fail)?;
    let checksum = &pack[pack.len() - 20..];
    let index = encode_index(&objects, &entries, checksum);
    Ok((
        Pack {
            name: checksum.iter().map(|b| format!("{b:02x}")).collect(),
            index,
            pack,
        },
        tree_id,
        commit,
    ))
}

/// A pack file, its index, and its name (the hex of its checksum).
struct Pack {
    name: String,
    pack: Vec<u8>,
    index: Vec<u8>,
}

/// A version 2 pack file of whole (undeltified) objects, each compressed
/// with zlib's fastest level, with its SHA-1 trailer; and for each object,
/// its offset in the pack and the CRC-32 of its entry (for the index).
fn encode_pack<'a>(
    objects: impl ExactSizeIterator<Item = (ObjectType, &'a [u8])>,
) -> std::io::Result<(Vec<u8>, Vec<PackEntry>)> {
    let mut pack = Vec::new();
    pack.extend_from_slice(b"PACK");
    pack.extend_from_slice(&2u32.to_be_bytes());
    let count = u32::try_from(objects.len()).map_err(std::io::Error::other)?;
    pack.extend_from_slice(&count.to_be_bytes());
    // One compressor for every object: making one zeroes its tables, which
    // costs more than compressing a starter's small files.
    let mut z = flate2::Compress::new(flate2::Compression::fast(), true);
    let mut entries = Vec::with_capacity(objects.len());
    for (kind, data) in objects {
        let start = pack.len();
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
        z.reset();
        loop {
            pack.reserve(data.len() / 2 + 64);
            let read = usize::try_from(z.total_in()).map_err(std::io::Error::other)?;
            let status = z
                .compress_vec(&data[read..], &mut pack, flate2::FlushCompress::Finish)
                .map_err(std::io::Error::other)?;
            if status == flate2::Status::StreamEnd {
                break;
            }
        }
        entries.push((start as u64, crc32fast::hash(&pack[start..])));
    }
    let checksum = sha1::Sha1::digest(&pack);
    pack.extend_from_slice(&checksum);
    Ok((pack, entries))
}

/// Where an object's entry starts in a pack, and the CRC-32 of the entry.
type PackEntry = (u64, u32);

/// The version 2 index of a pack holding the objects `ids` (sorted, as in
/// the pack) at the offsets and with the CRC-32s of `entries`: what `git
/// index-pack` writes, without reading the pack back.
fn encode_index(ids: &[Oid], entries: &[PackEntry], pack_checksum: &[u8]) -> Vec<u8> {
    let mut idx = Vec::with_capacity(1072 + ids.len() * 28 + 40);
    idx.extend_from_slice(b"\xfftOc");
    idx.extend_from_slice(&2u32.to_be_bytes());
    let mut fanout = [0u32; 256];
    for id in ids {
        fanout[id.as_bytes()[0] as usize] += 1;
    }
    let mut total = 0;
    for n in fanout {
        total += n;
        idx.extend_from_slice(&total.to_be_bytes());
    }
    for id in ids {
        idx.extend_from_slice(id.as_bytes());
    }
    for (_, crc) in entries {
        idx.extend_from_slice(&crc.to_be_bytes());
    }
    // Offsets from 2^31 on go to a table of 8-byte offsets.
    let mut large: Vec<u8> = Vec::new();
    for (offset, _) in entries {
        match u32::try_from(*offset) {
            Ok(small) if small < 0x8000_0000 => idx.extend_from_slice(&small.to_be_bytes()),
            _ => {
                let slot = 0x8000_0000 | (large.len() / 8) as u32;
                idx.extend_from_slice(&slot.to_be_bytes());
                large.extend_from_slice(&offset.to_be_bytes());
            }
        }
    }
    idx.extend_from_slice(&large);
    idx.extend_from_slice(pack_checksum);
    let checksum = sha1::Sha1::digest(&idx);
    idx.extend_from_slice(&checksum);
    idx
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lists_ids_crcs_and_offsets_with_a_table_for_large_ones() {
        let ids = [
            Oid::from_str("0100000000000000000000000000000000000000").unwrap(),
            Oid::from_str("ff00000000000000000000000000000000000000").unwrap(),
        ];
        let idx = encode_index(&ids, &[(12, 7), (0x8000_0005, 9)], &[0xaa; 20]);
        let word = |at: usize| u32::from_be_bytes(idx[at..at + 4].try_into().unwrap());
        assert_eq!(&idx[..8], b"\xfftOc\0\0\0\x02");
        // Fanout: objects whose first byte is at most 0x00, 0x01, 0xfe, 0xff.
        assert_eq!(
            [word(8), word(8 + 4), word(8 + 4 * 254), word(8 + 4 * 255)],
            [0, 1, 1, 2]
        );
        let after_fanout = 8 + 1024;
        assert_eq!(&idx[after_fanout..after_fanout + 20], ids[0].as_bytes());
        let crcs = after_fanout + 40;
        assert_eq!([word(crcs), word(crcs + 4)], [7, 9]);
        let offsets = crcs + 8;
        assert_eq!([word(offsets), word(offsets + 4)], [12, 0x8000_0000]);
        let large = offsets + 8;
        assert_eq!(idx[large..large + 8], 0x8000_0005u64.to_be_bytes());
        assert_eq!(idx[large + 8..large + 28], [0xaa; 20]);
        assert_eq!(
            &idx[large + 28..],
            sha1::Sha1::digest(&idx[..large + 28]).as_slice()
        );
    }
}
