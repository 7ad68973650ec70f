//! Template packs extend folio through the same partials the built-in
//! templates use: one small file replaces one README section.

mod common;

use std::fs;

use common::folio;
use predicates::prelude::*;
use predicates::str::contains;

const REDIS_SECTION: &str = "features/redis/fastapi/partials/readme-sections/10-redis.hbs";

fn new_fastapi(
    dir: &std::path::Path,
    pack: Option<&str>,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    let mut cmd = folio();
    if let Some(pack) = pack {
        cmd.args(["--templates", pack]);
    }
    cmd.current_dir(dir)
        .args(common::NEW_SHOP)
        .args(["--with", "redis", "--no-git"])
        .args(extra)
        .assert()
}

#[test]
fn a_pack_replaces_one_readme_section_with_one_small_file() {
    let tmp = tempfile::tempdir().unwrap();
    let section = tmp.path().join("pack").join(REDIS_SECTION);
    fs::create_dir_all(section.parent().unwrap()).unwrap();
    fs::write(
        &section,
        "\n## Caching at {{project.title}}\n\nOur bootcamp's Redis notes: see the wiki.\n",
    )
    .unwrap();
    new_fastapi(tmp.path(), None, &["plain"]).success();
    new_fastapi(tmp.path(), Some("pack"), &["packed"]).success();

    let plain = fs::read_to_string(tmp.path().join("plain/api/README.md")).unwrap();
    let packed = fs::read_to_string(tmp.path().join("packed/api/README.md")).unwrap();
    assert!(plain.contains("## Caching (Redis)"));
    assert!(!packed.contains("## Caching (Redis)"), "{packed}");
    assert!(
        packed.contains("## Caching at Shop API\n\nOur bootcamp's Redis notes: see the wiki.\n")
    );
    // Everything else of the README is the built-in one, unchanged.
    let (before, after) = plain.split_once("\n## Caching (Redis)").unwrap();
    assert!(
        packed.starts_with(before),
        "the part before the section changed"
    );
    let rest = after.split_once("\n## ").map(|(_, r)| r).unwrap();
    assert!(packed.ends_with(rest), "the part after the section changed");
    // Every other file is byte for byte the same.
    for rel in common::files(&tmp.path().join("plain")) {
        if rel.ends_with("api/README.md") || rel.file_name().unwrap() == ".env" {
            continue;
        }
        if rel.ends_with(".folio/answers.toml") {
            let answers = fs::read_to_string(tmp.path().join("packed").join(&rel)).unwrap();
            assert!(
                answers.contains("[pack]\nsource = \"pack\"\nsha256 = \""),
                "{answers}"
            );
            continue;
        }
        let a = fs::read(tmp.path().join("plain").join(&rel)).unwrap();
        let b = fs::read(tmp.path().join("packed").join(&rel)).unwrap();
        assert!(a == b, "{} differs", rel.display());
    }
}

#[test]
fn dry_run_origins_name_the_template_and_partials_of_each_file() {
    let tmp = tempfile::tempdir().unwrap();
    new_fastapi(tmp.path(), None, &["--dry-run", "--origins"])
        .success()
        .stdout(
            contains("README.md  ")
                .and(contains("<- templates/stacks/fastapi/files/README.md.hbs"))
                .and(contains(format!(
                    "+ partial readme-sections/10-redis (templates/{REDIS_SECTION})"
                )))
                .and(contains("answers.toml  ").and(contains("<- folio"))),
        );
    folio()
        .args(["new", "ecommerce-api", "--origins", "--yes"])
        .assert()
        .failure()
        .code(2)
        .stderr(contains("--dry-run"));
}

#[test]
fn a_replay_or_update_needs_the_pack_that_made_the_repo() {
    let tmp = tempfile::tempdir().unwrap();
    let section = tmp.path().join("pack").join(REDIS_SECTION);
    fs::create_dir_all(section.parent().unwrap()).unwrap();
    fs::write(&section, "\n## Caching\n").unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["--templates", "pack"])
        .args(common::NEW_SHOP)
        .args(["shop", "--with", "redis"])
        .assert()
        .success();
    folio()
        .current_dir(tmp.path())
        .args([
            "new",
            "--answers",
            "shop/.folio/answers.toml",
            "again",
            "--yes",
        ])
        .assert()
        .failure()
        .code(2)
        .stderr(
            contains("made with the template pack pack (sha256 ")
                .and(contains("pass it with --templates pack")),
        );
    folio()
        .current_dir(tmp.path().join("shop"))
        .args(["update"])
        .assert()
        .failure()
        .code(2)
        .stderr(contains("pass it with --templates pack"));
    // A changed pack is said, and the update takes it.
    fs::write(&section, "\n## Caching, revised\n").unwrap();
    folio()
        .current_dir(tmp.path().join("shop"))
        .args(["--templates", "../pack", "update"])
        .assert()
        .success()
        .stderr(contains("has changed since these answers were made"))
        .stdout(contains("updated         api/README.md"));
    assert!(fs::read_to_string(tmp.path().join("shop/api/README.md"))
        .unwrap()
        .contains("## Caching, revised"));
}

#[test]
fn a_pack_manifest_is_checked_and_list_and_show_mark_what_the_pack_adds() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    fs::create_dir_all(pack.join("specs")).unwrap();
    let spec = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/specs/ecommerce-api.toml"
    ))
    .unwrap()
    .replace("id = \"ecommerce-api\"", "id = \"capstone\"");
    fs::write(pack.join("specs/capstone.toml"), spec).unwrap();
    fs::write(
        pack.join("pack.toml"),
        "name = \"bootcamp\"\nversion = \"1.2.0\"\nfolio = \">=0.1\"\n",
    )
    .unwrap();
    let list = |args: &[&str]| {
        folio()
            .current_dir(tmp.path())
            .args(["--templates", "pack"])
            .args(args)
            .assert()
    };
    list(&["list"])
        .success()
        .stdout(contains("capstone").and(contains("[from pack bootcamp 1.2.0]")));
    let out = list(&["list", "--json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let specs = json["specs"].as_array().unwrap();
    let capstone = specs.iter().find(|s| s["id"] == "capstone").unwrap();
    assert_eq!(capstone["pack"], "bootcamp 1.2.0");
    let shop = specs.iter().find(|s| s["id"] == "ecommerce-api").unwrap();
    assert!(shop["pack"].is_null());
    list(&["show", "capstone"])
        .success()
        .stdout(contains("From the template pack bootcamp 1.2.0."));

    fs::write(
        pack.join("pack.toml"),
        "name = \"bootcamp\"\nversion = \"1.2.0\"\nfolio = \">=9\"\n",
    )
    .unwrap();
    list(&["list"]).failure().code(2).stderr(
        contains("template pack bootcamp 1.2.0")
            .and(contains("supports folio >=9, and this is folio 0.1.0")),
    );
    fs::write(pack.join("pack.toml"), "name = \"bootcamp\"\n").unwrap();
    list(&["list"])
        .failure()
        .code(2)
        .stderr(contains("pack.toml").and(contains("needs name, version and folio")));
}

#[test]
fn pack_check_renders_every_combination_and_names_the_failing_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    let section = pack.join(REDIS_SECTION);
    fs::create_dir_all(section.parent().unwrap()).unwrap();
    fs::write(&section, "\n## Caching at {{project.title}}\n").unwrap();
    let cache = tmp.path().join("cache");
    folio()
        .env("FOLIO_CACHE_DIR", &cache)
        .args(["pack", "check"])
        .arg(&pack)
        .assert()
        .success()
        .stdout(
            contains("ecommerce-api")
                .and(contains("combinations rendered"))
                .and(contains(", 0 failed")),
        );
    // What it compiled is kept for `folio new` with this pack.
    assert_eq!(fs::read_dir(cache.join("compiled")).unwrap().count(), 1);

    // A typo in the section: every FastAPI combination with Redis fails,
    // named, with the template and the value.
    fs::write(&section, "\n## Caching at {{project.titel}}\n").unwrap();
    fs::create_dir_all(pack.join("common/files")).unwrap();
    let out = folio()
        .args(["pack", "check", "--json"])
        .arg(&pack)
        .assert()
        .failure()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let outcomes: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let failed: Vec<&serde_json::Value> = outcomes
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| !o["error"].is_null())
        .collect();
    assert!(!failed.is_empty());
    for o in &failed {
        let combination = o["combination"].as_str().unwrap();
        assert!(
            combination.contains("=fastapi") && combination.contains("redis"),
            "{combination}"
        );
        assert!(
            o["error"]
                .as_str()
                .unwrap()
                .contains("no value named `project.titel`"),
            "{o}"
        );
    }
    let passed = outcomes.as_array().unwrap().len() - failed.len();
    assert!(passed > 300, "only {passed} passed");
}

#[test]
fn pack_new_writes_a_starter_that_passes_pack_check_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("starter");
    folio()
        .args(["pack", "new"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(contains("Created the template pack").and(contains("folio pack check")));
    for file in [
        "pack.toml",
        "README.md",
        "specs/capstone.toml",
        "plans/bootcamp.toml",
        REDIS_SECTION,
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    folio()
        .args(["pack", "check"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(contains("capstone").and(contains(", 0 failed")));
    folio()
        .current_dir(tmp.path())
        .args(["--templates", "starter", "list"])
        .assert()
        .success()
        .stdout(contains("capstone").and(contains("[from pack my-bootcamp 0.1.0]")));
    let readme = fs::read_to_string(dir.join("README.md")).unwrap();
    folio()
        .args(["pack", "new"])
        .arg(&dir)
        .assert()
        .failure()
        .stderr(contains("starter"));
    assert_eq!(fs::read_to_string(dir.join("README.md")).unwrap(), readme);
}

#[test]
fn pack_check_verify_generates_and_verifies_each_combination_in_parallel() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    // A pack whose FastAPI commands are quick stand-ins, and stand-in linters.
    let stack = tmp.path().join("pack/stacks/fastapi");
    fs::create_dir_all(&stack).unwrap();
    let real = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/stacks/fastapi/stack.toml"
    ))
    .unwrap();
    let with_test = |test: &str| {
        let mut table: toml::Table = toml::from_str(&real).unwrap();
        let commands = table["commands"].as_table_mut().unwrap();
        for (kind, line) in [("setup", "true"), ("lint", "true"), ("test", test)] {
            commands.insert(kind.into(), toml::Value::Array(vec![line.into()]));
        }
        fs::write(stack.join("stack.toml"), toml::to_string(&table).unwrap()).unwrap();
    };
    let bin = tmp.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    for tool in ["hadolint", "zizmor", "check-jsonschema", "yamllint"] {
        fs::write(bin.join(tool), "#!/bin/sh\nexit 0\n").unwrap();
        fs::set_permissions(bin.join(tool), fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let check = || {
        folio()
            .current_dir(tmp.path())
            .env("PATH", &path)
            .args([
                "pack",
                "check",
                "pack",
                "--spec",
                "intensive-week-3",
                "--verify",
                "--jobs",
                "2",
            ])
            .assert()
    };
    with_test("test -f app/main.py");
    check()
        .success()
        .stdout(contains("intensive-week-3").and(contains("2 passed, 0 failed")));
    with_test("echo no tests here; false");
    check().failure().code(1).stdout(
        contains("FAIL intensive-week-3")
            .and(contains("folio verify failed"))
            .and(contains("no tests here")),
    );
}

#[test]
fn pack_check_emits_a_github_actions_matrix_with_one_job_per_combination() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("starter");
    folio().args(["pack", "new"]).arg(&dir).assert().success();
    let file = tmp.path().join("pack-check.yml");
    folio()
        .args(["pack", "check"])
        .arg(&dir)
        .args(["--spec", "capstone", "--emit", "github-actions"])
        .arg(&file)
        .assert()
        .success()
        .stderr(contains("jobs, one per combination"));
    let text = fs::read_to_string(&file).unwrap();
    let workflow: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let include = workflow["jobs"]["check"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap();
    assert_eq!(
        include.len(),
        12,
        "capstone: 3 stacks x 2 databases x (none, redis)"
    );
    assert!(include
        .iter()
        .any(|job| job["args"] == "capstone --stack api=rails --db sqlite --with redis"));
    // Values reach the shell through env only, and every action is pinned.
    for line in text.lines().filter(|l| l.contains("uses:")) {
        assert!(
            line.contains('@') && line.contains(" # v"),
            "unpinned: {line}"
        );
    }
    assert!(text.contains("ARGS: ${{ matrix.args }}"));
    assert!(!text
        .lines()
        .any(|l| l.trim_start().starts_with("folio") && l.contains("${{")));
    folio()
        .args(["pack", "check"])
        .arg(&dir)
        .args(["--spec", "capstone", "--emit", "gitlab"])
        .arg(&file)
        .assert()
        .failure()
        .code(2)
        .stderr(contains("the only format is github-actions"));
}

/// A pack's templates are compiled once: the next run reads them from
/// folio's cache, keyed by the pack's content, with the partials each one
/// names. A corrupt cache file or an edited pack never changes what is written.
#[test]
fn a_pack_is_compiled_once_and_the_cache_never_changes_an_outcome() {
    let tmp = tempfile::tempdir().unwrap();
    let section = tmp.path().join("pack").join(REDIS_SECTION);
    fs::create_dir_all(section.parent().unwrap()).unwrap();
    fs::write(&section, "\n## Caching at {{project.title}}, v1\n").unwrap();
    // A file of the pack's own that uses its partials, by name and by slot.
    let stack = tmp.path().join("pack/stacks/fastapi");
    for (path, text) in [
        (
            "files/NOTES.md.hbs",
            "Notes: {{> notes/intro}}{{slot \"notes-more\"}}\n",
        ),
        ("partials/notes/intro.hbs", "intro to {{project.title}}. "),
        ("partials/notes-more/a.hbs", "More, {{> notes/intro}}"),
    ] {
        fs::create_dir_all(stack.join(path).parent().unwrap()).unwrap();
        fs::write(stack.join(path), text).unwrap();
    }
    let cache = tmp.path().join("cache");
    let run = |out: &str| {
        folio()
            .current_dir(tmp.path())
            .env("FOLIO_CACHE_DIR", &cache)
            .args(["--templates", "pack"])
            .args(common::NEW_SHOP)
            .args(["--with", "redis", "--no-git", out])
            .assert()
            .success();
        let notes = fs::read_to_string(tmp.path().join(out).join("api/NOTES.md")).unwrap();
        assert_eq!(
            notes,
            "Notes: intro to Shop API. More, intro to Shop API. \n"
        );
        fs::read_to_string(tmp.path().join(out).join("api/README.md")).unwrap()
    };
    let cached = || -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = fs::read_dir(cache.join("compiled"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    };

    let first = run("one");
    assert!(first.contains("## Caching at Shop API, v1\n"), "{first}");
    let files = cached();
    assert_eq!(files.len(), 1, "{files:?}");
    let stored = fs::read(&files[0]).unwrap();
    assert!(!stored.is_empty());

    // Every template was found: the cache file is not written again.
    let modified = fs::metadata(&files[0]).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(run("two"), first);
    assert_eq!(
        fs::metadata(&files[0]).unwrap().modified().unwrap(),
        modified
    );

    // A corrupt file is a miss, and is replaced.
    fs::write(&files[0], b"\x05\xffnot a cache").unwrap();
    assert_eq!(run("three"), first);
    assert_eq!(fs::read(&files[0]).unwrap(), stored);

    // An edited pack is another pack: compiled anew, in its own file.
    fs::write(&section, "\n## Caching at {{project.title}}, v2\n").unwrap();
    let edited = run("four");
    assert!(edited.contains("## Caching at Shop API, v2\n"), "{edited}");
    assert_eq!(cached().len(), 2);
}

/// A pack may make more folders than a process may hold open files: every
/// one is written (the writer keeps no descriptor per folder).
#[test]
fn a_pack_with_more_folders_than_open_files_is_written_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let files = tmp.path().join("pack/common/files/many");
    for i in 0..1100 {
        let dir = files.join(format!("d{i:04}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("note.md.hbs"),
            format!("{i} of {{{{project.title}}}}\n"),
        )
        .unwrap();
    }
    // Run with at most 512 open files.
    let bin = assert_cmd::cargo::cargo_bin("folio");
    std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 512 && exec \"$0\" \"$@\"")
        .arg(&bin)
        .args(["--templates", "pack"])
        .args(common::NEW_SHOP)
        .args(["--no-git", "out"])
        .current_dir(tmp.path())
        .env("FOLIO_CACHE_DIR", tmp.path().join("cache"))
        .env_remove("FOLIO_TEMPLATES")
        .status()
        .map(|s| assert!(s.success(), "{s}"))
        .unwrap();
    let last = fs::read_to_string(tmp.path().join("out/many/d1099/note.md")).unwrap();
    assert_eq!(last, "1099 of Shop API\n");
    assert_eq!(
        fs::read_dir(tmp.path().join("out/many")).unwrap().count(),
        1100
    );
}
