//! Makes the generated folder a git repository with one initial commit on
//! `main`, using the user's git identity. The commit is built from the file
//! plan in memory (no file is read back), and holds every planned file except
//! what the project's own `.gitignore` files exclude: the user's global git
//! configuration (`core.excludesFile`, `init.templateDir`...) plays no part.
//! folio hashes and compresses the objects (blobs, trees, the commit) itself,
//! on all cores, and stores them as one pack file: much faster than libgit2
//! writing a loose file per object, or hashing each blob with SHA-1DC.

use std::path::Path;

use anyhow::{Context, Result};

use sha1::Digest as _;

use git2::{Config, ConfigLevel, Oid, Repository, RepositoryInitOptions, Signature};

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
    let excluded = ignored_files(&repo)?;
    let (mut kept, mut ignored) = (Vec::new(), Vec::new());
    for file in plan {
        if excluded.contains(file.path.as_str()) {
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

/// The files of `repo`'s work tree that its `.gitignore` files exclude, in
/// one walk of the tree (asking libgit2 path by path re-reads every parent
/// folder's `.gitignore` for each path).
fn ignored_files(repo: &Repository) -> Result<std::collections::HashSet<String>> {
    let mut opts = git2::StatusOptions::new();
    opts.include_ignored(true)
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .recurse_ignored_dirs(true)
        .exclude_submodules(true);
    let statuses = repo
        .statuses(Some(&mut opts))
        .context("git: cannot list the files .gitignore excludes")?;
    Ok(statuses
        .iter()
        .filter(|s| s.status().is_ignored())
        .filter_map(|s| s.path().map(str::to_string))
        .collect())
}

/// The blobs, trees and first commit of `files`, built in memory and
/// returned as one pack file with its index, with the tree's and the
/// commit's ids. Objects are hashed and compressed on all cores, each
/// undeltified and lightly compressed: a delta search costs more than it
/// saves on a starter repo.
fn build_pack(files: &[&PlannedFile], sig: &Signature, message: &str) -> Result<(Pack, Oid, Oid)> {
    let fail = "git: cannot build the first commit in memory";
    // Blobs, in a few chunks of about equal size (one compressor each).
    let total: usize = files.iter().map(|f| f.contents.len()).sum();
    let per_chunk = total / 8 + 1;
    let mut chunks: Vec<Vec<(Kind, &[u8])>> = vec![Vec::new()];
    let mut size = 0;
    for file in files {
        if size >= per_chunk {
            chunks.push(Vec::new());
            size = 0;
        }
        size += file.contents.len();
        if let Some(chunk) = chunks.last_mut() {
            chunk.push((Kind::Blob, &file.contents[..]));
        }
    }
    let mut objects: Vec<Encoded> =
        crate::render::parallel(&chunks, |chunk| encode_objects(chunk).context(fail))?
            .into_iter()
            .flatten()
            .collect();
    let blob_ids = objects.iter().map(|o| o.id);

    // Trees, innermost first, then the commit.
    let mut root = Folder::default();
    for (file, id) in files.iter().zip(blob_ids) {
        let mode = if file.executable { "100755" } else { "100644" };
        root.insert(&file.path, mode, id);
    }
    let mut trees = Vec::new();
    let tree_id = root.encode(&mut trees);
    let commit = commit_text(&tree_id, sig, message);
    let mut rest: Vec<(Kind, &[u8])> = trees.iter().map(|t| (Kind::Tree, &t[..])).collect();
    rest.push((Kind::Commit, commit.as_bytes()));
    objects.extend(encode_objects(&rest).context(fail)?);
    let commit_id = objects.last().map(|o| o.id).context(fail)?;

    // The pack and its index list each object once, by id.
    objects.sort_unstable_by_key(|o| o.id);
    objects.dedup_by_key(|o| o.id);
    let (pack, entries) = encode_pack(&objects);
    let ids: Vec<Oid> = objects
        .iter()
        .map(|o| Oid::from_bytes(&o.id))
        .collect::<Result<_, _>>()
        .context(fail)?;
    let checksum = &pack[pack.len() - 20..];
    let index = encode_index(&ids, &entries, checksum);
    Ok((
        Pack {
            name: checksum.iter().map(|b| format!("{b:02x}")).collect(),
            index,
            pack,
        },
        Oid::from_bytes(&tree_id).context(fail)?,
        Oid::from_bytes(&commit_id).context(fail)?,
    ))
}

/// A git object type, numbered as in a pack.
#[derive(Clone, Copy)]
enum Kind {
    Commit = 1,
    Tree = 2,
    Blob = 3,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Commit => "commit",
            Kind::Tree => "tree",
            Kind::Blob => "blob",
        }
    }
}

/// An object's id, as git computes it: the SHA-1 of `<type> <size>\0<data>`.
fn object_id(kind: Kind, data: &[u8]) -> [u8; 20] {
    let mut hash = sha1::Sha1::new();
    hash.update(format!("{} {}\0", kind.name(), data.len()));
    hash.update(data);
    hash.finalize().into()
}

/// An object's id and its whole pack entry (type, size, zlib stream).
struct Encoded {
    id: [u8; 20],
    entry: Vec<u8>,
    crc: u32,
}

/// Hashes each object ([`object_id`]) and encodes its pack entry,
/// compressed with zlib's fastest level. One compressor for all: making one
/// zeroes its tables, which costs more than compressing a starter's small
/// files.
fn encode_objects(objects: &[(Kind, &[u8])]) -> std::io::Result<Vec<Encoded>> {
    let mut z = flate2::Compress::new(flate2::Compression::fast(), true);
    let mut out = Vec::with_capacity(objects.len());
    for &(kind, data) in objects {
        let mut entry = Vec::with_capacity(data.len() / 2 + 64);
        // The type and size: 4 bits of size in the first byte, then 7 per byte.
        let mut size = data.len();
        let mut byte = ((kind as u8) << 4) | (size & 0x0f) as u8;
        size >>= 4;
        while size > 0 {
            entry.push(byte | 0x80);
            byte = (size & 0x7f) as u8;
            size >>= 7;
        }
        entry.push(byte);
        z.reset();
        loop {
            entry.reserve(data.len() / 2 + 64);
            let read = usize::try_from(z.total_in()).map_err(std::io::Error::other)?;
            let status = z
                .compress_vec(&data[read..], &mut entry, flate2::FlushCompress::Finish)
                .map_err(std::io::Error::other)?;
            if status == flate2::Status::StreamEnd {
                break;
            }
        }
        out.push(Encoded {
            id: object_id(kind, data),
            crc: crc32fast::hash(&entry),
            entry,
        });
    }
    Ok(out)
}

/// A folder of the first commit's tree: its files' modes and blob ids, and
/// its sub-folders.
#[derive(Default)]
struct Folder<'a> {
    files: Vec<(&'a str, &'static str, [u8; 20])>,
    folders: std::collections::BTreeMap<&'a str, Folder<'a>>,
}

impl<'a> Folder<'a> {
    fn insert(&mut self, path: &'a str, mode: &'static str, id: [u8; 20]) {
        match path.split_once('/') {
            Some((folder, rest)) => self
                .folders
                .entry(folder)
                .or_default()
                .insert(rest, mode, id),
            None => self.files.push((path, mode, id)),
        }
    }

    /// Appends this folder's tree object and its sub-folders' (innermost
    /// first) to `trees`; returns its id. Entries are in git's order: by
    /// name, a folder's name compared as if it ended with `/`.
    fn encode(&self, trees: &mut Vec<Vec<u8>>) -> [u8; 20] {
        let mut entries: Vec<(String, &str, [u8; 20])> = self
            .files
            .iter()
            .map(|(name, mode, id)| (name.to_string(), *mode, *id))
            .collect();
        for (name, folder) in &self.folders {
            entries.push((format!("{name}/"), "40000", folder.encode(trees)));
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut tree = Vec::new();
        for (name, mode, id) in &entries {
            tree.extend_from_slice(mode.as_bytes());
            tree.push(b' ');
            tree.extend_from_slice(name.trim_end_matches('/').as_bytes());
            tree.push(0);
            tree.extend_from_slice(id);
        }
        let id = object_id(Kind::Tree, &tree);
        trees.push(tree);
        id
    }
}

/// The commit object's text, as `git commit` writes it.
fn commit_text(tree: &[u8; 20], sig: &Signature, message: &str) -> String {
    let when = sig.when();
    let offset = when.offset_minutes();
    let sign = if offset < 0 { '-' } else { '+' };
    let person = format!(
        "{} <{}> {} {sign}{:02}{:02}",
        String::from_utf8_lossy(sig.name_bytes()),
        String::from_utf8_lossy(sig.email_bytes()),
        when.seconds(),
        offset.abs() / 60,
        offset.abs() % 60
    );
    let tree: String = tree.iter().map(|b| format!("{b:02x}")).collect();
    format!("tree {tree}\nauthor {person}\ncommitter {person}\n\n{message}")
}

/// A pack file, its index, and its name (the hex of its checksum).
struct Pack {
    name: String,
    pack: Vec<u8>,
    index: Vec<u8>,
}

/// A version 2 pack file of `objects` (entries already encoded), with its
/// SHA-1 trailer; and for each object, its offset in the pack and the
/// CRC-32 of its entry (for the index).
fn encode_pack(objects: &[Encoded]) -> (Vec<u8>, Vec<PackEntry>) {
    let size: usize = objects.iter().map(|o| o.entry.len()).sum();
    let mut pack = Vec::with_capacity(12 + size + 20);
    pack.extend_from_slice(b"PACK");
    pack.extend_from_slice(&2u32.to_be_bytes());
    pack.extend_from_slice(&(objects.len() as u32).to_be_bytes());
    let mut entries = Vec::with_capacity(objects.len());
    for object in objects {
        entries.push((pack.len() as u64, object.crc));
        pack.extend_from_slice(&object.entry);
    }
    let checksum = sha1::Sha1::digest(&pack);
    pack.extend_from_slice(&checksum);
    (pack, entries)
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

    fn file(path: &str, contents: &[u8], executable: bool) -> PlannedFile {
        PlannedFile {
            path: path.into(),
            contents: contents.to_vec().into(),
            executable,
            private: false,
            origin: "test".into(),
            partials: Vec::new(),
        }
    }

    /// The pack holds the very objects libgit2 makes of the same files
    /// (names that sort differently as folders, an executable, a repeated
    /// blob, an empty file, a large one), and a repository reads them back.
    #[test]
    fn the_pack_holds_what_libgit2_would_commit() {
        let big: Vec<u8> = (0..300_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let files = [
            file("a-b", b"dash", false),
            file("a.b", b"dot", false),
            file("a/x.sh", b"#!/bin/sh\necho\n", true),
            file("a/y/z.txt", b"dot", false),
            file("a0", b"", false),
            file("big.bin", &big, false),
            file("README.md", "Unicode \u{e9}\n".as_bytes(), false),
        ];
        let refs: Vec<&PlannedFile> = files.iter().collect();
        let sig = Signature::new(
            "Ada L",
            "ada@example.com",
            &git2::Time::new(1_700_000_000, -330),
        )
        .unwrap();
        let (pack, tree_id, commit_id) = build_pack(&refs, &sig, "Start it\n\nBody").unwrap();

        // What libgit2 makes of the same files, in memory.
        let mem = Repository::from_odb(git2::Odb::new().unwrap()).unwrap();
        let odb = mem.odb().unwrap();
        odb.add_new_mempack_backend(1).unwrap();
        let mut index = git2::Index::new().unwrap();
        for f in &files {
            let id = odb.write(git2::ObjectType::Blob, &f.contents).unwrap();
            index
                .add(&git2::IndexEntry {
                    ctime: git2::IndexTime::new(0, 0),
                    mtime: git2::IndexTime::new(0, 0),
                    dev: 0,
                    ino: 0,
                    mode: if f.executable { 0o100755 } else { 0o100644 },
                    uid: 0,
                    gid: 0,
                    file_size: f.contents.len() as u32,
                    id,
                    flags: 0,
                    flags_extended: 0,
                    path: f.path.as_bytes().to_vec(),
                })
                .unwrap();
        }
        let expected_tree = index.write_tree_to(&mem).unwrap();
        let tree = mem.find_tree(expected_tree).unwrap();
        let expected_commit = mem
            .commit(None, &sig, &sig, "Start it\n\nBody", &tree, &[])
            .unwrap();
        assert_eq!((tree_id, commit_id), (expected_tree, expected_commit));

        // A repository with only this pack reads every file back.
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(dir.path()).unwrap();
        let packs = dir.path().join("objects/pack");
        std::fs::write(packs.join(format!("pack-{}.pack", pack.name)), &pack.pack).unwrap();
        std::fs::write(packs.join(format!("pack-{}.idx", pack.name)), &pack.index).unwrap();
        let commit = repo.find_commit(commit_id).unwrap();
        assert_eq!(commit.message(), Some("Start it\n\nBody"));
        let tree = commit.tree().unwrap();
        for f in &files {
            let entry = tree.get_path(Path::new(&f.path)).unwrap();
            let blob = repo.find_blob(entry.id()).unwrap();
            assert_eq!(blob.content(), &f.contents[..], "{}", f.path);
            assert_eq!(
                entry.filemode(),
                if f.executable { 0o100755 } else { 0o100644 }
            );
        }
    }
}
