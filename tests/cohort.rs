//! `folio cohort`: a cohort of learners end to end against real git servers
//! started by the test (git daemon accepting pushes, smart HTTP), with the
//! server stopped halfway, and a remote that already holds other work.

mod common;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::server::{free_port, Server};
use common::{folio, git};
use predicates::str::contains;
use serde_json::Value;

const WEEK: [&str; 4] = ["--plan", "intensive", "--week", "3"];

/// A roster of `n` learners (`learner-01`...), one with a name full of CSV
/// and HTML specials.
fn roster(dir: &Path, n: usize) -> std::path::PathBuf {
    let mut text = String::from("github,name,email\n");
    for i in 1..=n {
        let name = if i == 2 {
            "\"O'Hara, <b>Zoë</b> & co\"".to_string()
        } else {
            format!("Learner {i}")
        };
        text.push_str(&format!("learner-{i:02},{name},l{i}@example.org\n"));
    }
    let path = dir.join("roster.csv");
    fs::write(&path, text).unwrap();
    path
}

/// An empty bare repo per learner under `<dir>/srv`, as an instructor
/// pre-creates them on a server.
fn bare_repos(dir: &Path, n: usize) {
    for i in 1..=n {
        git(
            dir,
            &[
                "init",
                "-q",
                "--bare",
                "-b",
                "main",
                &format!("srv/learner-{i:02}.git"),
            ],
        );
    }
}

/// `main` of a learner's bare repo, or None.
fn main_of(dir: &Path, learner: &str) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--verify", "-q", "refs/heads/main"])
        .current_dir(dir.join("srv").join(format!("{learner}.git")))
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn cohort_new(dir: &Path, url: &str) -> assert_cmd::Command {
    let mut cmd = folio();
    cmd.current_dir(dir)
        .args(["cohort", "new", "roster.csv"])
        .args(WEEK)
        .args(["--remote", url, "--jobs", "4"]);
    cmd
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

#[test]
fn a_cohort_of_30_is_created_pushed_worked_on_and_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    roster(dir, 30);
    bare_repos(dir, 30);
    let daemon = Server::git_daemon_on(dir, free_port(), true);
    let url = format!("git://127.0.0.1:{}/{{learner}}.git", daemon.port);

    let out = cohort_new(dir, &url).arg("--json").assert().success();
    let outcomes = json(&out.get_output().stdout);
    let outcomes = outcomes.as_array().unwrap();
    assert_eq!(outcomes.len(), 30);
    for o in outcomes {
        assert_eq!(o["result"], "created", "{o}");
    }
    let first: Vec<Option<String>> = (1..=30)
        .map(|i| main_of(dir, &format!("learner-{i:02}")))
        .collect();
    assert!(first.iter().all(Option::is_some));

    // Each repo has one commit by folio, the pristine ref, and greets its learner.
    let work = dir.join("work");
    git(
        dir,
        &[
            "clone",
            "-q",
            &format!("git://127.0.0.1:{}/learner-02.git", daemon.port),
            "work",
        ],
    );
    assert_eq!(git(&work, &["rev-list", "--count", "HEAD"]).trim(), "1");
    let refs = git(&work, &["ls-remote", "origin"]);
    assert!(refs.contains("refs/folio/pristine"), "{refs}");
    let readme = fs::read_to_string(work.join("README.md")).unwrap();
    assert!(
        readme.contains("Welcome, O'Hara, <b>Zoë</b> & co! This repo is yours (learner-02)"),
        "{readme}"
    );
    let answers = fs::read_to_string(work.join(".folio/answers.toml")).unwrap();
    assert!(
        answers.contains("[learner]\nid = \"learner-02\""),
        "{answers}"
    );
    assert!(
        !answers.contains("example.org"),
        "emails stay out of the repo: {answers}"
    );

    // The learner ticks three items, adds one, and pushes.
    let mut ticked = 0;
    let readme: String = readme
        .lines()
        .map(|l| {
            if ticked < 3 && l.starts_with("- [ ] ") {
                ticked += 1;
                l.replacen("- [ ] ", "- [x] ", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n- [x] My own extra: a CLI client\n";
    fs::write(work.join("README.md"), readme).unwrap();
    git(
        &work,
        &[
            "-c",
            "user.name=L2",
            "-c",
            "user.email=l2@example.org",
            "commit",
            "-qam",
            "Day 1 done",
        ],
    );
    git(&work, &["push", "-q", "origin", "HEAD:main"]);

    // Status: the learner who worked comes first, with what they did.
    let cache = dir.join("cache");
    let out = folio()
        .current_dir(dir)
        .args([
            "cohort",
            "status",
            "roster.csv",
            "--remote",
            &url,
            "--jobs",
            "4",
            "--json",
        ])
        .args(["--html", "report.html", "--csv", "report.csv"])
        .arg("--cache")
        .arg(&cache)
        .assert()
        .success();
    let rows = json(&out.get_output().stdout);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 30);
    assert_eq!(rows[0]["id"], "learner-02");
    assert_eq!(rows[0]["checked"], 4, "{}", rows[0]);
    assert_eq!(rows[0]["added"], 1);
    assert_eq!(rows[0]["commits"], 2);
    let total = rows[0]["total"].as_u64().unwrap();
    assert!(total >= 4);
    for row in &rows[1..] {
        assert_eq!(row["checked"], 0, "{row}");
        assert_eq!(row["total"].as_u64().unwrap(), total - 1, "{row}");
        assert_eq!(row["commits"], 1);
    }
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("O&#39;Hara") || html.contains("O&#x27;Hara") || html.contains("O'Hara"));
    assert!(
        !html.contains("<b>Zoë</b>"),
        "names are escaped in the report"
    );
    let csv = fs::read_to_string(dir.join("report.csv")).unwrap();
    assert_eq!(csv.lines().count(), 31, "{csv}");

    // The text table shows the same, sorted by progress.
    folio()
        .current_dir(dir)
        .args(["cohort", "status", "roster.csv", "--remote", &url])
        .arg("--cache")
        .arg(&cache)
        .assert()
        .success()
        .stdout(contains("learner-02"));

    // A rerun creates nothing and rewrites nothing.
    let out = cohort_new(dir, &url).arg("--json").assert().success();
    for o in json(&out.get_output().stdout).as_array().unwrap() {
        assert_eq!(o["result"], "exists", "{o}");
    }
    for i in 1..=30 {
        let now = main_of(dir, &format!("learner-{i:02}"));
        if i == 2 {
            assert_ne!(now, first[1], "the learner's push stays");
        } else {
            assert_eq!(now, first[i - 1], "learner-{i:02} was not rewritten");
        }
    }
}

#[test]
fn a_server_stopped_halfway_leaves_a_cohort_the_rerun_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let n = 30;
    roster(dir, n);
    bare_repos(dir, n);
    let port = free_port();
    let daemon = Server::git_daemon_on(dir, port, true);
    let url = format!("git://127.0.0.1:{port}/{{learner}}.git");

    let mut run = std::process::Command::new(assert_cmd::cargo::cargo_bin("folio"));
    run.current_dir(dir)
        .args(["cohort", "new", "roster.csv"])
        .args(WEEK)
        .args(["--remote", &url, "--jobs", "1", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = run.spawn().unwrap();
    // Stop the server once a few learners are pushed.
    let start = Instant::now();
    while (1..=n)
        .filter(|i| main_of(dir, &format!("learner-{i:02}")).is_some())
        .count()
        < 5
    {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no pushes arrived"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(daemon);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcomes = json(&out.stdout);
    let failed: Vec<String> = outcomes
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["result"] == "failed")
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!failed.is_empty() && failed.len() < n, "{outcomes}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{} of {n} learners failed: {}",
            failed.len(),
            failed.join(", ")
        )),
        "{stderr}"
    );
    let before: Vec<Option<String>> = (1..=n)
        .map(|i| main_of(dir, &format!("learner-{i:02}")))
        .collect();

    // Back up: the rerun completes the rest and leaves the others alone.
    let _daemon = Server::git_daemon_on(dir, port, true);
    let out = cohort_new(dir, &url).arg("--json").assert().success();
    let outcomes = json(&out.get_output().stdout);
    for (i, o) in outcomes.as_array().unwrap().iter().enumerate() {
        let id = o["id"].as_str().unwrap();
        let expected = if failed.iter().any(|f| f == id) {
            "created"
        } else {
            "exists"
        };
        assert_eq!(o["result"], expected, "{o}");
        let now = main_of(dir, id).expect("every learner has a repo");
        if let Some(old) = &before[i] {
            assert_eq!(&now, old, "{id} was rewritten");
        }
        let bare = dir.join("srv").join(format!("{id}.git"));
        assert_eq!(
            git(&bare, &["rev-list", "--count", "main"]).trim(),
            "1",
            "{id}: one commit"
        );
    }
}

#[test]
fn a_remote_with_other_work_is_left_untouched_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    roster(dir, 3);
    bare_repos(dir, 3);
    // learner-03's remote already holds someone's project.
    let other = dir.join("other");
    git(dir, &["init", "-q", "-b", "main", "other"]);
    git(
        &other,
        &[
            "-c",
            "user.name=o",
            "-c",
            "user.email=o@example.org",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "their own work",
        ],
    );
    git(
        &other,
        &[
            "push",
            "-q",
            dir.join("srv/learner-03.git").to_str().unwrap(),
            "main",
        ],
    );
    let theirs = main_of(dir, "learner-03");
    // Over smart HTTP, through the git program.
    let server = Server::smart_http(dir);
    let url = format!(
        "http://127.0.0.1:{}/cgi-bin/git/{{learner}}.git",
        server.port
    );

    cohort_new(dir, &url)
        .assert()
        .code(1)
        .stdout(contains("learner-01  created"))
        .stdout(contains("learner-03  failed"))
        .stdout(contains(
            "the remote already holds other work (no folio history): left untouched",
        ))
        .stderr(contains("1 of 3 learners failed: learner-03"));
    assert_eq!(main_of(dir, "learner-03"), theirs);
    assert!(main_of(dir, "learner-01").is_some());
}

#[test]
fn a_bad_roster_is_reported_by_line_before_anything_is_created() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("roster.csv"),
        "id,name\nok,Fine\nOK,Twice\nbad/id,Slash\n",
    )
    .unwrap();
    let out = dir.join("out");
    folio()
        .current_dir(dir)
        .args(["cohort", "new", "roster.csv"])
        .args(WEEK)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("roster roster.csv has 2 bad row(s); fix them and run again (nothing was created):\n  line 3: learner id \"OK\" is already on line 2"))
        .stderr(contains("  line 4: learner id \"bad/id\" holds '/'"));
    assert!(!out.exists());
}

#[test]
fn out_writes_one_repo_per_learner_without_pushing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    roster(dir, 3);
    folio()
        .current_dir(dir)
        .args([
            "cohort",
            "new",
            "roster.csv",
            "ecommerce-api",
            "--out",
            "repos",
        ])
        .assert()
        .success()
        .stdout(contains("3 created, 0 already there, 0 failed"));
    for i in 1..=3 {
        let repo = dir.join(format!("repos/learner-{i:02}"));
        assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "1");
        assert!(fs::read_to_string(repo.join("README.md"))
            .unwrap()
            .contains(&format!("(learner-{i:02})")));
    }
    // Folders already there are skipped.
    folio()
        .current_dir(dir)
        .args([
            "cohort",
            "new",
            "roster.csv",
            "ecommerce-api",
            "--out",
            "repos",
        ])
        .assert()
        .success()
        .stdout(contains("0 created, 3 already there, 0 failed"));
}

#[test]
fn a_url_template_without_learner_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    roster(tmp.path(), 2);
    folio()
        .current_dir(tmp.path())
        .args([
            "cohort",
            "new",
            "roster.csv",
            "ecommerce-api",
            "--remote",
            "git://h/one.git",
        ])
        .assert()
        .code(2)
        .stderr(contains(
            "has no {learner}: every learner would share one repo",
        ));
}

/// A pack whose FastAPI stack sets up, lints and tests at once; the test
/// fails in a repo holding a file named BROKEN.
fn quick_pack(dir: &Path) {
    let stack = dir.join("pack/stacks/fastapi");
    fs::create_dir_all(&stack).unwrap();
    let real = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/stacks/fastapi/stack.toml"),
    )
    .unwrap();
    let mut table: toml::Table = toml::from_str(&real).unwrap();
    let commands = table["commands"].as_table_mut().unwrap();
    commands.insert("setup".into(), toml::Value::Array(vec!["true".into()]));
    commands.insert("lint".into(), toml::Value::Array(vec!["true".into()]));
    commands.insert(
        "test".into(),
        toml::Value::Array(vec!["test ! -f ../BROKEN".into()]),
    );
    fs::write(stack.join("stack.toml"), toml::to_string(&table).unwrap()).unwrap();
}

#[test]
fn cohort_status_verify_grades_each_learner() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    roster(dir, 3);
    bare_repos(dir, 3);
    quick_pack(dir);
    let url = format!("file://{}/srv/{{learner}}.git", dir.display());
    fs::write(dir.join("answers.toml"), "database = \"sqlite\"\n").unwrap();
    folio()
        .current_dir(dir)
        .args([
            "--templates",
            "pack",
            "cohort",
            "new",
            "roster.csv",
            "ecommerce-api",
            "--remote",
            &url,
        ])
        .args(["--answers", "answers.toml", "--stack", "fastapi"])
        .assert()
        .success();
    // learner-02 breaks their build.
    git(
        dir,
        &[
            "clone",
            "-q",
            dir.join("srv/learner-02.git").to_str().unwrap(),
            "work",
        ],
    );
    let work = dir.join("work");
    fs::write(work.join("BROKEN"), "").unwrap();
    git(&work, &["add", "BROKEN"]);
    git(
        &work,
        &[
            "-c",
            "user.name=l",
            "-c",
            "user.email=l@example.org",
            "commit",
            "-qm",
            "oops",
        ],
    );
    git(&work, &["push", "-q", "origin", "HEAD:main"]);
    // The infrastructure linters are faked: this grades the services.
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink("/bin/sh", bin.join("sh")).unwrap();
    for tool in ["hadolint", "zizmor", "check-jsonschema", "yamllint"] {
        let fake = bin.join(tool);
        fs::write(&fake, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = folio()
        .current_dir(dir)
        .env("PATH", &bin)
        .args([
            "--templates",
            "pack",
            "cohort",
            "status",
            "roster.csv",
            "--remote",
            &url,
            "--verify",
            "--json",
        ])
        .arg("--cache")
        .arg(dir.join("cache"))
        .assert()
        .success();
    let rows = json(&out.get_output().stdout);
    let verdicts: Vec<(String, bool)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["verify"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("learner-01".to_string(), true),
            ("learner-02".to_string(), false),
            ("learner-03".to_string(), true)
        ]
    );
}
