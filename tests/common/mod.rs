//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin;

/// The real `folio` binary, with a clean, predictable environment.
pub fn folio() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(cargo_bin("folio"));
    cmd.env_remove("FOLIO_TEMPLATES")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("NO_COLOR", "1");
    cmd
}

/// A description with everything that breaks naive templating.
pub const HOSTILE: &str = "Quote \" 'single' back \\ slash new line {{not a var}} $(rm -rf /) `tick` </script> #{ruby} ${shell} ünïcödé 日本語 — emoji 🚀 tab";

/// Every file under `dir`, relative, skipping `.git`.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Runs git in `dir` and returns its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Parses every JSON, YAML and TOML file under `dir`; panics naming the first that fails.
pub fn parse_structured_files(dir: &Path) -> usize {
    let mut count = 0;
    for rel in files(dir) {
        let path = dir.join(&rel);
        let name = rel.to_string_lossy();
        let text = || std::fs::read_to_string(&path).unwrap();
        if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        } else if name.ends_with(".yml") || name.ends_with(".yaml") {
            serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        } else if name.ends_with(".toml") {
            toml::from_str::<toml::Table>(&text()).unwrap_or_else(|e| panic!("{name}: {e}"));
        } else {
            continue;
        }
        count += 1;
    }
    count
}

/// Every spec and week id `folio list --json` reports.
pub fn all_spec_ids() -> Vec<String> {
    let out = folio().args(["list", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<String> = v["specs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    for plan in v["plans"].as_array().unwrap() {
        for week in plan["weeks"].as_array().unwrap() {
            ids.push(week["spec"].as_str().unwrap().to_string());
        }
    }
    ids
}

/// `folio new` of the FastAPI + SQLite ecommerce-api with the defaults for
/// the rest: add the folder and any other flags.
pub const NEW_SHOP: &[&str] = &[
    "new",
    "ecommerce-api",
    "--stack",
    "fastapi",
    "--db",
    "sqlite",
    "--yes",
];

/// `folio --templates pack new ecommerce-api out --yes EXTRA...` in `dir`,
/// with a timeout: a pack that hangs folio fails the test instead of hanging it.
pub fn new_with_pack(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    folio()
        .current_dir(dir)
        .timeout(std::time::Duration::from_secs(60))
        .args([
            "--templates",
            "pack",
            "new",
            "ecommerce-api",
            "out",
            "--yes",
        ])
        .args(extra)
        .assert()
}

/// A template pack in `dir/pack` whose stacks run these setup, lint and test
/// commands instead of their own (everything else as built in).
pub fn pack_with_commands(dir: &Path, setup: &str, lint: &str, test: &str) {
    for id in ["fastapi", "express", "rails", "django"] {
        let stack = dir.join("pack/stacks").join(id);
        std::fs::create_dir_all(&stack).unwrap();
        let real = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("templates/stacks/{id}/stack.toml")),
        )
        .unwrap();
        let mut table: toml::Table = toml::from_str(&real).unwrap();
        let commands = table["commands"].as_table_mut().unwrap();
        for (kind, line) in [("setup", setup), ("lint", lint), ("test", test)] {
            commands.insert(kind.into(), toml::Value::Array(vec![line.into()]));
        }
        std::fs::write(stack.join("stack.toml"), toml::to_string(&table).unwrap()).unwrap();
    }
}
