//! Runs the real `folio` binary for each thing `folio new`, `list` and `show` promise.

mod common;

use std::fs;

use common::{files, folio, git, parse_structured_files, HOSTILE};
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn list_prints_specs_and_plans() {
    folio().arg("list").assert().success().stdout(
        contains("ecommerce-api")
            .and(contains("realtime-app"))
            .and(contains("intensive-week-5"))
            .and(contains("standard-week-12")),
    );
}

#[test]
fn list_json_has_the_documented_shape() {
    let out = folio().args(["list", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let spec = &v["specs"][0];
    for key in ["id", "title", "summary"] {
        assert!(spec[key].is_string(), "specs[0].{key} missing: {spec}");
    }
    let plans = v["plans"].as_array().unwrap();
    let ids: Vec<_> = plans.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"standard") && ids.contains(&"intensive"),
        "{ids:?}"
    );
    let standard = plans.iter().find(|p| p["id"] == "standard").unwrap();
    assert_eq!(standard["weeks"].as_array().unwrap().len(), 12);
    assert_eq!(standard["weeks"][2]["spec"], "standard-week-3");
}

#[test]
fn show_prints_services_stacks_databases_and_checklist() {
    folio()
        .args(["show", "ecommerce-api"])
        .assert()
        .success()
        .stdout(
            contains("api/")
                .and(contains("rails"))
                .and(contains("postgresql"))
                .and(contains("- [ ] "))
                .and(contains("API Documentation Standards")),
        );
}

#[test]
fn show_json_has_the_documented_shape() {
    let out = folio()
        .args(["show", "ecommerce-api", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "ecommerce-api");
    assert_eq!(v["default_database"], "postgresql");
    assert_eq!(v["services"][0]["name"], "api");
    assert_eq!(v["services"][0]["default_stack"], "rails");
    assert_eq!(v["services"][0]["resource"]["plural"], "products");
    assert!(v["features"].is_array());
    assert_eq!(v["checklist"][0]["title"], "Requirements");
    assert!(v["checklist"][0]["items"].as_array().unwrap().len() >= 5);
}

#[test]
fn show_json_lists_the_features_each_stack_has_templates_for() {
    let out = folio()
        .args(["show", "realtime-app", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stacks = v["services"][0]["stacks"].as_array().unwrap();
    let features = |id: &str| {
        stacks.iter().find(|s| s["id"] == id).unwrap()["features"]
            .as_array()
            .unwrap()
            .clone()
    };
    assert!(features("express").contains(&serde_json::json!("websockets")));
    // A spec (from a pack) asking for WebSockets on Django, which has no
    // WebSockets overlay: only the AWS deploy workflow, for every stack, remains.
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("specs")).unwrap();
    fs::write(
        tmp.path().join("specs/chat.toml"),
        r#"id = "chat"
title = "Chat"
summary = "Django chat"
default_name = "chat"
databases = ["sqlite"]
requirements = ["Chat"]
[[features]]
id = "websockets"
title = "WebSockets"
default = true
[[features]]
id = "aws_deploy"
title = "AWS"
default = false
[[services]]
name = "api"
stacks = ["django"]
[services.resource]
name = "message"
plural = "messages"
fields = [{ name = "body", type = "text", required = true }]
"#,
    )
    .unwrap();
    let out = folio()
        .args(["--templates"])
        .arg(tmp.path())
        .args(["show", "chat", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let django = &v["services"][0]["stacks"][0];
    assert_eq!(django["id"], "django");
    assert_eq!(django["features"], serde_json::json!(["aws_deploy"]));
}

#[test]
fn show_accepts_a_week_id() {
    folio()
        .args(["show", "intensive-week-5"])
        .assert()
        .success()
        .stdout(contains("Node.js + Express").and(contains("Days 1-2")));
}

#[test]
fn unknown_spec_says_what_exists() {
    folio().args(["show", "nope"]).assert().failure().stderr(
        contains("no spec named \"nope\"")
            .and(contains("ecommerce-api"))
            .and(contains("folio list")),
    );
}

#[test]
fn without_a_terminal_missing_answers_fail_at_once_naming_the_flags() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "ecommerce-api"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .failure()
        .stderr(
            contains("no terminal")
                .and(contains("--stack"))
                .and(contains("--db"))
                .and(contains("--name"))
                .and(contains("--yes")),
        );
    assert!(files(tmp.path()).is_empty(), "nothing may be written");
}

#[test]
fn without_a_terminal_and_no_project_names_the_spec_argument() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .arg("new")
        .assert()
        .failure()
        .stderr(contains("SPEC"));
}

#[test]
fn every_flag_answers_its_question_without_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args([
            "new",
            "ecommerce-api",
            "shop",
            "--stack",
            "fastapi",
            "--db",
            "sqlite",
            "--with",
            "none",
            "--name",
            "my-shop",
            "--description",
            "A shop",
        ])
        .assert()
        .success();
    let answers = fs::read_to_string(tmp.path().join("shop/.folio/answers.toml")).unwrap();
    let a: toml::Table = toml::from_str(&answers).unwrap();
    assert_eq!(a["spec"].as_str(), Some("ecommerce-api"));
    assert_eq!(a["name"].as_str(), Some("my-shop"));
    assert_eq!(a["description"].as_str(), Some("A shop"));
    assert_eq!(a["database"].as_str(), Some("sqlite"));
    assert_eq!(a["stacks"]["api"].as_str(), Some("fastapi"));
    assert_eq!(a["folio_version"].as_str(), Some(env!("CARGO_PKG_VERSION")));
}

#[test]
fn yes_takes_defaults_and_creates_a_git_repo_with_one_clean_commit_on_main() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "ecommerce-api", "--yes"])
        .assert()
        .success()
        .stdout(
            contains("Next steps")
                .and(contains("cd shop-api"))
                .and(contains("test:")),
        );
    let repo = tmp.path().join("shop-api");
    assert_eq!(git(&repo, &["branch", "--show-current"]).trim(), "main");
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "1");
    // The objects are one valid pack; the branch's reflog says how it began.
    git(&repo, &["fsck", "--strict", "--full", "--no-dangling"]);
    // folio writes the pack's index itself: git reads every object through it.
    let idx = fs::read_dir(repo.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .unwrap();
    let verified = git(&repo, &["verify-pack", "-v", idx.to_str().unwrap()]);
    assert!(verified.contains("non delta: "), "{verified}");
    let objects = git(&repo, &["count-objects", "-v"]);
    assert!(
        objects.contains("count: 0\n") && objects.contains("packs: 1\n"),
        "{objects}"
    );
    assert_eq!(
        git(&repo, &["reflog", "--format=%gs", "main"]).trim(),
        "commit (initial): Start shop-api from folio 0.1.0 (ecommerce-api)"
    );
    assert_eq!(
        git(&repo, &["status", "--porcelain", "--untracked-files=all"]),
        "",
        "work tree must be clean"
    );
    assert_eq!(
        git(&repo, &["log", "-1", "--format=%an <%ae>"]).trim(),
        "Test Author <test@example.com>"
    );
    let tracked = git(&repo, &["ls-files"]);
    assert!(
        tracked.lines().any(|l| l == ".folio/answers.toml"),
        "{tracked}"
    );
    assert!(tracked.lines().any(|l| l == "README.md"), "{tracked}");
    assert!(
        !tracked.lines().any(|l| l.ends_with(".env")),
        ".env must never be committed:\n{tracked}"
    );
    assert!(
        repo.join(".env").exists(),
        "the git-ignored .env holds the secrets"
    );
    let readme = fs::read_to_string(repo.join("README.md")).unwrap();
    assert!(
        readme.contains("- [ ] Product catalog"),
        "README checklist missing:\n{readme}"
    );
    assert!(readme.contains("## Quick start"));
}

#[test]
fn secrets_stay_out_of_tracked_files() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "ecommerce-api", "p", "--yes"])
        .assert()
        .success();
    let repo = tmp.path().join("p");
    let env = fs::read_to_string(repo.join(".env")).unwrap();
    let secret = env
        .lines()
        .find_map(|l| l.strip_prefix("SECRET_KEY="))
        .unwrap()
        .to_string();
    assert_eq!(secret.len(), 64);
    // `git grep` exits 1 when nothing matches.
    let grep = std::process::Command::new("git")
        .args(["grep", "-l", &secret])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(
        grep.status.code(),
        Some(1),
        "secret found in tracked files: {}",
        String::from_utf8_lossy(&grep.stdout)
    );
}

#[test]
fn git_identity_falls_back_and_says_how_to_fix_it() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.path().join("none"))
        .args(["new", "ecommerce-api", "p", "--yes"])
        .assert()
        .success()
        .stderr(
            contains("folio <folio@localhost>")
                .and(contains("git config --global user.name"))
                .and(contains("--reset-author")),
        );
}

#[test]
fn no_git_skips_the_repository() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "ecommerce-api", "p", "--yes", "--no-git"])
        .assert()
        .success();
    assert!(tmp.path().join("p/README.md").exists());
    assert!(!tmp.path().join("p/.git").exists());
}

#[test]
fn an_existing_non_empty_target_is_never_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("mine");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("notes.txt"), "precious").unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "ecommerce-api", "mine", "--yes"])
        .assert()
        .failure()
        .stderr(contains("already exists and is not empty").and(contains("mine")));
    assert_eq!(files(&target), vec![std::path::PathBuf::from("notes.txt")]);
    assert_eq!(
        fs::read_to_string(target.join("notes.txt")).unwrap(),
        "precious"
    );
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no staging folder may be left behind"
    );
}

#[test]
fn an_existing_empty_target_is_filled() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("empty")).unwrap();
    folio()
        .current_dir(tmp.path().join("empty"))
        .args(["new", "ecommerce-api", ".", "--yes"])
        .assert()
        .success();
    assert!(tmp.path().join("empty/README.md").exists());
    assert!(tmp.path().join("empty/.git").exists());
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no staging folder may be left behind"
    );
}

/// Runs `folio new ecommerce-api out --yes` with a template pack holding one
/// common file, and returns the temporary folder and the run's assertion.
fn new_with_pack_file(
    name: &str,
    contents: &str,
    extra: &[&str],
) -> (tempfile::TempDir, assert_cmd::assert::Assert) {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack/common/files");
    fs::create_dir_all(&pack).unwrap();
    fs::write(pack.join(name), contents).unwrap();
    let assert = common::new_with_pack(tmp.path(), extra);
    (tmp, assert)
}

#[test]
fn a_bad_template_names_the_file_and_leaves_nothing() {
    let (tmp, assert) = new_with_pack_file("broken.txt.hbs", "hello {{no_such_value}}\n", &[]);
    assert
        .failure()
        .stderr(contains("broken.txt.hbs").and(contains("no_such_value")));
    assert!(!tmp.path().join("out").exists());
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "only the pack folder may remain"
    );
}

#[test]
fn a_rendered_path_cannot_escape_the_target() {
    let (tmp, assert) = new_with_pack_file(
        "{{project.description}}.txt",
        "x",
        &["--description", "../../escaped"],
    );
    assert.failure().stderr(contains("path separator"));
    assert!(!tmp.path().join("out").exists());
    assert!(
        !tmp.path().join("escaped.txt").exists()
            && !tmp.path().parent().unwrap().join("escaped.txt").exists()
    );
}

#[test]
fn dry_run_prints_the_tree_with_sizes_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "ecommerce-api", "--yes", "--dry-run"])
        .assert()
        .success()
        .stdout(
            contains("shop-api/")
                .and(contains("README.md"))
                .and(contains(" B"))
                .and(contains("├── ")),
        )
        .stderr(contains("nothing was written"));
    assert!(files(tmp.path()).is_empty());
}

#[test]
fn answers_file_regenerates_the_same_project() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args([
            "new",
            "ecommerce-api",
            "a",
            "--yes",
            "--no-git",
            "--stack",
            "fastapi",
            "--description",
            HOSTILE,
        ])
        .assert()
        .success();
    folio()
        .current_dir(tmp.path())
        .args(["new", "--answers", "a/.folio/answers.toml", "b", "--no-git"])
        .assert()
        .success();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(files(&a), files(&b));
    for rel in files(&a) {
        if rel.file_name().is_some_and(|n| n == ".env") {
            continue; // fresh random secrets each time
        }
        assert_eq!(
            fs::read(a.join(&rel)).unwrap(),
            fs::read(b.join(&rel)).unwrap(),
            "{} differs",
            rel.display()
        );
    }
}

#[test]
fn flags_win_over_the_answers_file() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("answers.toml"),
        "spec = \"ecommerce-api\"\nname = \"from-file\"\ndatabase = \"sqlite\"\n",
    )
    .unwrap();
    folio()
        .current_dir(tmp.path())
        .args([
            "new",
            "--answers",
            "answers.toml",
            "--name",
            "from-flag",
            "--yes",
            "--no-git",
        ])
        .assert()
        .success();
    let answers = fs::read_to_string(tmp.path().join("from-flag/.folio/answers.toml")).unwrap();
    assert!(
        answers.contains("name = \"from-flag\"") && answers.contains("database = \"sqlite\""),
        "{answers}"
    );
}

#[test]
fn a_bad_answers_file_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("a.toml"),
        "spec = \"ecommerce-api\"\nbogus = 1\n",
    )
    .unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "--answers", "a.toml", "--yes"])
        .assert()
        .failure()
        .stderr(contains("a.toml").and(contains("bogus")));
}

#[test]
fn invalid_names_and_choices_say_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        folio()
            .current_dir(tmp.path())
            .args(args)
            .assert()
            .failure()
    };
    run(&["new", "ecommerce-api", "--yes", "--name", "My Shop!"])
        .stderr(contains("not a valid name").and(contains("my-shop")));
    run(&["new", "ecommerce-api", "--yes", "--stack", "cobol"])
        .stderr(contains("rails, fastapi, express"));
    run(&["new", "ecommerce-api", "--yes", "--db", "oracle"]).stderr(contains("--db"));
    run(&["new", "ecommerce-api", "--yes", "--with", "teleport"])
        .stderr(contains("teleport").and(contains("--with")));
    run(&["new", "microservices", "--yes", "--stack", "rails"]).stderr(contains("SERVICE=rails"));
    assert!(files(tmp.path()).is_empty());
}

#[test]
fn a_rails_project_cannot_be_named_like_a_constant_its_app_already_has() {
    let tmp = tempfile::tempdir().unwrap();
    let new = |name: &str, stack: &str| {
        folio()
            .current_dir(tmp.path())
            .args(["new", "ecommerce-api", "--yes", "--dry-run", "--name", name])
            .args(["--stack", stack])
            .assert()
    };
    new("rails", "rails")
        .failure()
        .stderr(contains("module would be Rails").and(contains("\"rails-app\"")));
    // The model of the resource (Product) and the app's own classes.
    new("product", "rails")
        .failure()
        .stderr(contains("Product"));
    new("user", "rails").failure().stderr(contains("User"));
    new("rails", "fastapi").success();
    new("rails-app", "rails").success();
}

#[test]
fn a_plan_week_generates_its_starter() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "--plan", "intensive", "--week", "5", "w5", "--yes"])
        .assert()
        .success();
    let readme = fs::read_to_string(tmp.path().join("w5/README.md")).unwrap();
    assert!(readme.contains("Week 5: Node.js + Express"), "{readme}");
    assert!(
        readme.contains("### Days 1-2: Node.js Fundamentals"),
        "{readme}"
    );
    assert!(
        readme.contains("- [ ] Node.js runtime and event loop"),
        "{readme}"
    );
    let answers = fs::read_to_string(tmp.path().join("w5/.folio/answers.toml")).unwrap();
    assert!(
        answers.contains("plan = \"intensive\"") && answers.contains("week = 5"),
        "{answers}"
    );
    folio()
        .args([
            "new",
            "--plan",
            "intensive",
            "--week",
            "99",
            "--yes",
            "--dry-run",
        ])
        .assert()
        .failure()
        .stderr(contains("no week 99"));
}

#[test]
fn a_hostile_description_still_yields_files_that_parse_for_every_spec() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, id) in common::all_spec_ids().iter().enumerate() {
        let dir = format!("p{i}");
        folio()
            .current_dir(tmp.path())
            .args([
                "new",
                id,
                &dir,
                "--yes",
                "--no-git",
                "--description",
                HOSTILE,
            ])
            .assert()
            .success();
        let parsed = parse_structured_files(&tmp.path().join(&dir));
        assert!(
            parsed >= 3,
            "{id}: expected several JSON/YAML/TOML files, parsed {parsed}"
        );
        let answers =
            fs::read_to_string(tmp.path().join(&dir).join(".folio/answers.toml")).unwrap();
        let table: toml::Table = toml::from_str(&answers).unwrap();
        assert_eq!(table["description"].as_str(), Some(HOSTILE));
    }
}

#[test]
fn help_explains_every_flag() {
    folio().args(["new", "--help"]).assert().success().stdout(
        contains("--stack")
            .and(contains("--db"))
            .and(contains("--with"))
            .and(contains("--answers"))
            .and(contains("--dry-run"))
            .and(contains("--no-git"))
            .and(contains("Examples")),
    );
}

#[test]
fn no_template_is_ignored_by_this_repos_git() {
    // A `.gitignore` among the templates would hide other templates (such as
    // `.env.hbs`) from folio's own commits; templates name theirs `.gitignore.hbs`.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let all: Vec<String> = files(&root.join("templates"))
        .iter()
        .map(|p| format!("templates/{}", p.display()))
        .collect();
    let out = std::process::Command::new("git")
        .arg("check-ignore")
        .args(&all)
        .current_dir(root)
        .output()
        .unwrap();
    // check-ignore exits 1 when no path is ignored, 0 when some are, 128 on error.
    assert_eq!(
        out.status.code(),
        Some(1),
        "git ignores these templates: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_closed_stdout_pipe_is_not_a_crash() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("folio"))
        .arg("list")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away, like `folio list | head -0`
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(status.success(), "{err}");
}

#[test]
fn aws_deploy_adds_one_oidc_deploy_job_per_service_with_pinned_actions() {
    let tmp = tempfile::tempdir().unwrap();
    let new = |dir: &str, with: &str| {
        folio()
            .current_dir(tmp.path())
            .args([
                "new",
                "production-system",
                dir,
                "--yes",
                "--no-git",
                "--with",
                with,
            ])
            .assert()
            .success();
    };
    new("with", "aws_deploy");
    new("without", "none");
    let deploy =
        std::fs::read_to_string(tmp.path().join("with/.github/workflows/deploy.yml")).unwrap();
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&deploy).unwrap();
    let jobs = yaml["jobs"].as_mapping().unwrap();
    let names: Vec<&str> = jobs.keys().filter_map(|k| k.as_str()).collect();
    assert_eq!(names, ["customers", "invoices", "notifications"]);
    for (_, job) in jobs {
        assert_eq!(job["permissions"]["id-token"], "write");
        for step in job["steps"].as_sequence().unwrap() {
            if let Some(uses) = step["uses"].as_str() {
                let sha = uses.split('@').nth(1).unwrap();
                assert_eq!(sha.len(), 40, "{uses} is not pinned by commit");
            }
        }
    }
    assert_eq!(yaml["permissions"]["contents"], "read");
    let readme = std::fs::read_to_string(tmp.path().join("with/README.md")).unwrap();
    assert!(readme.contains("## Deploying to AWS"));
    assert!(!tmp
        .path()
        .join("without/.github/workflows/deploy.yml")
        .exists());
    let readme = std::fs::read_to_string(tmp.path().join("without/README.md")).unwrap();
    assert!(!readme.contains("Deploying to AWS"));
}

#[test]
fn a_multi_service_repo_has_a_gateway_a_database_per_service_and_a_diagram() {
    let tmp = tempfile::tempdir().unwrap();
    for (spec, dir) in [("microservices", "multi"), ("ecommerce-api", "single")] {
        folio()
            .current_dir(tmp.path())
            .args(["new", spec, dir, "--yes", "--no-git", "--db", "postgresql"])
            .assert()
            .success();
    }
    let read = |path: &str| std::fs::read_to_string(tmp.path().join(path)).unwrap();
    let nginx = read("multi/gateway/nginx.conf");
    for (service, port) in [("accounts", 3000), ("catalog", 8000), ("orders", 3000)] {
        assert!(nginx.contains(&format!("location /{service}/ {{")));
        assert!(nginx.contains(&format!("http://{service}:{port};")));
    }
    let compose: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&read("multi/compose.yaml")).unwrap();
    let orders = &compose["services"]["orders"]["environment"];
    assert!(orders["DATABASE_URL"]
        .as_str()
        .unwrap()
        .ends_with("@db:5432/orders"));
    assert_eq!(orders["CATALOG_URL"], "http://catalog:8000");
    assert!(orders["ORDERS_URL"].is_null());
    assert_eq!(compose["services"]["gateway"]["ports"][0], "8080:8080");
    assert!(read("multi/compose/initdb.sql").contains("CREATE DATABASE catalog OWNER app;"));
    assert!(read("multi/README.md").contains("gateway -->|/catalog/| catalog"));
    // Each service knows its peers' host URLs for local runs, and documents /health/peers.
    let accounts_env = read("multi/accounts/.env.example");
    assert!(accounts_env.contains("CATALOG_URL=http://localhost:8000"));
    assert!(accounts_env.contains("ORDERS_URL=http://localhost:3001"));
    assert!(!accounts_env.contains("ACCOUNTS_URL"));
    for service in ["accounts", "catalog", "orders"] {
        assert!(read(&format!("multi/{service}/README.md")).contains("/health/peers"));
    }
    assert!(!read("single/api/README.md").contains("/health/peers"));

    assert!(!tmp.path().join("single/gateway").exists());
    assert!(read("single/README.md").contains("```mermaid"));
    let compose: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&read("single/compose.yaml")).unwrap();
    assert!(compose["services"]["gateway"].is_null());
}

#[test]
fn realtime_app_defaults_to_mongodb_with_express_only() {
    folio()
        .args(["show", "realtime-app"])
        .assert()
        .success()
        .stdout(contains(
            "Databases: mongodb (with express), postgresql, sqlite",
        ));
    folio()
        .args([
            "new",
            "realtime-app",
            "x",
            "--stack",
            "fastapi",
            "--db",
            "mongodb",
            "--yes",
            "--no-git",
        ])
        .assert()
        .failure()
        .stderr(
            contains("database \"mongodb\" is not offered here").and(contains("--db postgresql")),
        );

    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "realtime-app", "chat", "--yes", "--no-git"])
        .assert()
        .success();
    let root = tmp.path().join("chat");
    let read = |p: &str| fs::read_to_string(root.join(p)).unwrap();
    assert!(read("api/package.json").contains("\"mongoose\""));
    assert!(!read("api/package.json").contains("sequelize"));
    assert!(root.join("api/src/repositories/memory.js").exists());
    assert!(!root.join("api/src/migrations").exists());
    let compose = read("compose.yaml");
    assert!(compose.contains("image: mongo:8"));
    assert!(compose.contains("DATABASE_URL: mongodb://app:${DB_PASSWORD:?set DB_PASSWORD in .env}@db:27017/api?authSource=admin"));
    assert!(read(".env").contains("DB_PASSWORD="));
    assert!(
        read("README.md").contains("MongoDB: the data access goes through a repository interface")
    );
}

#[test]
fn a_pack_service_named_like_a_shared_setting_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("specs")).unwrap();
    let service = |name: &str| {
        format!(
            "[[services]]\nname = \"{name}\"\nstacks = [\"fastapi\"]\n[services.resource]\nname = \"item\"\nplural = \"items\"\nfields = [{{ name = \"title\", type = \"string\", required = true }}]\n"
        )
    };
    fs::write(
        tmp.path().join("specs/two.toml"),
        format!(
            "id = \"two\"\ntitle = \"Two\"\nsummary = \"s\"\ndefault_name = \"two\"\ndatabases = [\"sqlite\"]\nrequirements = [\"r\"]\n{}{}",
            service("api"),
            service("redis")
        ),
    )
    .unwrap();
    folio()
        .arg("--templates")
        .arg(tmp.path())
        .args(["show", "two"])
        .assert()
        .failure()
        .stderr(
            contains("\"redis\"")
                .and(contains("REDIS_URL"))
                .and(contains("rename it")),
        );
}

#[test]
fn the_readmes_examples_run_as_written() {
    // Every `folio` command line in a ```sh block of the README that needs
    // no terminal (it passes --yes, or it is list or show) and no server.
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let lines: Vec<&str> = readme
        .split("```sh")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .flat_map(str::lines)
        .map(|l| l.split(" #").next().unwrap().trim())
        .filter(|l| {
            l.starts_with("folio ")
                && !l.contains("://")
                && (l.contains("--yes")
                    || l.starts_with("folio list")
                    || l.starts_with("folio show"))
        })
        .collect();
    assert!(lines.len() >= 3, "found only {lines:?}");
    let tmp = tempfile::tempdir().unwrap();
    for line in lines {
        let args = shlex::split(line).unwrap();
        folio()
            .current_dir(tmp.path())
            .args(&args[1..])
            .assert()
            .success();
    }
    assert!(tmp.path().join("shop/api/README.md").exists());
}

#[test]
fn a_weeks_default_folder_title_and_description_read_well() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args([
            "new", "--plan", "standard", "--week", "5", "--stack", "fastapi", "--yes", "--no-git",
        ])
        .assert()
        .success()
        .stdout(contains("Created week-5-postgresql-mastery:"));
    let readme =
        fs::read_to_string(tmp.path().join("week-5-postgresql-mastery/README.md")).unwrap();
    let head: Vec<&str> = readme.lines().take(3).collect();
    assert_eq!(
        head,
        [
            "# Week 5: PostgreSQL Mastery",
            "",
            "Week 5: PostgreSQL Mastery, built with FastAPI and PostgreSQL"
        ]
    );
}

#[test]
fn next_steps_migrate_before_the_first_run() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args([
            "new",
            "ecommerce-api",
            "p",
            "--stack",
            "fastapi",
            "--db",
            "sqlite",
            "--yes",
            "--no-git",
        ])
        .assert()
        .success()
        .stdout(contains(
            "  # api (FastAPI), in api/
  cd api
  set up:  python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'
  migrate: .venv/bin/alembic upgrade head
  test:    .venv/bin/pytest
  lint:    .venv/bin/ruff check . && .venv/bin/ruff format --check .
  run:     .venv/bin/uvicorn app.main:create_app --factory --reload --port ${PORT:-8000}
",
        ));
}
