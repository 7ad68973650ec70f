//! Template packs from git: a real `git daemon` started by the test on
//! 127.0.0.1, and `file://` URLs.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::server::Server;
use common::{folio, git};
use predicates::prelude::*;
use predicates::str::contains;

/// Commits everything in `work` with a test identity.
fn commit_all(work: &Path, message: &str) {
    git(work, &["add", "-A"]);
    let who = ["-c", "user.name=t", "-c", "user.email=t@example.com"];
    git(work, &[&who[..], &["commit", "-qm", message]].concat());
}

const SECTION: &str = "features/redis/fastapi/partials/readme-sections/10-redis.hbs";

/// A pack repo at `<dir>/srv/pack.git` with tag v1 ("Caching v1") and main
/// one commit further ("Caching v2"); returns the v1 commit.
fn pack_repo(dir: &Path) -> String {
    let work = dir.join("work");
    fs::create_dir_all(work.join(SECTION).parent().unwrap()).unwrap();
    git(dir, &["init", "-q", "--bare", "-b", "main", "srv/pack.git"]);
    git(&work, &["init", "-q", "-b", "main"]);
    let commit = |message: &str| {
        fs::write(work.join(SECTION), format!("\n## Caching {message}\n")).unwrap();
        commit_all(&work, message);
    };
    commit("v1");
    git(&work, &["tag", "v1"]);
    let v1 = git(&work, &["rev-parse", "HEAD"]).trim().to_string();
    commit("v2");
    let bare = dir.join("srv/pack.git");
    git(&work, &["push", "-q", bare.to_str().unwrap(), "main", "v1"]);
    v1
}

fn new_with(dir: &Path, cache: &Path, templates: &str, folder: &str) -> assert_cmd::assert::Assert {
    folio()
        .current_dir(dir)
        .env("FOLIO_CACHE_DIR", cache)
        .args(["--templates", templates])
        .args(common::NEW_SHOP)
        .args([folder, "--with", "redis"])
        .assert()
}

fn readme(dir: &Path, folder: &str) -> String {
    fs::read_to_string(dir.join(folder).join("api/README.md")).unwrap()
}

#[test]
fn a_pack_from_a_git_server_is_pinned_recorded_and_replayed_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let v1 = pack_repo(tmp.path());
    let cache: PathBuf = tmp.path().join("cache");
    let daemon = Server::git_daemon(tmp.path());

    new_with(
        tmp.path(),
        &cache,
        &format!("{}#v1", daemon.git_url()),
        "tagged",
    )
    .success();
    assert!(readme(tmp.path(), "tagged").contains("## Caching v1"));
    let answers = fs::read_to_string(tmp.path().join("tagged/.folio/answers.toml")).unwrap();
    assert!(
        answers.contains(&format!("source = \"{}\"", daemon.git_url())),
        "{answers}"
    );
    assert!(answers.contains(&format!("commit = \"{v1}\"")), "{answers}");

    new_with(tmp.path(), &cache, &daemon.git_url(), "latest").success();
    assert!(
        readme(tmp.path(), "latest").contains("## Caching v2"),
        "the default branch"
    );

    new_with(
        tmp.path(),
        &cache,
        &format!("{}#nope", daemon.git_url()),
        "bad",
    )
    .failure()
    .code(2)
    .stderr(contains(
        "the template pack has no tag, branch or commit \"nope\"",
    ));

    drop(daemon); // the server is gone: the cache still has the pinned commit
    folio()
        .current_dir(tmp.path())
        .env("FOLIO_CACHE_DIR", &cache)
        .args([
            "new",
            "--answers",
            "tagged/.folio/answers.toml",
            "again",
            "--yes",
        ])
        .assert()
        .success()
        .stderr(
            contains("using the template pack git://127.0.0.1:")
                .and(contains(format!("at {v1}, as the answers record"))),
        );
    assert_eq!(readme(tmp.path(), "again"), readme(tmp.path(), "tagged"));

    // With no cache and no server, the error says what to do.
    folio()
        .current_dir(tmp.path())
        .env("FOLIO_CACHE_DIR", tmp.path().join("empty-cache"))
        .args([
            "new",
            "--answers",
            "tagged/.folio/answers.toml",
            "lost",
            "--yes",
        ])
        .assert()
        .failure()
        .code(2)
        .stderr(contains(
            "which cannot be had now; pass the pack with --templates",
        ));
    assert!(!tmp.path().join("lost").exists());
}

#[test]
fn file_urls_work_and_links_in_a_pack_repo_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    pack_repo(tmp.path());
    let cache = tmp.path().join("cache");
    let url = format!("file://{}", tmp.path().join("srv/pack.git").display());
    new_with(tmp.path(), &cache, &format!("{url}#v1"), "shop").success();
    assert!(readme(tmp.path(), "shop").contains("## Caching v1"));

    // A pack repo holding a symbolic link.
    let work = tmp.path().join("work");
    std::os::unix::fs::symlink("/etc/passwd", work.join("common-passwd")).unwrap();
    fs::create_dir_all(work.join("common/files")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", work.join("common/files/passwd.txt")).unwrap();
    commit_all(&work, "link");
    git(&work, &["tag", "linked"]);
    git(
        &work,
        &[
            "push",
            "-q",
            tmp.path().join("srv/pack.git").to_str().unwrap(),
            "linked",
        ],
    );
    new_with(tmp.path(), &cache, &format!("{url}#linked"), "linked")
        .failure()
        .code(2)
        .stderr(contains("is a symbolic link").and(contains("root:").not()));
    assert!(!tmp.path().join("linked").exists());
}

#[test]
fn a_pack_over_smart_http_is_fetched_by_the_git_program() {
    let tmp = tempfile::tempdir().unwrap();
    let v1 = pack_repo(tmp.path());
    let server = Server::smart_http(tmp.path());
    let url = format!("http://127.0.0.1:{}/cgi-bin/git/pack.git", server.port);
    let cache = tmp.path().join("cache");
    new_with(tmp.path(), &cache, &format!("{url}#v1"), "shop").success();
    assert!(readme(tmp.path(), "shop").contains("## Caching v1"));
    let answers = fs::read_to_string(tmp.path().join("shop/.folio/answers.toml")).unwrap();
    assert!(answers.contains(&format!("commit = \"{v1}\"")), "{answers}");
    new_with(tmp.path(), &cache, &url, "latest").success();
    assert!(readme(tmp.path(), "latest").contains("## Caching v2"));
}
