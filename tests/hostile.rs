//! A template pack, an answers file and a generated repo are untrusted input.
//! Each test here is one attack on the real binary; each asserts the clear
//! error, and that nothing outside the destination changed and nothing was
//! left behind (see SECURITY.md).

mod common;

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;
use common::{files, folio, git, new_with_pack};
use predicates::prelude::*;
use predicates::str::contains;

/// A scratch folder with an empty pack at `pack/`; returns the common files
/// folder of the pack to put attacks in.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let files = tmp.path().join("pack/common/files");
    fs::create_dir_all(&files).unwrap();
    (tmp, files)
}

/// The folder holds exactly these entries: no project, no staging folder.
fn only(dir: &Path, expected: &[&str]) {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, expected, "left behind in {}", dir.display());
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_symlink_to_a_file_outside_the_pack_is_refused() {
    let (tmp, pack) = scratch();
    symlink("/etc/passwd", pack.join("passwd.txt")).unwrap();
    new_with_pack(tmp.path(), &[]).failure().code(2).stderr(
        contains("passwd.txt")
            .and(contains("is a symbolic link"))
            .and(contains("only regular files and folders"))
            .and(contains("root:").not()),
    );
    only(tmp.path(), &["pack"]);
}

#[test]
fn a_symlink_to_a_folder_is_refused() {
    let (tmp, pack) = scratch();
    symlink("/etc", pack.join("etc")).unwrap();
    new_with_pack(tmp.path(), &[])
        .failure()
        .stderr(contains("common/files/etc").and(contains("is a symbolic link")));
    only(tmp.path(), &["pack"]);
}

#[test]
fn a_symlinked_template_is_not_rendered() {
    let (tmp, pack) = scratch();
    fs::write(tmp.path().join("outside.hbs"), "{{project.name}}").unwrap();
    symlink(tmp.path().join("outside.hbs"), pack.join("inside.txt.hbs")).unwrap();
    new_with_pack(tmp.path(), &[])
        .failure()
        .stderr(contains("inside.txt.hbs").and(contains("is a symbolic link")));
    only(tmp.path(), &["outside.hbs", "pack"]);
}

#[test]
fn a_pack_root_given_as_a_link_is_resolved_once_and_said() {
    let (tmp, pack) = scratch();
    fs::write(pack.join("from-pack.txt"), "hello\n").unwrap();
    symlink(tmp.path().join("pack"), tmp.path().join("link")).unwrap();
    folio()
        .current_dir(tmp.path())
        .args([
            "--templates",
            "link",
            "new",
            "ecommerce-api",
            "out",
            "--yes",
            "--no-git",
        ])
        .assert()
        .success()
        .stderr(contains(
            "template pack link is a link; reading the folder it points to",
        ));
    assert_eq!(
        fs::read_to_string(tmp.path().join("out/from-pack.txt")).unwrap(),
        "hello\n"
    );
}

#[test]
fn fifos_sockets_and_devices_in_a_pack_are_refused_without_blocking() {
    let (tmp, pack) = scratch();
    mkfifo(&pack.join("pipe.txt"));
    new_with_pack(tmp.path(), &[])
        .failure()
        .stderr(contains("pipe.txt").and(contains("is a FIFO (named pipe)")));
    fs::remove_file(pack.join("pipe.txt")).unwrap();

    let _socket = std::os::unix::net::UnixListener::bind(pack.join("sock")).unwrap();
    new_with_pack(tmp.path(), &[])
        .failure()
        .stderr(contains("common/files/sock").and(contains("is a socket")));
    fs::remove_file(pack.join("sock")).unwrap();

    // Device nodes need root to make; CI runs as root.
    let made = Command::new("mknod")
        .args([pack.join("zero").to_str().unwrap(), "c", "1", "5"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        new_with_pack(tmp.path(), &[])
            .failure()
            .stderr(contains("common/files/zero").and(contains("is a character device")));
        fs::remove_file(pack.join("zero")).unwrap();
    }
    only(tmp.path(), &["pack"]);
}

#[test]
fn a_pack_cannot_write_into_the_new_repos_git_folder() {
    // (a path in the pack's common files, its contents, a description that
    // a `{{project.description}}` in the path renders)
    let cases = [
        (
            ".git/config",
            "[core]\n\tfsmonitor = touch /tmp/pwned\n",
            "d",
        ),
        (
            ".git/hooks/post-checkout",
            "#!/bin/sh\ntouch /tmp/pwned\n",
            "d",
        ),
        ("api/.GIT/config", "x", "d"),
        ("{{project.description}}/config", "x", ".Git"),
        ("{{project.description}}/hooks/x", "x", ".git."),
    ];
    for (path, contents, description) in cases {
        let (tmp, pack) = scratch();
        let file = pack.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, contents).unwrap();
        new_with_pack(tmp.path(), &["--description", description])
            .failure()
            .stderr(
                contains("names git's own folder, which only folio creates")
                    .and(contains("rename it")),
            );
        only(tmp.path(), &["pack"]);
    }
}

#[test]
fn answers_must_be_a_small_regular_file() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |answers: &str| {
        folio()
            .current_dir(tmp.path())
            .timeout(Duration::from_secs(30))
            .args(["new", "ecommerce-api", "out", "--yes", "--answers", answers])
            .assert()
            .failure()
            .code(2)
    };
    mkfifo(&tmp.path().join("fifo.toml"));
    run("fifo.toml").stderr(contains(
        "answers file fifo.toml is a FIFO (named pipe), not a regular file",
    ));
    run("/dev/zero").stderr(contains(
        "answers file /dev/zero is a character device, not a regular file",
    ));
    symlink("/dev/zero", tmp.path().join("zero.toml")).unwrap();
    run("zero.toml").stderr(contains("is a character device"));
    let big = format!("name = \"shop\"\n#{}\n", "x".repeat(1 << 20));
    fs::write(tmp.path().join("big.toml"), big).unwrap();
    run("big.toml").stderr(contains(
        "big.toml is 1048592 bytes, over folio's limit of 1048576 bytes",
    ));
    only(tmp.path(), &["big.toml", "fifo.toml", "zero.toml"]);
}

#[test]
fn control_characters_and_overlong_descriptions_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "description = \"a\\u0000b\"\n",
            "holds the control character '\\0'",
        ),
        (
            "description = \"one\\ntwo\"\n",
            "holds the control character '\\n'",
        ),
        (
            "description = \"a\\u202eb\"\n",
            "holds the control character '\\u{202e}'",
        ),
    ];
    for (toml, error) in cases {
        fs::write(tmp.path().join("a.toml"), toml).unwrap();
        folio()
            .current_dir(tmp.path())
            .args([
                "new",
                "ecommerce-api",
                "out",
                "--yes",
                "--answers",
                "a.toml",
            ])
            .assert()
            .failure()
            .stderr(contains(error).and(contains("one line of plain text")));
    }
    let long = "x".repeat(301);
    folio()
        .current_dir(tmp.path())
        .args([
            "new",
            "ecommerce-api",
            "out",
            "--yes",
            "--description",
            &long,
        ])
        .assert()
        .failure()
        .stderr(contains("is 301 characters long; the limit is 300"));
    only(tmp.path(), &["a.toml"]);
}

#[test]
fn a_recursive_partial_is_an_error_not_a_stack_overflow() {
    let (tmp, pack) = scratch();
    fs::write(
        pack.join("r.txt.hbs"),
        r#"{{#*inline "r"}}x{{> r}}{{/inline}}{{> r}}"#,
    )
    .unwrap();
    new_with_pack(tmp.path(), &[])
        .failure()
        .code(2)
        .stderr(contains("r.txt.hbs").and(contains("partial \"r\" includes itself (r -> r)")));
    only(tmp.path(), &["pack"]);
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let (tmp, pack) = scratch();
    let text = "{{#if a}}".repeat(10_000) + &"{{/if}}".repeat(10_000);
    fs::write(pack.join("deep.txt.hbs"), text).unwrap();
    new_with_pack(tmp.path(), &[])
        .failure()
        .code(2)
        .stderr(contains(
            "deep.txt.hbs nests blocks or sub-expressions 10000 deep",
        ));
    only(tmp.path(), &["pack"]);
}

/// A chain of partials, each inside the deepest nesting a template may
/// have, would overflow the stack of whichever thread renders it.
#[test]
fn a_chain_of_deeply_nested_partials_is_an_error_not_a_stack_overflow() {
    let (tmp, pack) = scratch();
    let partials = pack.parent().unwrap().join("partials");
    fs::create_dir_all(&partials).unwrap();
    for i in 0..300 {
        let inner = if i < 299 {
            format!("{{{{> c{}}}}}", i + 1)
        } else {
            "end".into()
        };
        let text = "{{#if project}}".repeat(60) + &inner + &"{{/if}}".repeat(60);
        fs::write(partials.join(format!("c{i}.hbs")), text).unwrap();
    }
    fs::write(pack.join("chain.txt.hbs"), "{{> c0}}\n").unwrap();
    new_with_pack(tmp.path(), &[]).failure().code(2).stderr(
        contains("chain.txt.hbs nests blocks and partials more than 256 deep in one render")
            .and(contains("SECURITY.md")),
    );
    only(tmp.path(), &["pack"]);
}

/// A template whose inline partial of `kib` KiB is used `times` times.
fn amplifier(kib: usize, times: usize) -> String {
    format!(
        "{{{{#*inline \"p\"}}}}{}{{{{/inline}}}}{}",
        "y".repeat(kib << 10),
        "{{> p}}".repeat(times)
    )
}

#[test]
fn rendered_output_is_capped_per_file_and_in_all() {
    let (tmp, pack) = scratch();
    fs::write(pack.join("huge.txt.hbs"), amplifier(100, 200)).unwrap();
    new_with_pack(tmp.path(), &[]).failure().stderr(contains(
        "huge.txt.hbs renders more than folio's limit of 8388608 bytes for one file",
    ));
    only(tmp.path(), &["pack"]);

    fs::remove_file(pack.join("huge.txt.hbs")).unwrap();
    for i in 0..10 {
        fs::write(pack.join(format!("part{i}.txt.hbs")), amplifier(100, 70)).unwrap();
    }
    new_with_pack(tmp.path(), &[]).failure().stderr(contains(
        "past folio's limit of 67108864 bytes for the whole project",
    ));
    only(tmp.path(), &["pack"]);
}

#[test]
fn pack_files_have_size_caps() {
    let (tmp, pack) = scratch();
    fs::write(pack.join("big.bin"), vec![0u8; (1 << 20) + 1]).unwrap();
    new_with_pack(tmp.path(), &[]).failure().stderr(contains(
        "big.bin is 1048577 bytes, over folio's limit of 1048576 bytes",
    ));
    fs::remove_file(pack.join("big.bin")).unwrap();
    fs::write(pack.join("big.txt.hbs"), "z".repeat((256 << 10) + 1)).unwrap();
    new_with_pack(tmp.path(), &[])
        .failure()
        .stderr(contains("template").and(contains("over folio's limit of 262144 bytes")));
    fs::remove_file(pack.join("big.txt.hbs")).unwrap();
    for i in 0..40 {
        fs::write(pack.join(format!("f{i}.bin")), vec![1u8; 1 << 20]).unwrap();
    }
    new_with_pack(tmp.path(), &[]).failure().stderr(contains(
        "the template pack holds more than folio's limit of 33554432 bytes in all",
    ));
    only(tmp.path(), &["pack"]);
}

/// A generated repo whose answers file has been tampered with.
fn repo_with_stacks(stacks: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(common::NEW_SHOP)
        .args(["repo", "--no-git"])
        .assert()
        .success();
    let answers = tmp.path().join("repo/.folio/answers.toml");
    let text = fs::read_to_string(&answers).unwrap();
    let (head, _) = text.split_once("[stacks]").unwrap();
    fs::write(&answers, format!("{head}[stacks]\n{stacks}\n")).unwrap();
    tmp
}

#[test]
fn verify_refuses_service_paths_outside_the_repo() {
    let tmp = repo_with_stacks("\"../outside\" = \"fastapi\"");
    fs::create_dir(tmp.path().join("outside")).unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["verify", "repo"])
        .assert()
        .failure()
        .stderr(
            contains("service name \"../outside\" is not a valid name").and(contains("[stacks]")),
        );
    only(&tmp.path().join("outside"), &[]);

    // A valid name whose folder is a link out of the repo.
    let tmp = repo_with_stacks("elsewhere = \"fastapi\"");
    fs::create_dir(tmp.path().join("outside")).unwrap();
    symlink(
        tmp.path().join("outside"),
        tmp.path().join("repo/elsewhere"),
    )
    .unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["verify", "repo"])
        .assert()
        .failure()
        .stderr(contains("repo/elsewhere is not a folder inside repo").and(contains("outside")));
    only(&tmp.path().join("outside"), &[]);
}

#[test]
fn the_first_commit_ignores_the_users_global_excludes_and_says_it_is_unsigned() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    fs::create_dir(&home).unwrap();
    fs::write(home.join("excludes"), "*.yml\nDockerfile\n*.md\n").unwrap();
    fs::write(
        home.join(".gitconfig"),
        format!(
            "[core]\n\texcludesFile = {}\n[commit]\n\tgpgSign = true\n[user]\n\tname = Global User\n\temail = global@example.com\n",
            home.join("excludes").display()
        ),
    )
    .unwrap();
    let out = folio()
        .current_dir(tmp.path())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .args([
            "new",
            "ecommerce-api",
            "p",
            "--stack",
            "fastapi",
            "--db",
            "sqlite",
            "--yes",
        ])
        .assert()
        .success()
        .stderr(
            contains("asks for signed commits (commit.gpgSign)")
                .and(contains("the first commit is unsigned"))
                .and(contains("git commit --amend --no-edit -S")),
        )
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let repo = tmp.path().join("p");
    let tracked = git(&repo, &["ls-files"]);
    let count = tracked.lines().count();
    assert!(
        out.contains(&format!(
            "{count} in the first commit on main by Global User <global@example.com>"
        )),
        "printed count must be the committed count ({count}):\n{out}"
    );
    for path in [
        "README.md",
        "api/Dockerfile",
        "compose.yaml",
        ".github/workflows/api.yml",
    ] {
        assert!(
            tracked.lines().any(|l| l == path),
            "{path} not committed:\n{tracked}"
        );
    }
    // Everything written is committed except what the repo's .gitignore excludes.
    let written: Vec<String> = files(&repo)
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let ignored: Vec<&String> = written
        .iter()
        .filter(|p| !tracked.lines().any(|l| l == p.as_str()))
        .collect();
    assert_eq!(ignored, [".env", "api/.env"], "only the secrets stay out");
    assert!(
        out.contains("not committed, as .gitignore says: .env, api/.env"),
        "{out}"
    );
    assert_eq!(git(&repo, &["status", "--porcelain", "--ignored=no"]), "");
}

#[test]
fn secrets_are_private_files() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .current_dir(tmp.path())
        .args(["new", "ecommerce-api", "p", "--yes"])
        .assert()
        .success();
    for env in ["p/.env", "p/api/.env"] {
        let mode = fs::metadata(tmp.path().join(env))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{env}");
    }
    let readme = fs::metadata(tmp.path().join("p/README.md")).unwrap();
    assert_eq!(
        readme.permissions().mode() & 0o077,
        0o044 & readme.permissions().mode()
    );
}

#[test]
fn folders_created_above_the_target_are_removed_when_writing_fails() {
    // A file size limit makes writing fail as a full disk would.
    let tmp = tempfile::tempdir().unwrap();
    let status = Command::new("sh")
        .current_dir(tmp.path())
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 2; exec \"$0\" new ecommerce-api a/b/c/out --yes 2>err",
        ])
        .arg(cargo_bin("folio"))
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let err = fs::read_to_string(tmp.path().join("err")).unwrap();
    assert!(
        err.contains("cannot write") && err.contains("File too large"),
        "{err}"
    );
    only(tmp.path(), &["err"]);
}

#[test]
fn two_runs_into_one_empty_folder_never_mix_their_files() {
    for round in 0..12 {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("shared");
        fs::create_dir(&target).unwrap();
        let spawn = |name: &str| {
            Command::new(cargo_bin("folio"))
                .current_dir(tmp.path())
                .args(["new", "ecommerce-api", "shared", "--yes", "--name", name])
                .env("GIT_AUTHOR_NAME", "T")
                .env("GIT_AUTHOR_EMAIL", "t@example.com")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("alpha"), spawn("beta"));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let winners: Vec<&str> = [("alpha", &a), ("beta", &b)]
            .iter()
            .filter(|(_, o)| o.status.success())
            .map(|(n, _)| *n)
            .collect();
        for out in [&a, &b].iter().filter(|o| !o.status.success()) {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("not empty") || err.contains("appeared while folio was writing"),
                "round {round}: {err}"
            );
        }
        match winners.as_slice() {
            [] => only(&target, &[]),
            [winner] => {
                let answers = fs::read_to_string(target.join(".folio/answers.toml")).unwrap();
                assert!(
                    answers.contains(&format!("name = \"{winner}\"")),
                    "{answers}"
                );
                assert!(target.join(".env").exists() && target.join("api/.env").exists());
                assert_eq!(
                    git(&target, &["status", "--porcelain"]),
                    "",
                    "round {round}"
                );
                let readme = fs::read_to_string(target.join("README.md")).unwrap();
                let loser = if *winner == "alpha" { "Beta" } else { "Alpha" };
                assert!(!readme.contains(loser), "round {round}: files mixed");
            }
            _ => panic!("round {round}: both runs claim the same folder"),
        }
        only(tmp.path(), &["shared"]);
    }
}

/// A small deterministic random source for the kill tests.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Spawns `folio new ecommerce-api NAME --yes` in `dir`.
fn spawn_new(dir: &Path, name: &str, git: bool) -> std::process::Child {
    let mut cmd = Command::new(cargo_bin("folio"));
    cmd.current_dir(dir)
        .args(["new", "ecommerce-api", name, "--yes"])
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if !git {
        cmd.arg("--no-git");
    }
    cmd.spawn().unwrap()
}

/// A finished project: every file of a reference run, and a clean repo.
fn assert_complete(project: &Path, reference: &[PathBuf], git_on: bool) {
    assert_eq!(
        files(project),
        reference,
        "{} is partial",
        project.display()
    );
    if git_on {
        assert_eq!(git(project, &["status", "--porcelain"]), "");
        assert_eq!(git(project, &["rev-list", "--count", "HEAD"]).trim(), "1");
    }
}

fn staging_folders(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".folio-staging-")
        })
        .collect()
}

#[test]
fn sigkill_at_random_moments_leaves_no_partial_project_and_the_next_run_cleans_up() {
    let mut rng = Lcg(0x5eed);
    for git_on in [false, true] {
        let reference_dir = tempfile::tempdir().unwrap();
        let start = Instant::now();
        let out = spawn_new(reference_dir.path(), "ref", git_on)
            .wait_with_output()
            .unwrap();
        assert!(out.status.success());
        let took = start.elapsed().as_micros() as u64;
        let reference = files(&reference_dir.path().join("ref"));
        let mut leftovers_seen = 0;
        for round in 0..25 {
            let tmp = tempfile::tempdir().unwrap();
            let mut child = spawn_new(tmp.path(), "p", git_on);
            std::thread::sleep(Duration::from_micros(rng.below(took + took / 5)));
            let _ = child.kill();
            let _ = child.wait();
            let project = tmp.path().join("p");
            if project.exists() {
                assert_complete(&project, &reference, git_on);
            }
            for staging in staging_folders(tmp.path()) {
                leftovers_seen += 1;
                let mode = fs::metadata(&staging).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o700, "round {round}: staging folder must be private");
                for env in [".env", "api/.env"] {
                    if let Ok(meta) = fs::metadata(staging.join(env)) {
                        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
                    }
                }
            }
            let had_leftover = !staging_folders(tmp.path()).is_empty();
            let out = spawn_new(tmp.path(), "q", git_on)
                .wait_with_output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "round {round}: {err}");
            if had_leftover {
                assert!(err.contains("left by a folio run that was killed"), "{err}");
            }
            assert!(
                staging_folders(tmp.path()).is_empty(),
                "round {round}: leftover"
            );
            assert_complete(&tmp.path().join("q"), &reference, git_on);
        }
        eprintln!("git {git_on}: {leftovers_seen} staging folders left by SIGKILL and cleaned");
    }
}

#[test]
fn sigterm_and_sighup_cancel_cleanly_at_random_moments() {
    let mut rng = Lcg(0xc0ffee);
    let reference_dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    assert!(spawn_new(reference_dir.path(), "ref", true)
        .wait()
        .unwrap()
        .success());
    let took = start.elapsed().as_micros() as u64;
    let reference = files(&reference_dir.path().join("ref"));
    for round in 0..30 {
        let (signal, number) = if round % 2 == 0 {
            ("TERM", rustix::process::Signal::TERM)
        } else {
            ("HUP", rustix::process::Signal::HUP)
        };
        let tmp = tempfile::tempdir().unwrap();
        let child = spawn_new(tmp.path(), "p", true);
        std::thread::sleep(Duration::from_micros(rng.below(took)));
        let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
        let _ = rustix::process::kill_process(pid, number);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => assert_complete(&tmp.path().join("p"), &reference, true),
            Some(130) => {
                assert!(err.contains("cancelled: nothing was written"), "{err}");
                only(tmp.path(), &[]);
            }
            // The signal came before folio could install its handler.
            None if out.status.signal().is_some() => only(tmp.path(), &[]),
            other => panic!("round {round} SIG{signal}: exit {other:?}: {err}"),
        }
    }
}
