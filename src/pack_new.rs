//! `folio pack new DIR`: writes a starter template pack, with a commented
//! example of each extension point (a pack manifest, a file added to every
//! repo, a partial that replaces one README section, a spec and a plan), that
//! passes `folio pack check` as written.
//!
//! The starter's files are data, kept in `pack-starter/` at the root of the
//! repo and embedded in the binary (like `templates/`, the built-in pack).

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use include_dir::{include_dir, Dir};

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/pack-starter");

/// Writes a starter template pack into `dir` (which must not exist or be
/// empty; it is created with its parents when missing). Every file is
/// created new, so nothing of the user's is ever overwritten: a folder that
/// holds anything is refused, naming it. Returns the paths written, relative
/// to `dir` with `/` separators, in name order.
pub fn write_starter(dir: &Path) -> Result<Vec<String>> {
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => bail!(
            "{} exists and is not a folder; pass a new or empty folder for the template pack",
            dir.display()
        ),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir)
                .with_context(|| format!("cannot read folder {}", dir.display()))?;
            if entries.next().is_some() {
                bail!(
                    "{} is not empty; pass a new or empty folder for the template pack (folio pack new never overwrites files)",
                    dir.display()
                );
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder {}", dir.display()))?,
        Err(e) => return Err(e).with_context(|| format!("cannot read folder {}", dir.display())),
    }
    let mut written = Vec::new();
    for (rel, contents) in starter_files() {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create folder {}", parent.display()))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(rel);
    }
    Ok(written)
}

/// The starter pack's files: path relative to the pack root (with `/`) and
/// contents, in path order.
pub fn starter_files() -> Vec<(String, &'static [u8])> {
    fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for file in dir.files() {
            let rel = file.path().to_string_lossy().replace('\\', "/");
            out.push((rel, file.contents()));
        }
        for sub in dir.dirs() {
            collect(sub, out);
        }
    }
    let mut files = Vec::new();
    collect(&STARTER, &mut files);
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::answers::{complete, Answers, Defaults};
    use crate::catalog::Catalog;
    use crate::render::{render, FilePlan};
    use crate::resolve::{blueprint, Secrets};
    use crate::templates::Templates;

    const EXPECTED: &[&str] = &[
        "README.md",
        "common/files/CONTRIBUTING.md.hbs",
        "features/redis/fastapi/partials/readme-sections/10-redis.hbs",
        "pack.toml",
        "plans/bootcamp.toml",
        "specs/capstone.toml",
    ];

    fn load(dir: &Path) -> (Templates, Catalog) {
        let (templates, _) = Templates::embedded().with_pack(dir).unwrap();
        let catalog = Catalog::load(&templates).unwrap();
        (templates, catalog)
    }

    fn render_one(
        templates: &Templates,
        catalog: &Catalog,
        spec: &str,
        stack: &str,
        db: &str,
        features: &[&str],
    ) -> FilePlan {
        let answers = Answers {
            spec: Some(spec.into()),
            stacks: [("api".to_string(), stack.to_string())].into(),
            database: Some(db.into()),
            features: Some(features.iter().map(|f| f.to_string()).collect()),
            ..Answers::default()
        };
        let label = format!("{spec} {stack} {db} {features:?}");
        let resolved =
            complete(catalog, answers, &mut Defaults).unwrap_or_else(|e| panic!("{label}: {e:#}"));
        let secrets = Secrets {
            secret_key: "0".repeat(64),
            db_password: "0".repeat(32),
        };
        render(&blueprint(catalog, &resolved, &secrets), templates)
            .unwrap_or_else(|e| panic!("{label}: {e:#}"))
    }

    fn file<'a>(plan: &'a FilePlan, path: &str) -> &'a str {
        let f = plan.iter().find(|f| f.path == path).unwrap_or_else(|| {
            panic!("{path} not written");
        });
        std::str::from_utf8(&f.contents).unwrap()
    }

    #[test]
    fn writes_every_starter_file_into_a_new_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("packs/my-bootcamp");
        let written = write_starter(&dir).unwrap();
        assert_eq!(written, EXPECTED);
        for (rel, contents) in starter_files() {
            assert_eq!(std::fs::read(dir.join(&rel)).unwrap(), contents, "{rel}");
        }
    }

    #[test]
    fn an_empty_folder_is_fine() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(write_starter(tmp.path()).unwrap(), EXPECTED);
    }

    #[test]
    fn a_folder_with_anything_in_it_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("pack.toml"), "mine").unwrap();
        let err = write_starter(tmp.path()).unwrap_err().to_string();
        assert!(err.contains(&tmp.path().display().to_string()), "{err}");
        assert!(err.contains("is not empty"), "{err}");
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("pack.toml")).unwrap(),
            "mine"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

        let hidden = tempfile::tempdir().unwrap();
        std::fs::create_dir(hidden.path().join(".git")).unwrap();
        assert!(write_starter(hidden.path()).is_err());
    }

    #[test]
    fn a_file_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("pack");
        std::fs::write(&path, "x").unwrap();
        let err = write_starter(&path).unwrap_err().to_string();
        assert!(err.contains("is not a folder"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "x");
    }

    #[test]
    fn the_starter_loads_and_adds_a_spec_and_a_plan() {
        let tmp = tempfile::tempdir().unwrap();
        write_starter(tmp.path()).unwrap();
        let (templates, catalog) = load(tmp.path());
        let manifest = templates.manifest.as_ref().unwrap();
        assert_eq!(
            (manifest.name.as_str(), manifest.version.as_str()),
            ("my-bootcamp", "0.1.0")
        );
        let (name, ids) = catalog.pack.as_ref().unwrap();
        assert_eq!(name, "my-bootcamp 0.1.0");
        assert!(
            ids.contains("capstone") && ids.contains("bootcamp"),
            "{ids:?}"
        );
        let plan = catalog.plan("bootcamp").unwrap();
        assert!(!plan.weeks.is_empty());
    }

    /// Every combination the pack's spec and weeks offer renders (what
    /// `folio pack check` does for them), with the pack's added file.
    #[test]
    fn the_starter_spec_and_weeks_render_for_every_stack_database_and_feature() {
        let tmp = tempfile::tempdir().unwrap();
        write_starter(tmp.path()).unwrap();
        let (templates, catalog) = load(tmp.path());
        let mut ids = vec!["capstone".to_string()];
        let plan = catalog.plan("bootcamp").unwrap();
        ids.extend(
            plan.weeks
                .iter()
                .map(|w| crate::catalog::week_id("bootcamp", w.number)),
        );
        for id in ids {
            let spec = catalog.spec(&id).unwrap();
            let service = &spec.services[0];
            for stack in &service.stacks {
                for db in &spec.databases {
                    let mut sets = vec![vec![]];
                    sets.extend(spec.features.iter().map(|f| vec![f.id.as_str()]));
                    for features in sets {
                        let plan = render_one(&templates, &catalog, &id, stack, db, &features);
                        let contributing = file(&plan, "CONTRIBUTING.md");
                        assert!(
                            contributing.starts_with("# Contributing to "),
                            "{contributing}"
                        );
                        assert!(!contributing.contains("{{"), "{contributing}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_starter_partial_replaces_the_fastapi_redis_section() {
        let tmp = tempfile::tempdir().unwrap();
        write_starter(tmp.path()).unwrap();
        let (templates, catalog) = load(tmp.path());
        let plan = render_one(
            &templates,
            &catalog,
            "ecommerce-api",
            "fastapi",
            "sqlite",
            &["redis"],
        );
        let readme = file(&plan, "api/README.md");
        assert!(readme.contains("\n## Caching (Redis)\n"), "{readme}");
        assert!(readme.contains("Bootcamp exercise: measure `GET /products`"));
        // The built-in section's text is gone, and the comment left nothing.
        assert!(!readme.contains("CACHE_TTL_SECONDS"), "{readme}");
        assert!(!readme.contains("REPLACE A PARTIAL"), "{readme}");
        assert_eq!(readme.matches("## Caching").count(), 1);
    }
}
