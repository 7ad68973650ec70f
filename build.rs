//! Compiles every built-in Handlebars template (`templates/**/*.hbs`) once,
//! at build time, into `$OUT_DIR/precompiled.bin` (postcard) with an index in
//! `$OUT_DIR/precompiled.rs`; `src/precompiled.rs` loads them at run time, so
//! `folio new` never parses a built-in template. Rebuilds when any template
//! changes. The tree of files include_dir embeds is written here too,
//! without the templates' text (see below).
//!
//! The catalog's TOML files (specs, plans, stacks, actions, images) are
//! stored as JSON too, in `$OUT_DIR/catalog_json.rs`: reading JSON is a
//! fraction of the cost of parsing TOML.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "src/partial_refs.rs"]
mod partial_refs;

fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=pack-starter");
    println!("cargo:rerun-if-changed=src/partial_refs.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut paths = Vec::new();
    walk(
        Path::new("templates"),
        |p| p.extension().is_some_and(|e| e == "hbs"),
        &mut paths,
    );
    let mut keys: Vec<String> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix("templates").expect("under templates/");
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    let mut pairs: Vec<(String, PathBuf)> = keys.drain(..).zip(paths).collect();
    pairs.sort();

    let mut blob = Vec::new();
    let mut index = String::from("/// Built-in templates compiled by build.rs, sorted by key: (key, start,\n/// end) in the blob, and the partials it names (`crate::partial_refs`).\npub static INDEX: &[(&str, u32, u32, &[&str])] = &[\n");
    for (key, path) in &pairs {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("template {} is not readable UTF-8: {e}", path.display()));
        let template = handlebars::template::Template::compile(&text)
            .unwrap_or_else(|e| panic!("template {} does not compile: {e}", path.display()));
        let bytes = postcard::to_stdvec(&template)
            .unwrap_or_else(|e| panic!("template {} cannot be stored: {e}", path.display()));
        let start = blob.len();
        blob.extend_from_slice(&bytes);
        let partials = partial_refs::names(&template);
        writeln!(
            index,
            "    ({key:?}, {start}, {}, &{partials:?}),",
            blob.len()
        )
        .expect("write to a String");
    }
    index.push_str("];\n");
    std::fs::write(out.join("precompiled.bin"), blob).expect("write precompiled.bin");
    std::fs::write(out.join("precompiled.rs"), index).expect("write precompiled.rs");

    // The tree src/templates.rs embeds: every file of templates/, but a
    // template's text is left out (an empty file): a run uses its compiled
    // form, so the binary carries no text it never reads, and the files a
    // run copies as they are lie closer together.
    let embedded = out.join("embedded");
    let _ = std::fs::remove_dir_all(&embedded);
    let mut files = Vec::new();
    walk(Path::new("templates"), |_| true, &mut files);
    for path in &files {
        let dest = embedded.join(path.strip_prefix("templates").expect("under templates/"));
        std::fs::create_dir_all(dest.parent().expect("a parent folder")).expect("create a folder");
        if path.extension().is_some_and(|e| e == "hbs") {
            std::fs::write(&dest, b"").expect("write an embedded file");
        } else {
            std::fs::copy(path, &dest).expect("copy an embedded file");
        }
    }

    let mut catalog = String::from("/// The catalog's built-in TOML files as JSON: (key, JSON), sorted by key.\npub static CATALOG_JSON: &[(&str, &str)] = &[\n");
    let mut tomls = Vec::new();
    for dir in ["templates", "templates/specs", "templates/plans"] {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {dir}: {e}")) {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "toml") {
                tomls.push(path);
            }
        }
    }
    for entry in std::fs::read_dir("templates/stacks").expect("read templates/stacks") {
        let path = entry.expect("a directory entry").path().join("stack.toml");
        if path.is_file() {
            tomls.push(path);
        }
    }
    let mut entries: Vec<(String, String)> = tomls
        .iter()
        .map(|path| {
            let key = path
                .strip_prefix("templates")
                .expect("under templates/")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            let value: toml::Value = toml::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not TOML: {e}", path.display()));
            (
                key,
                serde_json::to_string(&value).expect("TOML values are JSON values"),
            )
        })
        .collect();
    entries.sort();
    for (key, json) in entries {
        writeln!(catalog, "    ({key:?}, {json:?}),").expect("write to a String");
    }
    catalog.push_str("];\n");
    std::fs::write(out.join("catalog_json.rs"), catalog).expect("write catalog_json.rs");

    // Names the template compiler in the cache of compiled pack templates
    // (src/template_cache.rs): any change to its sources (the vendored
    // handlebars, the locked versions of postcard, serde and the rest) is a
    // new cache.
    println!("cargo:rerun-if-changed=vendor/handlebars/src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut sources = Vec::new();
    if Path::new("vendor/handlebars/src").is_dir() {
        walk(Path::new("vendor/handlebars/src"), |_| true, &mut sources);
    }
    if Path::new("Cargo.lock").is_file() {
        sources.push(PathBuf::from("Cargo.lock"));
    }
    sources.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for path in &sources {
        std::hash::Hash::hash(&path, &mut hasher);
        std::hash::Hash::hash(
            &std::fs::read(path).expect("read a handlebars source"),
            &mut hasher,
        );
    }
    let hash = std::hash::Hasher::finish(&hasher);
    println!("cargo:rustc-env=FOLIO_COMPILER_HASH={hash:016x}");

    hot_code_first(&out);
    static_libc(&out);
}

/// Places the functions a typical run executes (`scripts/hot-symbols.txt`)
/// side by side at the start of the code, with a linker script that adds
/// one output section before `.text`. A run then touches far fewer pages of
/// the binary: the kernel maps 64 KB around each page a process touches, and
/// the code that runs was scattered over the whole binary (2.4 MiB of code
/// resident for `folio new production-system`, 1.2 MiB now). Names are
/// listed without their hash or clone suffixes, so the list outlives most
/// code changes; a name that matches nothing is ignored. Linux only (GNU ld
/// and lld read the script); `FOLIO_PLAIN_LAYOUT=1` at build time skips it,
/// e.g. for a linker without linker scripts.
fn hot_code_first(out: &Path) {
    println!("cargo:rerun-if-changed=scripts/hot-symbols.txt");
    println!("cargo:rerun-if-env-changed=FOLIO_PLAIN_LAYOUT");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux")
        || std::env::var_os("FOLIO_PLAIN_LAYOUT").is_some()
    {
        return;
    }
    let list = std::fs::read_to_string("scripts/hot-symbols.txt").unwrap_or_default();
    let mut script = String::from("SECTIONS\n{\n  .text.folio_hot : {\n");
    for name in list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        // A Rust name ends with `17h<hash>E`; other names may have clones
        // (`name.constprop.0`, `name.123`). LLVM puts the functions it
        // guesses cold in `.text.unlikely.*`. A C library's archive member
        // (`libc.a:malloc.o`) has one .text (and ifunc variants) for all
        // its functions.
        let (files, sections) = if name.contains(".a:") {
            (format!("*{name}"), ".text .text.*".to_string())
        } else if name.starts_with("_ZN") {
            (
                "*".into(),
                format!(".text.{name}17h* .text.unlikely.{name}17h*"),
            )
        } else {
            let sections = format!(
                ".text.{name} .text.{name}.* .text.unlikely.{name} .text.unlikely.{name}.*"
            );
            ("*".into(), sections)
        };
        writeln!(script, "    {files}({sections})").expect("write to a String");
    }
    script.push_str("  }\n}\nINSERT BEFORE .text;\n");
    let path = out.join("hot-code.ld");
    std::fs::write(&path, script).expect("write hot-code.ld");
    println!("cargo:rustc-link-arg-bins=-Wl,-T,{}", path.display());
}

/// Links the release binary statically with glibc, as a static PIE: no
/// dynamic loader, no shared libraries to map and relocate at each start
/// (about 0.5 ms and 1.1 MiB of peak RSS less for a run; see the README's
/// Benchmark). Debug builds and test harnesses stay dynamic.
///
/// Cargo has no per-profile `crt-static` for one binary (a build-wide
/// `-C target-feature=+crt-static` breaks proc-macros unless every build
/// passes `--target`), so the static archives stand in for the shared
/// libraries rustc asks for: each `lib<name>.so` in `static-libs/` is a
/// linker script naming the archive (GNU ld and lld read them), and
/// `-static-pie` makes the link static. Skipped, leaving a dynamic binary,
/// when an archive is missing (e.g. no glibc static libraries installed),
/// off Linux/glibc, for another target without a configured linker, or
/// with `FOLIO_DYNAMIC_LIBC=1` at build time.
///
/// glibc's caveat for static binaries applies: name lookups through NSS
/// modules other than its built-in files and dns (users for the home folder
/// when HOME is unset, hosts for a git pack's server) load that module from
/// the glibc installed at run time, so run the binary where it was built.
fn static_libc(out: &Path) {
    println!("cargo:rerun-if-env-changed=FOLIO_DYNAMIC_LIBC");
    if std::env::var("PROFILE").as_deref() != Ok("release")
        || std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux")
        || std::env::var("CARGO_CFG_TARGET_ENV").as_deref() != Ok("gnu")
        || std::env::var_os("FOLIO_DYNAMIC_LIBC").is_some()
    {
        return;
    }
    // The compiler driver rustc links with knows where the archives are
    // (for another target, only the linker configured for it).
    let cross = std::env::var("TARGET").ok() != std::env::var("HOST").ok();
    let cc = match std::env::var("RUSTC_LINKER") {
        Ok(linker) => linker,
        Err(_) if cross => return,
        Err(_) => "cc".into(),
    };
    let archive = |name: &str| -> Option<PathBuf> {
        let out = std::process::Command::new(&cc)
            .arg(format!("-print-file-name={name}"))
            .output()
            .ok()?;
        let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
        path.is_absolute().then_some(path)
    };
    // What rustc asks for, and the archives each stands for. libc comes as a
    // group with libgcc: GNU ld searches archives once, in order, and libc's
    // members call back into libgcc (and libgcc_eh into libc).
    let libs: [(&str, &[&str]); 7] = [
        ("gcc_s", &["libgcc_eh.a"]),
        ("util", &["libutil.a"]),
        ("rt", &["librt.a"]),
        ("pthread", &["libpthread.a"]),
        ("m", &["libm.a"]),
        ("dl", &["libdl.a"]),
        ("c", &["libc.a", "libgcc_eh.a", "libgcc.a"]),
    ];
    let mut scripts = Vec::new();
    for (lib, archives) in libs {
        let Some(paths) = archives
            .iter()
            .map(|a| archive(a))
            .collect::<Option<Vec<_>>>()
        else {
            return;
        };
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        scripts.push((
            format!("lib{lib}.so"),
            format!("GROUP ( {} )\n", names.join(" ")),
        ));
    }
    let dir = out.join("static-libs");
    std::fs::create_dir_all(&dir).expect("create static-libs");
    for (name, script) in scripts {
        std::fs::write(dir.join(name), script).expect("write a linker script");
    }
    // For the binary only (a search path would reach the test harnesses,
    // which stay dynamic); a linker applies every -L to every -l.
    println!("cargo:rustc-link-arg-bins=-L{}", dir.display());
    println!("cargo:rustc-link-arg-bins=-static-pie");
}

/// Every file under `dir` that `keep` accepts.
fn walk(dir: &Path, keep: fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            walk(&path, keep, out);
        } else if keep(&path) {
            out.push(path);
        }
    }
}
