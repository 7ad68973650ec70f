//! `folio completions SHELL` and `folio man [DIR]`, through the real binary.

mod common;

use common::folio;

fn stdout_of(args: &[&str]) -> String {
    let out = folio().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "folio {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn bash_script_completes_spec_and_week_ids() {
    let script = stdout_of(&["completions", "bash"]);
    assert!(script.contains("ecommerce-api"), "no spec id in:\n{script}");
    assert!(script.contains("intensive-week-5"), "no week id");
    assert!(
        script.contains("standard-week-3"),
        "no week id of the standard plan"
    );
    // The subcommands and a flag of `folio new` are there too.
    for word in ["new", "update", "verify", "--dry-run", "--stack"] {
        assert!(script.contains(word), "no {word} in the bash script");
    }
}

#[test]
fn other_shells_get_a_script_naming_folio() {
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(!script.trim().is_empty(), "{shell}: empty script");
        assert!(script.contains("folio"), "{shell}: does not name folio");
        if shell != "elvish" {
            assert!(
                script.contains("ecommerce-api") && script.contains("intensive-week-5"),
                "{shell}: spec and week ids not completed"
            );
        }
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    folio()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bash"));
}

#[test]
fn bash_sources_the_script_and_registers_folio() {
    let bin = assert_cmd::cargo::cargo_bin("folio");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source <('{}' completions bash) && complete -p folio",
            bin.display()
        ))
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "bash: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let registered = String::from_utf8_lossy(&out.stdout);
    assert!(registered.contains("_folio folio"), "{registered}");
}

#[test]
fn bash_completes_a_spec_after_new() {
    // Run the completion function as bash would for `folio new ecom<TAB>`.
    let bin = assert_cmd::cargo::cargo_bin("folio");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source <('{}' completions bash) && COMP_WORDS=(folio new ecom) COMP_CWORD=2 \
             COMP_LINE='folio new ecom' COMP_POINT=14 && _folio folio ecom new && \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            bin.display()
        ))
        .output()
        .expect("bash runs");
    let replies = String::from_utf8_lossy(&out.stdout);
    assert!(
        replies.lines().any(|l| l == "ecommerce-api"),
        "replies: {replies}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn spec_ids_are_not_listed_in_help_and_unknown_specs_get_folios_error() {
    let help = stdout_of(&["new", "--help"]);
    assert!(!help.contains("possible values"), "{help}");
    folio()
        .args(["show", "no-such-spec"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no spec named \"no-such-spec\""));
}

#[test]
fn man_prints_folios_page() {
    let page = stdout_of(&["man"]);
    // clap_mangen starts with the quote-string definition (.ie/.el), then .TH.
    let first_macro = page
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"))
        .unwrap();
    assert!(first_macro.starts_with(".TH folio 1"), "{first_macro}");
    assert!(page.contains("new"), "the subcommands are not listed");
    assert!(page.contains("folio\\-new"), "no folio-new in:\n{page}");
}

#[test]
fn man_dir_writes_a_page_per_subcommand() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("man1");
    folio()
        .arg("man")
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicates::str::contains("folio-new.1"));
    for page in ["folio.1", "folio-new.1", "folio-verify.1", "folio-update.1"] {
        let text =
            std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH"), "{page} is not a man page");
    }
}
