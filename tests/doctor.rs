//! `folio doctor`, through the real binary, with a PATH of fake tools.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::folio;

/// A folder of shell scripts named like tools, each printing a version.
fn fake_tools(dir: &Path, tools: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, body) in tools {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// python3 answering `--version`, the venv import check and `-m pip --version`.
const PYTHON3: &str = r#"case "$1" in
  --version) echo "Python 3.12.4" ;;
  -m) echo "pip 24.0 from /usr/lib/python3/dist-packages/pip (python 3.12)" ;;
  -c) exit 0 ;;
  *) exit 1 ;;
esac"#;

/// folio doctor with only `bin` on PATH and no server URLs set.
fn doctor(bin: &Path) -> assert_cmd::Command {
    let mut cmd = folio();
    cmd.arg("doctor")
        .env("PATH", bin)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL");
    cmd
}

fn json_of(out: &[u8]) -> Vec<serde_json::Value> {
    serde_json::from_slice::<Vec<serde_json::Value>>(out).expect("--json prints a JSON array")
}

#[test]
fn reports_exactly_the_fake_tools_as_found_and_the_others_with_install_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    fake_tools(
        &bin,
        &[
            ("git", "echo 'git version 2.47.2'"),
            ("python3", PYTHON3),
            ("docker", "echo 'Docker version 27.1.1, build 6312585'"),
            ("hadolint", "echo 'Haskell Dockerfile Linter 2.12.0'"),
        ],
    );
    let out = doctor(&bin)
        .arg("--json")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let findings = json_of(&out.stdout);
    let found: Vec<(&str, &str)> = findings
        .iter()
        .filter(|f| f["found"] == true)
        .map(|f| {
            (
                f["tool"].as_str().unwrap(),
                f["version"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("git", "2.47.2"),
            ("python3", "3.12.4"),
            ("python3-venv", ""),
            ("pip", "24.0"),
            ("docker", "27.1.1"),
            ("hadolint", "2.12.0"),
        ]
    );
    let missing: Vec<&str> = findings
        .iter()
        .filter(|f| f["found"] == false)
        .map(|f| f["tool"].as_str().unwrap())
        .collect();
    assert_eq!(
        missing,
        [
            "node",
            "npm",
            "ruby",
            "bundler",
            "zizmor",
            "check-jsonschema",
            "yamllint",
            "nginx"
        ]
    );
    for f in &findings {
        let install = &f["install"];
        if f["found"] == true {
            assert!(install.is_null(), "{f}");
        } else {
            let install = install.as_str().unwrap();
            assert!(install.contains("install"), "{f}");
            if f["tool"] == "zizmor" {
                assert_eq!(install, "pip install zizmor");
            }
        }
    }

    // The text table says the same, with every fix and one line per installer.
    let out = doctor(&bin).assert().code(1).get_output().clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("tool "), "{text}");
    assert!(text.contains("version or fix"), "{text}");
    for line in text.lines().skip(1).take_while(|l| !l.is_empty()) {
        let tool = line.split_whitespace().next().unwrap();
        let status = if found.iter().any(|(t, _)| *t == tool) {
            "ok"
        } else {
            "missing"
        };
        assert!(line.contains(&format!("  {status}  ")), "{line}");
    }
    assert!(
        text.contains("pip install zizmor check-jsonschema yamllint"),
        "{text}"
    );
    assert!(text.contains("8 of 14 checks failed"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));
}

#[test]
fn json_has_the_documented_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    fake_tools(&bin, &[("git", "echo 'git version 2.47.2'")]);
    let out = doctor(&bin)
        .arg("--json")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let findings = json_of(&out.stdout);
    assert!(!findings.is_empty());
    for f in &findings {
        let obj = f.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["found", "install", "needed_by", "tool", "version"]);
        assert!(f["tool"].is_string());
        assert!(f["needed_by"].as_array().is_some_and(|a| !a.is_empty()));
        assert!(f["found"].is_boolean());
        assert!(f["version"].is_string() || f["version"].is_null());
        assert!(f["install"].is_string() || f["install"].is_null());
    }
    // Every stack's tools are asked for without DIR.
    let python = findings.iter().find(|f| f["tool"] == "python3").unwrap();
    assert_eq!(
        python["needed_by"],
        serde_json::json!(["django", "fastapi"])
    );
}

#[test]
fn everything_present_for_a_repo_exits_zero_and_checks_only_its_stacks() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .args(common::NEW_SHOP)
        .arg(tmp.path().join("shop"))
        .arg("--no-git")
        .assert()
        .success();
    let bin = tmp.path().join("bin");
    fake_tools(
        &bin,
        &[
            ("git", "echo 'git version 2.47.2'"),
            ("python3", PYTHON3),
            ("docker", "echo 'Docker version 27.1.1, build 6312585'"),
            ("hadolint", "echo 'Haskell Dockerfile Linter 2.12.0'"),
            ("zizmor", "echo 'zizmor 1.16.0'"),
            ("yamllint", "echo 'yamllint 1.37.1'"),
            (
                "check-jsonschema",
                "echo 'check-jsonschema, version 0.33.0'",
            ),
        ],
    );
    let out = doctor(&bin)
        .arg(tmp.path().join("shop"))
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .clone();
    let findings = json_of(&out.stdout);
    let tools: Vec<&str> = findings
        .iter()
        .map(|f| f["tool"].as_str().unwrap())
        .collect();
    // A FastAPI service: no Node, Ruby, or gateway nginx.
    assert_eq!(
        tools,
        [
            "git",
            "python3",
            "python3-venv",
            "pip",
            "docker",
            "hadolint",
            "zizmor",
            "check-jsonschema",
            "yamllint"
        ]
    );
    assert!(findings.iter().all(|f| f["found"] == true));
    let python = &findings[1];
    assert_eq!(python["needed_by"], serde_json::json!(["api (fastapi)"]));
    doctor(&bin)
        .arg(tmp.path().join("shop"))
        .assert()
        .success()
        .stdout(predicates::str::contains("All 9 checks passed."));
}

#[test]
fn an_unreachable_redis_url_is_reported_with_the_password_redacted() {
    // A port nothing listens on: bind one, note it, close it.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    fake_tools(&bin, &[]);
    let url = format!("redis://:hunter2@127.0.0.1:{port}/0");
    let out = doctor(&bin)
        .env("REDIS_URL", &url)
        .arg("--json")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let findings = json_of(&out.stdout);
    let redis = findings.iter().find(|f| f["tool"] == "redis").unwrap();
    assert_eq!(redis["found"], false);
    assert_eq!(
        redis["needed_by"],
        serde_json::json!([format!(
            "REDIS_URL=redis://:***@127.0.0.1:{port}/0 (environment)"
        )])
    );
    assert!(redis["install"]
        .as_str()
        .unwrap()
        .contains(&format!("nothing answers at 127.0.0.1:{port}")));
    let out = doctor(&bin)
        .env("REDIS_URL", &url)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("unreachable"), "{text}");
    assert!(!text.contains("hunter2"), "the password is shown:\n{text}");
}

#[test]
fn a_reachable_database_url_from_the_repos_env_file_is_reported_reachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("shop");
    folio()
        .args(common::NEW_SHOP)
        .arg(&repo)
        .arg("--no-git")
        .assert()
        .success();
    std::fs::write(
        repo.join(".env"),
        format!("# local database\nDATABASE_URL=postgresql://app:pw@127.0.0.1:{port}/app\n"),
    )
    .unwrap();
    let bin = tmp.path().join("bin");
    fake_tools(&bin, &[]);
    let out = doctor(&bin)
        .arg(&repo)
        .arg("--json")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let findings = json_of(&out.stdout);
    let db = findings.iter().find(|f| f["tool"] == "postgresql").unwrap();
    assert_eq!(db["found"], true, "{db}");
    assert_eq!(
        db["needed_by"],
        serde_json::json!([format!(
            "DATABASE_URL=postgresql://app:***@127.0.0.1:{port}/app (.env)"
        )])
    );
    drop(listener);
}

#[test]
fn a_folder_without_answers_is_a_clear_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .arg("doctor")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("has no .folio/answers.toml"));
}
