//! The template tree: every file under `templates/`, embedded at build time
//! and optionally layered with a bootcamp's template pack folder.
//!
//! The built-in files are read where include_dir put them, one folder at a
//! time, only when asked for: a run reads the few folders its blueprint
//! uses, not all of the tree (walking it all was most of what `folio list`
//! cost, and a megabyte of resident memory).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use include_dir::{include_dir, Dir};
use sha2::Digest;

/// Every file of `templates/`, each template (`.hbs`) empty: its compiled
/// form is in [`crate::precompiled`] (build.rs writes this tree).
static EMBEDDED: Dir<'static> = include_dir!("$OUT_DIR/embedded");

/// All template files, keyed by their path relative to `templates/`.
#[derive(Debug, Clone)]
pub struct Templates {
    /// The pack's files (path under `templates/` -> bytes): each replaces the
    /// built-in file of the same path or adds one.
    files: BTreeMap<String, Vec<u8>>,
    /// Where each file came from, for error messages ("templates/..." or a pack path).
    origin: BTreeMap<String, String>,
    /// The template pack layered over the built-in templates, if any.
    pub pack: Option<PackRef>,
    /// The pack's `pack.toml`, if it has one.
    pub manifest: Option<PackManifest>,
    /// The pack's templates as compiled by earlier runs, and by this one.
    compiled: std::sync::Arc<crate::template_cache::CompiledPack>,
}

/// A template pack's `pack.toml`: what it is, and which folio versions it
/// works with. Checked when the pack is loaded.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackManifest {
    /// A short name, shown by `folio list` and `folio show`.
    pub name: String,
    /// The pack's own version (semver), e.g. "1.2.0".
    pub version: String,
    /// The folio versions it supports, as a semver requirement, e.g. ">=0.1, <0.3".
    pub folio: String,
    #[serde(default)]
    pub description: String,
}

/// Which template pack made a repo: recorded in `.folio/answers.toml` so a
/// replay or an update can use the same one, or say it is not there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackRef {
    /// The pack as it was passed: a folder, or a git URL.
    pub source: String,
    /// SHA-256 of the pack's files (paths and contents).
    pub sha256: String,
    /// For a git pack, the commit it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

impl Templates {
    /// The templates built into the binary.
    pub fn embedded() -> Self {
        Templates {
            files: BTreeMap::new(),
            origin: BTreeMap::new(),
            pack: None,
            manifest: None,
            compiled: Default::default(),
        }
    }

    /// Layers a template pack over these templates: a folder, or a git URL
    /// with an optional `#REV` (see [`crate::pack_git`]). A pack file with
    /// the same path replaces the built-in one, new files are added. The pack
    /// is untrusted: see [`crate::untrusted::read_pack`] for what is refused.
    /// Returns a note to show (a pack root that is a link, a pack used
    /// offline from the cache).
    pub fn with_pack(self, pack: &Path) -> Result<(Self, Option<String>)> {
        let source = pack.to_string_lossy();
        if let Some(git) = crate::pack_git::parse(&source) {
            let fetched = crate::pack_git::fetch(&git)?;
            let commit = fetched.commit.to_string();
            let layered = self.layer(fetched.files, git.url.clone(), Some(commit))?;
            return Ok((layered, fetched.note));
        }
        let not_a_folder = || {
            format!(
                "template pack {} is not a folder; pass a folder laid out like folio's templates/, or a git URL (https://, ssh://, git://, file://) with an optional #TAG (see docs/templates.md)",
                pack.display()
            )
        };
        let meta = std::fs::symlink_metadata(pack).with_context(not_a_folder)?;
        let (root, note) = if meta.file_type().is_symlink() {
            let root = pack.canonicalize().with_context(not_a_folder)?;
            let note = format!(
                "template pack {} is a link; reading the folder it points to, {}",
                pack.display(),
                root.display()
            );
            (root, Some(note))
        } else {
            (pack.to_path_buf(), None)
        };
        if !root.is_dir() {
            anyhow::bail!(not_a_folder());
        }
        let files = crate::untrusted::read_pack(&root)?;
        Ok((self.layer(files, pack.display().to_string(), None)?, note))
    }

    /// Adds a pack's files over these templates and records which pack it was.
    fn layer(
        mut self,
        files: Vec<crate::untrusted::PackFile>,
        source: String,
        commit: Option<String>,
    ) -> Result<Self> {
        if let Some(file) = files.iter().find(|f| f.rel == "pack.toml") {
            self.manifest = Some(check_manifest(
                &file.path.display().to_string(),
                &file.bytes,
            )?);
        }
        let mut hash = sha2::Sha256::new();
        for file in files {
            hash.update(format!("{}\0{}\0", file.rel, file.bytes.len()));
            hash.update(&file.bytes);
            self.origin
                .insert(file.rel.clone(), file.path.display().to_string());
            self.files.insert(file.rel, file.bytes);
        }
        let sha256: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        self.compiled = std::sync::Arc::new(crate::template_cache::CompiledPack::load(&sha256));
        self.pack = Some(PackRef {
            source,
            sha256,
            commit,
        });
        Ok(self)
    }

    /// The pack's compiled templates, kept between runs.
    pub fn compiled(&self) -> &crate::template_cache::CompiledPack {
        &self.compiled
    }

    /// Whether a file comes from the template pack.
    pub fn from_pack(&self, path: &str) -> bool {
        self.origin.contains_key(path)
    }

    /// What to call the pack: its manifest's name and version, else its source.
    pub fn pack_name(&self) -> Option<String> {
        match (&self.manifest, &self.pack) {
            (Some(m), _) => Some(format!("{} {}", m.name, m.version)),
            (None, Some(p)) => Some(p.source.clone()),
            (None, None) => None,
        }
    }

    /// The bytes of one file, if it exists.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path) {
            Some(bytes) => Some(bytes),
            None => builtin(path),
        }
    }

    /// Files under a folder prefix (`""` or ending in `/`), sorted by path,
    /// with paths relative to it.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a [u8])> + 'a {
        debug_assert!(prefix.is_empty() || prefix.ends_with('/'), "{prefix}");
        let mut builtin = Vec::new();
        if let Some(dir) = embedded_dir(prefix) {
            walk(dir, &mut builtin);
        }
        let mut files: Vec<(&'a str, &'a [u8])> = builtin;
        let pack = self.pack_under(prefix);
        if pack.clone().next().is_some() {
            let mut merged: BTreeMap<&str, &[u8]> = files.into_iter().collect();
            merged.extend(pack.map(|(k, v)| (k.as_str(), v.as_slice())));
            files = merged.into_iter().collect();
        } else {
            files.sort_unstable_by_key(|(k, _)| *k);
        }
        files.into_iter().map(move |(k, v)| (&k[prefix.len()..], v))
    }

    /// Whether any file lies below a folder prefix (`""` or ending in `/`).
    pub fn has_files(&self, prefix: &str) -> bool {
        fn any(dir: &Dir) -> bool {
            dir.files().next().is_some() || dir.dirs().any(any)
        }
        embedded_dir(prefix).is_some_and(any) || self.pack_under(prefix).next().is_some()
    }

    /// The names of the folders right under a folder prefix (`""` or ending
    /// in `/`), sorted: `folders("stacks/")` gives the stack folders.
    pub fn folders(&self, prefix: &str) -> std::collections::BTreeSet<String> {
        let mut names: std::collections::BTreeSet<String> = embedded_dir(prefix)
            .into_iter()
            .flat_map(|dir| dir.dirs())
            .filter_map(|d| d.path().file_name()?.to_str().map(str::to_string))
            .collect();
        names.extend(
            self.pack_under(prefix)
                .filter_map(|(k, _)| Some(k[prefix.len()..].split_once('/')?.0.to_string())),
        );
        names
    }

    /// The pack's files whose path starts with `prefix`, sorted by path.
    fn pack_under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Vec<u8>)> + Clone + 'a {
        self.files
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(k, _)| k.starts_with(prefix))
    }

    /// Where a template file came from, for error messages.
    pub fn origin(&self, path: &str) -> String {
        self.origin
            .get(path)
            .cloned()
            .unwrap_or_else(|| format!("templates/{path}"))
    }
}

/// Parses a pack's `pack.toml` and checks that this folio is one it supports.
fn check_manifest(origin: &str, bytes: &[u8]) -> Result<PackManifest> {
    let text = std::str::from_utf8(bytes).with_context(|| format!("{origin} is not UTF-8"))?;
    let manifest: PackManifest = toml::from_str(text).with_context(|| {
        format!("cannot parse {origin}: it needs name, version and folio (see docs/templates.md, \"Template packs\")")
    })?;
    semver::Version::parse(&manifest.version).with_context(|| {
        format!(
            "{origin}: version {:?} is not a semantic version such as \"1.0.0\"",
            manifest.version
        )
    })?;
    let wanted = semver::VersionReq::parse(&manifest.folio).with_context(|| {
        format!(
            "{origin}: folio = {:?} is not a version requirement such as \">=0.1, <0.3\"",
            manifest.folio
        )
    })?;
    let this =
        semver::Version::parse(env!("CARGO_PKG_VERSION")).expect("folio's own version is semver");
    if !wanted.matches(&this) {
        anyhow::bail!(
            "template pack {} {} ({origin}) supports folio {}, and this is folio {this}: use a folio it supports, or a version of the pack made for this one",
            manifest.name,
            manifest.version,
            manifest.folio
        );
    }
    Ok(manifest)
}

/// The built-in file at `path` (under `templates/`), if there is one: the
/// binary's own bytes.
pub fn builtin(path: &str) -> Option<&'static [u8]> {
    let folder = path.rfind('/').map_or("", |i| &path[..=i]);
    embedded_dir(folder)?
        .files()
        .find(|f| f.path().to_str() == Some(path))
        .map(|f| f.contents())
}

/// The built-in folder at a prefix (`""` or ending in `/`), found one path
/// segment at a time (include_dir's own lookup searches the whole tree).
fn embedded_dir(prefix: &str) -> Option<&'static Dir<'static>> {
    let mut dir = &EMBEDDED;
    for (end, _) in prefix.match_indices('/') {
        let want = &prefix[..end];
        dir = dir.dirs().find(|d| d.path().to_str() == Some(want))?;
    }
    Some(dir)
}

/// Every built-in file below `dir`, with its path under `templates/`.
/// Embedded paths (this repo's templates/, on Unix) are UTF-8.
fn walk(dir: &'static Dir<'static>, files: &mut Vec<(&'static str, &'static [u8])>) {
    for file in dir.files() {
        if let Some(key) = file.path().to_str() {
            files.push((key, file.contents()));
        }
    }
    for sub in dir.dirs() {
        walk(sub, files);
    }
}
