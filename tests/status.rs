//! `folio status`: a generated repo's checklist progress, from the real binary.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{folio, git, NEW_SHOP};

/// When the learner's commit is dated: 2025-01-31T09:30:00Z.
const COMMIT_UNIX: i64 = 1_738_315_800;

/// `folio new` of the ecommerce-api in `dir/shop`, then the learner's
/// commit: two items ticked, one added, one removed.
fn worked_on_shop(dir: &Path) -> std::path::PathBuf {
    let shop = dir.join("shop");
    folio()
        .current_dir(dir)
        .args(NEW_SHOP)
        .arg("shop")
        .assert()
        .success();
    let path = shop.join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    let mut edited = readme.clone();
    for (from, to) in [
        (
            "- [ ] User management: registration, login, JWT auth, profile\n",
            "- [x] User management: registration, login, JWT auth, profile\n",
        ),
        (
            "- [ ] OpenAPI/Swagger documentation\n",
            "  - [X]  OpenAPI/Swagger   documentation\n",
        ),
        (
            "- [ ] Timeline: Weeks 1-2 (standard and intensive plans)\n",
            "",
        ),
        (
            "- [ ] 1 data processing pipeline\n",
            "- [ ] 1 data processing pipeline\n* [ ] A GraphQL API too\n",
        ),
    ] {
        assert_eq!(edited.matches(from).count(), 1, "{from:?} in README.md");
        edited = edited.replacen(from, to, 1);
    }
    fs::write(&path, edited).unwrap();
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Learner",
            "-c",
            "user.email=learner@example.com",
            "-c",
            "commit.gpgSign=false",
            "commit",
            "-q",
            "-am",
            "Tick two, add one, drop one",
        ])
        .env("GIT_COMMITTER_DATE", format!("@{COMMIT_UNIX} +0000"))
        .env("GIT_AUTHOR_DATE", format!("@{COMMIT_UNIX} +0000"))
        .current_dir(&shop)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git commit: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    shop
}

#[test]
fn json_counts_checked_added_and_removed_per_section() {
    let tmp = tempfile::tempdir().unwrap();
    let shop = worked_on_shop(tmp.path());
    let out = folio()
        .arg("status")
        .arg(&shop)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let commits: usize = git(&shop, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "repo": shop.display().to_string(),
            "sections": [
                {"title": "Requirements checklist", "checked": 1, "total": 8, "added": 0, "removed": 1},
                {"title": "Portfolio Requirements", "checked": 0, "total": 6, "added": 1, "removed": 0},
                {"title": "API Documentation Standards", "checked": 1, "total": 5, "added": 0, "removed": 0},
            ],
            "checked": 2,
            "total": 19,
            "percent": 10,
            "added": 1,
            "removed": 1,
            "last_commit": {"date": "2025-01-31T09:30:00Z", "unix": COMMIT_UNIX},
            "commits": commits,
            "verify": null,
        })
    );
    // folio's commit and the learner's (plus any pristine commit folio keeps in the history).
    assert!(commits >= 2, "{commits}");
}

#[test]
fn text_has_a_header_and_an_aligned_table() {
    let tmp = tempfile::tempdir().unwrap();
    let shop = worked_on_shop(tmp.path());
    let commits = git(&shop, &["rev-list", "--count", "HEAD"]);
    let expected = [
        format!(
            "{}: 2/19 checked (10%); {} commits, the last on 2025-01-31 09:30:00 UTC",
            shop.display(),
            commits.trim()
        ),
        "  section                      checked  added  removed".to_string(),
        "  Requirements checklist       1/8      +0     -1".to_string(),
        "  Portfolio Requirements       0/6      +1     -0".to_string(),
        "  API Documentation Standards  1/5      +0     -0".to_string(),
    ];
    let out = folio().arg("status").arg(&shop).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected, "{stdout}");

    // The folder defaults to the current one, shown as its full path.
    let out = folio().arg("status").current_dir(&shop).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let canonical = fs::canonicalize(&shop).unwrap();
    let first = stdout.lines().next().unwrap();
    assert_eq!(
        first,
        expected[0].replacen(
            &shop.display().to_string(),
            &canonical.display().to_string(),
            1
        )
    );
}

#[test]
fn uncommitted_ticks_count_the_commit_info_does_not_change() {
    let tmp = tempfile::tempdir().unwrap();
    let shop = worked_on_shop(tmp.path());
    let path = shop.join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        readme.replacen(
            "- [ ] Error handling documentation",
            "- [x] Error handling documentation",
            1,
        ),
    )
    .unwrap();
    let out = folio()
        .args(["status", "--json"])
        .arg(&shop)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&v["checked"], &v["total"], &v["percent"]),
        (&3.into(), &19.into(), &15.into())
    );
    assert_eq!(v["last_commit"]["unix"], COMMIT_UNIX);
}

#[test]
fn a_folder_that_is_not_a_repo_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = folio().arg("status").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {} is not a git repository (or not its top folder); pass the folder of a repo made by `folio new`\n",
            tmp.path().display()
        )
    );

    let missing = tmp.path().join("nope");
    let out = folio().arg("status").arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {} is not a folder; pass the folder of a repo made by `folio new`\n",
            missing.display()
        )
    );
}

#[test]
fn a_repo_without_readme_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    git(tmp.path(), &["init", "-q"]);
    let out = folio().arg("status").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let readme = tmp.path().join("README.md");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {} does not exist; folio status reads the checklists of the README.md `folio new` wrote: pass the folder of a repo it made, or restore the file with `git checkout README.md`\n",
            readme.display()
        )
    );
}

#[test]
fn a_repo_without_a_commit_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    git(tmp.path(), &["init", "-q"]);
    fs::write(tmp.path().join("README.md"), "# Mine\n- [ ] a\n").unwrap();
    let out = folio().arg("status").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {} has no commit yet; folio status compares its README.md with the one in the first commit `folio new` made: pass the folder of a repo made by `folio new`\n",
            tmp.path().display()
        )
    );
}
