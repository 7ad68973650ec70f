//! `folio update` on real git repos: the templates change (a pack stands in
//! for newer templates) or the answers do (`--with redis`), while the learner
//! has changed, deleted and renamed files.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{files, folio, git};
use predicates::prelude::*;
use predicates::str::contains;

const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");

/// A FastAPI ecommerce-api repo at `<tmp>/shop`, with a second commit by the learner.
fn repo(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(common::NEW_SHOP)
        .arg("shop")
        .args(extra)
        .assert()
        .success();
    let repo = tmp.path().join("shop");
    (tmp, repo)
}

fn commit_all(repo: &Path, message: &str) {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", message]);
}

/// Newer templates: a pack at `<tmp>/pack` where `path` (under templates/)
/// is the built-in file with `edit` applied.
fn newer_template(tmp: &Path, path: &str, edit: impl Fn(&str) -> String) {
    let text = fs::read_to_string(Path::new(TEMPLATES).join(path)).unwrap();
    let target = tmp.join("pack").join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(target, edit(&text)).unwrap();
}

/// `folio update` in `<tmp>/shop`, with the pack at `<tmp>/pack` if there is one.
fn update(tmp: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = folio();
    let pack = tmp.join("pack");
    if pack.exists() {
        cmd.arg("--templates").arg(&pack);
    }
    cmd.current_dir(tmp.join("shop"))
        .arg("update")
        .args(args)
        .assert()
}

fn read(repo: &Path, path: &str) -> String {
    fs::read_to_string(repo.join(path)).unwrap()
}

#[test]
fn a_template_change_lands_while_the_learners_other_changes_stay() {
    let (tmp, repo) = repo(&[]);
    fs::write(repo.join("api/app/mine.py"), "MINE = 1\n").unwrap();
    let readme = read(&repo, "api/README.md") + "\n## My notes\nWork in progress.\n";
    fs::write(repo.join("api/README.md"), &readme).unwrap();
    commit_all(&repo, "learner's work");
    newer_template(tmp.path(), "common/files/.yamllint.yml", |t| {
        t.replace("max: 120", "max: 100")
    });

    update(tmp.path(), &[])
        .success()
        .stdout(contains("updated         .yamllint.yml").and(contains("Review with `git diff`")));
    assert!(read(&repo, ".yamllint.yml").contains("max: 100"));
    assert_eq!(read(&repo, "api/README.md"), readme);
    assert_eq!(read(&repo, "api/app/mine.py"), "MINE = 1\n");
    // Left uncommitted for review, and the pristine output recorded.
    // The answers now record the pack.
    assert_eq!(
        git(&repo, &["status", "--porcelain"]),
        " M .folio/answers.toml\n M .yamllint.yml\n"
    );
    assert_eq!(
        git(&repo, &["rev-list", "--count", "refs/folio/pristine"]).trim(),
        "2"
    );
}

#[test]
fn overlapping_changes_get_conflict_markers_with_the_base_and_exit_3() {
    let (tmp, repo) = repo(&[]);
    let mine = read(&repo, ".yamllint.yml").replace("max: 120", "max: 140");
    fs::write(repo.join(".yamllint.yml"), &mine).unwrap();
    commit_all(&repo, "longer lines");
    newer_template(tmp.path(), "common/files/.yamllint.yml", |t| {
        t.replace("max: 120", "max: 100")
    });

    update(tmp.path(), &[])
        .failure()
        .code(3)
        .stdout(contains("CONFLICT        .yamllint.yml"))
        .stderr(contains("1 file(s) have conflicts"));
    let merged = read(&repo, ".yamllint.yml");
    for part in [
        "<<<<<<< yours",
        "max: 140",
        "||||||| folio (before)",
        "max: 120",
        "=======",
        "max: 100",
        ">>>>>>> folio (now)",
    ] {
        assert!(merged.contains(part), "{part} missing:\n{merged}");
    }
}

#[test]
fn a_deleted_file_stays_deleted_and_a_renamed_file_gets_the_change() {
    let (tmp, repo) = repo(&[]);
    git(&repo, &["rm", "-q", ".yamllint.yml"]);
    git(&repo, &["mv", "api/app/config.py", "api/app/settings.py"]);
    commit_all(&repo, "delete one, rename one");
    newer_template(tmp.path(), "common/files/.yamllint.yml", |t| {
        t.replace("max: 120", "max: 100")
    });
    newer_template(tmp.path(), "stacks/fastapi/files/app/config.py.hbs", |t| {
        format!("{t}\n# Added by newer templates.\n")
    });

    update(tmp.path(), &[])
        .success()
        .stdout(contains("kept yours      .yamllint.yml").and(contains(
            "renamed by you  api/app/config.py -> api/app/settings.py",
        )));
    assert!(!repo.join(".yamllint.yml").exists());
    assert!(!repo.join("api/app/config.py").exists());
    assert!(read(&repo, "api/app/settings.py").ends_with("# Added by newer templates.\n"));
}

#[test]
fn a_feature_switched_on_later_matches_a_fresh_generation_plus_the_learners_edits() {
    let (tmp, repo) = repo(&["--with", "none"]);
    let env_before = read(&repo, ".env");
    let notes = "\n## My notes\nWork in progress.\n";
    fs::write(
        repo.join("api/README.md"),
        read(&repo, "api/README.md") + notes,
    )
    .unwrap();
    commit_all(&repo, "notes");

    update(tmp.path(), &["--with", "redis", "--commit"])
        .success()
        .stdout(
            contains("added           api/app/cache.py")
                .and(contains("merged          api/README.md")),
        );
    assert_eq!(
        git(&repo, &["status", "--porcelain"]),
        "",
        "--commit leaves a clean tree"
    );
    let parents = git(&repo, &["log", "-1", "--format=%P"]);
    assert_eq!(
        parents.split_whitespace().count(),
        2,
        "the pristine output is a second parent"
    );
    assert_eq!(
        read(&repo, ".env"),
        env_before,
        "secrets are never regenerated"
    );

    folio()
        .current_dir(tmp.path())
        .args(common::NEW_SHOP)
        .args(["fresh", "--with", "redis", "--no-git"])
        .assert()
        .success();
    let fresh = tmp.path().join("fresh");
    assert_eq!(files(&repo), files(&fresh));
    for rel in files(&fresh) {
        let name = rel.to_string_lossy();
        if name.ends_with(".env") {
            continue;
        }
        let (ours, theirs) = (read(&repo, &name), read(&fresh, &name));
        if name == "api/README.md" {
            assert_eq!(ours, theirs + notes);
        } else {
            assert_eq!(ours, theirs, "{name} differs from a fresh generation");
        }
    }

    // A second update finds nothing to do.
    update(tmp.path(), &[])
        .success()
        .stdout(contains("nothing to change: the repo is up to date"));
}

#[test]
fn update_refuses_a_dirty_tree_and_dry_run_writes_nothing() {
    let (tmp, repo) = repo(&[]);
    fs::write(repo.join("scratch.txt"), "x").unwrap();
    update(tmp.path(), &[]).failure().code(2).stderr(
        contains("has uncommitted changes (scratch.txt)")
            .and(contains("commit or stash them first")),
    );
    fs::remove_file(repo.join("scratch.txt")).unwrap();

    let head = git(&repo, &["rev-parse", "HEAD"]);
    let out = update(tmp.path(), &["--with", "redis", "--dry-run", "--json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let summary: serde_json::Value = serde_json::from_slice(&out).unwrap();
    for key in [
        "updated",
        "merged",
        "conflicted",
        "added",
        "removed",
        "kept",
        "renamed",
    ] {
        assert!(summary[key].is_array(), "{key} missing: {summary}");
    }
    assert!(summary["added"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "api/app/cache.py"));
    assert_eq!(git(&repo, &["status", "--porcelain"]), "");
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head);
    update(tmp.path(), &["--with", "redis", "--dry-run", "--diff"])
        .success()
        .stdout(contains("+++ b/api/app/cache.py").and(contains(" api/app/cache.py | +")));
}

#[test]
fn a_repo_without_the_pristine_ref_updates_from_its_first_commit() {
    // As a clone, or a repo made before folio kept the ref.
    let (tmp, repo) = repo(&[]);
    git(&repo, &["update-ref", "-d", "refs/folio/pristine"]);
    fs::write(repo.join("api/app/mine.py"), "MINE = 1\n").unwrap();
    commit_all(&repo, "learner's work");
    newer_template(tmp.path(), "common/files/.yamllint.yml", |t| {
        t.replace("max: 120", "max: 100")
    });
    update(tmp.path(), &[])
        .success()
        .stdout(contains("updated         .yamllint.yml"));
    // The answers now record the pack.
    assert_eq!(
        git(&repo, &["status", "--porcelain"]),
        " M .folio/answers.toml\n M .yamllint.yml\n"
    );
}

#[test]
fn an_update_never_writes_through_a_link_out_of_the_repo() {
    let (tmp, repo) = repo(&[]);
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    // The learner replaces the api folder by a link to a folder outside.
    fs::remove_dir_all(repo.join("api")).unwrap();
    std::os::unix::fs::symlink(&outside, repo.join("api")).unwrap();
    commit_all(&repo, "api is a link now");
    update(tmp.path(), &["--with", "redis"])
        .failure()
        .stderr(contains("leads outside the repo (through a link)"));
    assert_eq!(
        fs::read_dir(&outside).unwrap().count(),
        0,
        "nothing written outside"
    );
}
