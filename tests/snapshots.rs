//! insta snapshots of the file plan (`folio new --dry-run`) of every spec and week.

mod common;

#[test]
fn file_plan_of_every_spec() {
    for id in common::all_spec_ids() {
        let out = common::folio()
            .args(["new", &id, "--yes", "--dry-run", "--name", "demo"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        insta::assert_snapshot!(id.clone(), String::from_utf8(out.stdout).unwrap());
    }
}
