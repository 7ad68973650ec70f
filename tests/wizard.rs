//! Drives the real wizard through a pseudo-terminal and answers its prompts.

mod common;

use std::time::Duration;

use assert_cmd::cargo::cargo_bin;
use rexpect::session::{spawn_command, PtySession};

const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";
const ESC: &str = "\x1b";

fn spawn(dir: &std::path::Path, args: &[&str]) -> PtySession {
    let mut cmd = std::process::Command::new(cargo_bin("folio"));
    cmd.args(args)
        .current_dir(dir)
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env("GIT_AUTHOR_NAME", "Wizard Test")
        .env("GIT_AUTHOR_EMAIL", "wizard@example.com");
    spawn_command(cmd, Some(30_000)).expect("spawn folio in a pty")
}

fn answer(p: &mut PtySession, prompt: &str, keys: &str) {
    p.exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    std::thread::sleep(Duration::from_millis(150));
    p.send(keys).unwrap();
    p.flush().unwrap();
}

#[test]
fn wizard_asks_and_creates_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(tmp.path(), &["new"]);
    answer(&mut p, "What do you want to start?", ENTER); // a portfolio project
    answer(&mut p, "Which project?", ENTER); // the first: ecommerce-api
    answer(&mut p, "Which stack?", &format!("{DOWN}{ENTER}")); // fastapi
    answer(&mut p, "Which database?", &format!("{DOWN}{ENTER}")); // sqlite
    answer(&mut p, "Which optional features?", ENTER); // the defaults: AWS deploy
    answer(&mut p, "Project name", &format!("My Shop{ENTER}")); // invalid: asked again
    p.exp_string("not a valid name").unwrap();
    std::thread::sleep(Duration::from_millis(150));
    // dialoguer keeps the typed text; clear it, then type a valid name.
    p.send(&"\x7f".repeat(7)).unwrap();
    p.send(&format!("wizard-shop{ENTER}")).unwrap();
    p.flush().unwrap();
    answer(
        &mut p,
        "One-line description",
        &format!("Made by the wizard test{ENTER}"),
    );
    answer(&mut p, "Folder to create", ENTER);
    answer(&mut p, "Create this project?", "y");
    p.exp_string("Created").unwrap();
    p.exp_eof().unwrap();
    let repo = tmp.path().join("wizard-shop");
    let answers = std::fs::read_to_string(repo.join(".folio/answers.toml")).unwrap();
    assert!(answers.contains("api = \"fastapi\""), "{answers}");
    assert!(answers.contains("database = \"sqlite\""), "{answers}");
    assert!(answers.contains("Made by the wizard test"), "{answers}");
    assert!(answers.contains("features = [\"aws_deploy\"]"), "{answers}");
    assert_eq!(
        common::git(&repo, &["rev-list", "--count", "HEAD"]).trim(),
        "1"
    );
}

#[test]
fn wizard_plan_then_week_path() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(tmp.path(), &["new", "--dry-run"]);
    answer(
        &mut p,
        "What do you want to start?",
        &format!("{DOWN}{ENTER}"),
    ); // a plan week
    answer(&mut p, "Which plan?", ENTER);
    answer(&mut p, "Which week?", &format!("{DOWN}{DOWN}{ENTER}")); // week 3
    answer(&mut p, "Which database?", ENTER);
    answer(&mut p, "Project name", ENTER);
    answer(&mut p, "One-line description", ENTER);
    answer(&mut p, "Folder to create", ENTER);
    p.exp_string("week-3").unwrap();
    p.exp_eof().unwrap();
    assert!(
        common::files(tmp.path()).is_empty(),
        "a dry run writes nothing"
    );
}

fn assert_cancelled(mut p: PtySession, dir: &std::path::Path) {
    p.exp_string("cancelled: nothing was written").unwrap();
    match p.process.wait().unwrap() {
        rexpect::process::wait::WaitStatus::Exited(_, code) => assert_eq!(code, 130),
        other => panic!("unexpected exit: {other:?}"),
    }
    assert!(common::files(dir).is_empty(), "cancelling writes nothing");
}

#[test]
fn escape_cancels_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(tmp.path(), &["new", "ecommerce-api"]);
    answer(&mut p, "Which stack?", ESC);
    assert_cancelled(p, tmp.path());
}

#[test]
fn ctrl_c_cancels_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(tmp.path(), &["new"]);
    answer(&mut p, "What do you want to start?", "\x03");
    assert_cancelled(p, tmp.path());
}

#[test]
fn declining_the_summary_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = spawn(tmp.path(), &["new", "ecommerce-api", "--yes"]);
    // --yes skips every question and the confirmation.
    p.exp_string("Created").unwrap();
    p.exp_eof().unwrap();
    let mut p = spawn(
        tmp.path(),
        &[
            "new",
            "ecommerce-api",
            "x",
            "--stack",
            "rails",
            "--db",
            "postgresql",
            "--with",
            "none",
            "--name",
            "x",
            "--description",
            "d",
        ],
    );
    answer(&mut p, "Create this project?", "n");
    assert_cancelled_keep(p);
    assert!(!tmp.path().join("x").exists());
}

fn assert_cancelled_keep(mut p: PtySession) {
    p.exp_string("cancelled: nothing was written").unwrap();
    p.exp_eof().unwrap();
}
