//! Compiled pack templates kept on disk between runs, as the built-in ones
//! are kept in the binary ([`crate::precompiled`]): parsing is most of what
//! a run with a large pack costs, and a pack rarely changes between runs.
//!
//! One file per pack content, `<cache>/compiled/<pack sha256>-<format>.bin`
//! (postcard: each template's key, the partials it names and its compiled
//! form). The pack's SHA-256
//! covers every path and byte of the pack, and `<format>` is folio's version
//! with a hash of the template compiler's sources and of `Cargo.lock`
//! (`build.rs`), so a file is only ever read for the very texts and compiler
//! that made it. A missing,
//! unreadable or corrupt file is a cache miss, and a file that cannot be
//! written is skipped: the cache never changes an outcome, only its speed.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use handlebars::template::Template;

/// What a cache file may weigh before it is ignored (and replaced).
const MAX_BYTES: u64 = 64 << 20;
/// How many packs' files the cache keeps; the least recently written go.
const MAX_FILES: usize = 32;

/// A pack's compiled templates: those read from its cache file, and those
/// compiled by this process, to add to it.
#[derive(Debug, Default)]
pub struct CompiledPack {
    file: Option<PathBuf>,
    /// The cache file as read: each template's key and the postcard bytes
    /// of its compiled form, sorted by key.
    stored: Stored,
    fresh: Mutex<BTreeMap<String, Arc<Template>>>,
}

/// One entry of a cache file: a template's key, the partials it names
/// ([`crate::partial_refs::names`]) and its compiled form (postcard).
type Entry<'a> = (&'a str, Vec<&'a str>, &'a [u8]);

/// Where an entry's key, partial names and compiled form lie in the file.
type Span = (Range<usize>, Vec<Range<usize>>, Range<usize>);

/// A cache file's bytes, and where each entry lies in them (found once; a
/// compiled form is decoded only when it is used).
#[derive(Debug, Default)]
struct Stored {
    bytes: Vec<u8>,
    index: Vec<Span>,
}

impl Stored {
    fn entry(&self, i: usize) -> Option<Entry<'_>> {
        let (k, names, v) = &self.index[i];
        let text = |r: &Range<usize>| std::str::from_utf8(&self.bytes[r.clone()]).ok();
        Some((
            text(k)?,
            names.iter().map(text).collect::<Option<_>>()?,
            &self.bytes[v.clone()],
        ))
    }

    fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        (0..self.index.len()).filter_map(|i| self.entry(i))
    }

    fn get(&self, key: &str) -> Option<Entry<'_>> {
        let i = self
            .index
            .binary_search_by(|(k, ..)| self.bytes[k.clone()].cmp(key.as_bytes()))
            .ok()?;
        self.entry(i)
    }
}

impl CompiledPack {
    /// The cache file of the pack with this SHA-256, read if there is one.
    pub fn load(pack_sha256: &str) -> Self {
        let file = crate::pack_git::cache_root().ok().map(|root| {
            root.join("compiled")
                .join(format!("{pack_sha256}-{}.bin", format_id()))
        });
        let stored = file.as_deref().and_then(read).unwrap_or_default();
        CompiledPack {
            file,
            stored,
            fresh: Mutex::default(),
        }
    }

    /// Template `key` as the cache has it, if it does: its compiled form,
    /// encoded (see [`crate::precompiled::decode`]), and the partials it names.
    pub fn get(&self, key: &str) -> Option<(&[u8], Vec<&str>)> {
        let (_, names, bytes) = self.stored.get(key)?;
        Some((bytes, names))
    }

    /// Records a template this process compiled, for [`CompiledPack::save`].
    pub fn remember(&self, key: &str, template: &Arc<Template>) {
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh
                .entry(key.to_string())
                .or_insert_with(|| template.clone());
        }
    }

    /// Writes the cache file with the templates compiled since it was read,
    /// if there are any. Best effort: a failure leaves the cache as it was.
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        let Ok(fresh) = self.fresh.lock() else { return };
        if fresh.is_empty() {
            return;
        }
        let names: BTreeMap<&str, Vec<String>> = fresh
            .iter()
            .map(|(key, template)| (key.as_str(), crate::partial_refs::names(template)))
            .collect();
        let mut entries: BTreeMap<&str, (Vec<&str>, Vec<u8>)> = self
            .stored
            .entries()
            .map(|(k, names, v)| (k, (names, v.to_vec())))
            .collect();
        for (key, template) in fresh.iter() {
            if let Ok(bytes) = postcard::to_stdvec(&**template) {
                let names = names[key.as_str()].iter().map(String::as_str).collect();
                entries.insert(key, (names, bytes));
            }
        }
        let _ = write(file, &entries);
    }
}

/// The file format (2: with the partials each template names), folio's
/// version and a hash of its template compiler (set by `build.rs`).
fn format_id() -> &'static str {
    concat!(
        "2-",
        env!("CARGO_PKG_VERSION"),
        "-",
        env!("FOLIO_COMPILER_HASH")
    )
}

fn read(file: &std::path::Path) -> Option<Stored> {
    if std::fs::metadata(file).ok()?.len() > MAX_BYTES {
        return None;
    }
    let bytes = std::fs::read(file).ok()?;
    let index = {
        let entries: Vec<Entry> = postcard::from_bytes(&bytes).ok()?;
        let at = |part: &[u8]| {
            let start = part.as_ptr() as usize - bytes.as_ptr() as usize;
            start..start + part.len()
        };
        entries
            .iter()
            .map(|(k, names, v)| {
                let names = names.iter().map(|n| at(n.as_bytes())).collect();
                (at(k.as_bytes()), names, at(v))
            })
            .collect()
    };
    Some(Stored { bytes, index })
}

/// Writes beside the final name, then renames: a reader sees the old file or
/// the new one, never part of one. Then keeps the newest [`MAX_FILES`].
fn write(
    file: &std::path::Path,
    entries: &BTreeMap<&str, (Vec<&str>, Vec<u8>)>,
) -> std::io::Result<()> {
    let dir = file.parent().ok_or(std::io::ErrorKind::InvalidInput)?;
    std::fs::create_dir_all(dir)?;
    let list: Vec<Entry> = entries
        .iter()
        .map(|(k, (names, v))| (*k, names.clone(), v.as_slice()))
        .collect();
    let bytes = postcard::to_stdvec(&list).map_err(std::io::Error::other)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, &bytes)?;
    tmp.persist(file).map_err(|e| e.error)?;
    prune(dir);
    Ok(())
}

/// Removes the least recently written cache files beyond [`MAX_FILES`].
fn prune(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "bin"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() > MAX_FILES {
        files.sort();
        for (_, path) in &files[..files.len() - MAX_FILES] {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_in(dir: &std::path::Path) -> CompiledPack {
        CompiledPack {
            file: Some(dir.join("compiled").join("pack.bin")),
            ..CompiledPack::default()
        }
    }

    #[test]
    fn a_saved_template_reads_back_as_it_compiled() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Hi {{#if a}}{{> part}}{{b}}{{/if}}{{slot \"readme\"}}\n";
        let template = Arc::new(Template::compile(text).unwrap());
        let pack = pack_in(dir.path());
        assert_eq!(pack.get("x.hbs"), None);
        pack.remember("x.hbs", &template);
        pack.save();
        let file = pack.file.clone().unwrap();
        let again = CompiledPack {
            stored: read(&file).unwrap(),
            ..pack_in(dir.path())
        };
        let (bytes, names) = again.get("x.hbs").unwrap();
        assert_eq!(crate::precompiled::decode(bytes).as_ref(), Some(&*template));
        assert_eq!(names, ["part", "readme/"]);
        assert_eq!(again.get("y.hbs"), None);
    }

    #[test]
    fn a_corrupt_truncated_or_foreign_file_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let pack = pack_in(dir.path());
        pack.remember(
            "x.hbs",
            &Arc::new(Template::compile("{{a}} and {{b}}").unwrap()),
        );
        pack.save();
        let file = pack.file.clone().unwrap();
        let whole = std::fs::read(&file).unwrap();
        for bytes in [
            &b""[..],
            b"\xff\xff\xff\xff\xff\xff",
            b"not postcard at all",
            &whole[..whole.len() / 2],
            &whole[..whole.len() - 1],
        ] {
            std::fs::write(&file, bytes).unwrap();
            let again = CompiledPack {
                stored: read(&file).unwrap_or_default(),
                ..pack_in(dir.path())
            };
            assert_eq!(again.get("x.hbs"), None, "{bytes:?}");
        }
        assert!(read(&dir.path().join("missing.bin")).is_none());
    }

    #[test]
    fn the_cache_keeps_the_newest_files() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..MAX_FILES + 3 {
            std::fs::write(dir.path().join(format!("{i}.bin")), b"").unwrap();
        }
        prune(dir.path());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), MAX_FILES);
    }
}
