//! `folio status`: a repo's progress through its README checklists.
//!
//! The checklists are the `- [ ]` / `- [x]` items of README.md, grouped
//! under the nearest heading above them. The learner's README (the work
//! tree's) is compared with the one folio wrote (the pristine output, see
//! [`crate::update::pristine_base`]), section by section: how many items are
//! checked, and how many were added or removed. With `--verify`, `folio
//! verify` runs too. Everything but [`command`] returns data and prints
//! nothing to stdout, so `folio cohort status` can call it for many repos.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use git2::Repository;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::cli::StatusArgs;
use crate::errors::usage;
use crate::limits::STATUS_README as README_LIMIT;
use crate::verify;

/// The README folio status reads, at the top of the repo.
const README: &str = "README.md";
/// How the title of items above any heading is shown in text.
const NO_HEADING: &str = "(before any heading)";

/// A checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The text after the box, trimmed.
    pub text: String,
    /// `[x]` or `[X]`.
    pub checked: bool,
}

/// The checklist items under one heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// The heading's text without its `#`s; empty for items above any heading.
    pub title: String,
    pub items: Vec<Item>,
}

/// One section's progress, against the template's section of the same title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionProgress {
    pub title: String,
    /// Items checked now.
    pub checked: usize,
    /// Items now.
    pub total: usize,
    /// Items now that the template's section does not have.
    pub added: usize,
    /// The template's items that are gone now.
    pub removed: usize,
}

/// The result of `folio verify` on the repo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyOutcome {
    /// Every step passed.
    pub passed: bool,
    /// Each check that did not pass, once, as `scope check`: `api test`,
    /// `repo hadolint (not installed)`, `api lint (skipped)`.
    pub failed_steps: Vec<String>,
}

/// When HEAD was committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastCommit {
    /// RFC 3339 in UTC: `2025-01-31T09:30:00Z`.
    pub date: String,
    /// Seconds since the Unix epoch.
    pub unix: i64,
}

/// A repo's progress; `folio status --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// The folder as given (its full path when given as `.` or `..`).
    pub repo: String,
    pub sections: Vec<SectionProgress>,
    /// Items checked, in all sections.
    pub checked: usize,
    /// Items, in all sections.
    pub total: usize,
    /// `checked * 100 / total` rounded down (100 only when all are checked);
    /// 0 when there are no items.
    pub percent: u32,
    pub added: usize,
    pub removed: usize,
    /// HEAD's commit time; none before the first commit.
    pub last_commit: Option<LastCommit>,
    /// Commits reachable from HEAD (`git rev-list --count HEAD`).
    pub commits: usize,
    /// Set by [`with_verify`]; none unless asked for.
    pub verify: Option<VerifyOutcome>,
}

/// The checklist sections of a Markdown text, in order: each heading with
/// the items under it (headings without items are left out). Items inside
/// fenced code blocks (```` ``` ```` or `~~~`) do not count.
pub fn checklists(readme: &str) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut current = Section {
        title: String::new(),
        items: Vec::new(),
    };
    let mut fence: Option<(char, usize)> = None;
    for line in readme.lines() {
        let trimmed = line.trim_start();
        if let Some((c, n)) = fence {
            if closes_fence(trimmed, c, n) {
                fence = None;
            }
        } else if let Some(open) = opens_fence(trimmed) {
            fence = Some(open);
        } else if let Some(title) = heading(line) {
            let done = std::mem::replace(
                &mut current,
                Section {
                    title,
                    items: Vec::new(),
                },
            );
            if !done.items.is_empty() {
                sections.push(done);
            }
        } else if let Some(item) = item(trimmed) {
            current.items.push(item);
        }
    }
    if !current.items.is_empty() {
        sections.push(current);
    }
    sections
}

/// A fence's opening line: its character and length.
fn opens_fence(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    // A backtick fence's info string has no backtick (CommonMark).
    (n >= 3 && !(c == '`' && trimmed[n..].contains('`'))).then_some((c, n))
}

/// Whether the line closes a fence opened with `n` times `c`.
fn closes_fence(trimmed: &str, c: char, n: usize) -> bool {
    let run = trimmed.chars().take_while(|x| *x == c).count();
    run >= n && trimmed[run * c.len_utf8()..].trim().is_empty()
}

/// An ATX heading's text (`## Title ##` -> `Title`).
fn heading(line: &str) -> Option<String> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let level = rest.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let text = &rest[level..];
    if !(text.is_empty() || text.starts_with([' ', '\t'])) {
        return None;
    }
    let text = text.trim();
    // A closing run of #s goes, when a space sets it apart (or it is all there is).
    let stripped = text.trim_end_matches('#');
    let text = if stripped.is_empty() || stripped.ends_with([' ', '\t']) {
        stripped
    } else {
        text
    };
    Some(normalize(text))
}

/// A checklist item: `- [ ] text`, `* [x] text`, `+ [X] text`, `1. [ ] text`.
fn item(trimmed: &str) -> Option<Item> {
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let rest = if digits > 0 {
        trimmed[digits..].strip_prefix(['.', ')'])?
    } else {
        trimmed.strip_prefix(['-', '*', '+'])?
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start().strip_prefix('[')?;
    let checked = match rest.chars().next()? {
        ' ' => false,
        'x' | 'X' => true,
        _ => return None,
    };
    let rest = rest[1..].strip_prefix(']')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some(Item {
        text: rest.trim().to_string(),
        checked,
    })
}

/// Trimmed, with each run of white space one space.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each section of `readme` (the learner's) against the section of the same
/// title in `template` (folio's): items matched by their text, trimmed and
/// with white space collapsed. Sections with the same title are taken as
/// one. A section only the template has comes last, all its items removed.
pub fn compare(readme: &str, template: &str) -> Vec<SectionProgress> {
    /// The items of each title, titles in first-seen order.
    fn by_title(sections: Vec<Section>) -> Vec<(String, Vec<Item>)> {
        let mut out: Vec<(String, Vec<Item>)> = Vec::new();
        for s in sections {
            match out.iter_mut().find(|(t, _)| *t == s.title) {
                Some((_, items)) => items.extend(s.items),
                None => out.push((s.title, s.items)),
            }
        }
        out
    }
    fn counts(items: &[Item]) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for i in items {
            *m.entry(normalize(&i.text)).or_insert(0) += 1;
        }
        m
    }
    let mine = by_title(checklists(readme));
    let theirs = by_title(checklists(template));
    let mut out = Vec::new();
    for (title, items) in &mine {
        let now = counts(items);
        let before = theirs
            .iter()
            .find(|(t, _)| t == title)
            .map(|(_, items)| counts(items))
            .unwrap_or_default();
        let missing = |a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>| -> usize {
            a.iter()
                .map(|(text, n)| n.saturating_sub(b.get(text).copied().unwrap_or(0)))
                .sum()
        };
        out.push(SectionProgress {
            title: title.clone(),
            checked: items.iter().filter(|i| i.checked).count(),
            total: items.len(),
            added: missing(&now, &before),
            removed: missing(&before, &now),
        });
    }
    for (title, items) in &theirs {
        if !mine.iter().any(|(t, _)| t == title) {
            out.push(SectionProgress {
                title: title.clone(),
                checked: 0,
                total: 0,
                added: 0,
                removed: items.len(),
            });
        }
    }
    out
}

/// Sums the sections into a [`Status`] (no commit information, no verification).
pub fn summarize(repo: &str, sections: Vec<SectionProgress>) -> Status {
    let sum = |f: fn(&SectionProgress) -> usize| sections.iter().map(f).sum::<usize>();
    let (checked, total) = (sum(|s| s.checked), sum(|s| s.total));
    let percent = match total {
        0 => 0,
        // At most 100, since checked <= total.
        _ => u32::try_from(checked * 100 / total).unwrap_or(100),
    };
    Status {
        repo: repo.to_string(),
        checked,
        total,
        percent,
        added: sum(|s| s.added),
        removed: sum(|s| s.removed),
        sections,
        last_commit: None,
        commits: 0,
        verify: None,
    }
}

/// The status of the repo at `dir` (the folder `folio new` made): its work
/// tree's README.md against the one folio wrote, and HEAD's history.
pub fn of_repo(dir: &Path) -> Result<Status> {
    let shown = dir.display();
    if !dir.is_dir() {
        return Err(usage(anyhow!(
            "{shown} is not a folder; pass the folder of a repo made by `folio new`"
        )));
    }
    let repo = Repository::open(dir).map_err(|_| {
        usage(anyhow!(
            "{shown} is not a git repository (or not its top folder); pass the folder of a repo made by `folio new`"
        ))
    })?;
    let readme = match repo.workdir() {
        Some(workdir) => read_readme(&workdir.join(README))?,
        // A bare repo (a server's copy): the README of HEAD.
        None => {
            let head = repo
                .head()
                .and_then(|h| h.peel_to_tree())
                .map_err(|_| usage(anyhow!("{shown} is a bare repository with no commit; pass the folder of a repo made by `folio new`")))?;
            blob_text(&repo, &head, README)?.ok_or_else(|| {
                usage(anyhow!(
                    "{shown} has no {README} on HEAD; folio status reads the checklists of the README `folio new` wrote"
                ))
            })?
        }
    };
    if let Err(e) = repo.head() {
        if matches!(
            e.code(),
            git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
        ) {
            return Err(usage(anyhow!(
                "{shown} has no commit yet; folio status compares its {README} with the one in the first commit `folio new` made: pass the folder of a repo made by `folio new`"
            )));
        }
    }
    let base = crate::update::pristine_base(&repo).map_err(|e| {
        usage(e.context(format!(
            "{shown}: cannot find the commit folio made, whose {README} holds the template's checklists; pass the folder of a repo made by `folio new`"
        )))
    })?;
    let base_tree = base
        .tree()
        .with_context(|| format!("git: cannot read folio's first commit in {shown}"))?;
    // No README in folio's output: every item is the learner's own.
    let template = blob_text(&repo, &base_tree, README)?.unwrap_or_default();
    let mut status = summarize(&display_name(dir), compare(&readme, &template));
    if let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) {
        let unix = head.time().seconds();
        status.last_commit = Some(LastCommit {
            date: rfc3339(unix).unwrap_or_default(),
            unix,
        });
        let mut walk = repo
            .revwalk()
            .with_context(|| format!("git: cannot read the history of {shown}"))?;
        walk.push(head.id())
            .with_context(|| format!("git: cannot read the history of {shown}"))?;
        status.commits = walk.count();
    }
    Ok(status)
}

/// The folder as given, or its full path when that says nothing (`.`, `..`).
fn display_name(dir: &Path) -> String {
    match dir.file_name() {
        Some(_) => dir.display().to_string(),
        None => std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_path_buf())
            .display()
            .to_string(),
    }
}

/// The work tree's README.md: a regular file of at most [`README_LIMIT`] bytes.
fn read_readme(path: &Path) -> Result<String> {
    let shown = path.display();
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(usage(anyhow!(
                "{shown} does not exist; folio status reads the checklists of the {README} `folio new` wrote: pass the folder of a repo it made, or restore the file with `git checkout {README}`"
            )))
        }
        Err(e) => return Err(anyhow!(e).context(format!("cannot read {shown}"))),
    };
    if !meta.is_file() {
        return Err(usage(anyhow!(
            "{shown} is not a regular file (a link or a folder); restore the {README} `folio new` wrote with `git checkout {README}`"
        )));
    }
    if meta.len() > README_LIMIT {
        return Err(usage(anyhow!(
            "{shown} is {} bytes, over folio status's limit of {README_LIMIT}; shorten it",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(README_LIMIT).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {shown}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A file of a commit's tree, as text; none if the tree has no such file.
fn blob_text(repo: &Repository, tree: &git2::Tree, path: &str) -> Result<Option<String>> {
    let Ok(entry) = tree.get_path(Path::new(path)) else {
        return Ok(None);
    };
    let Ok(blob) = entry.to_object(repo).and_then(|o| o.peel_to_blob()) else {
        return Ok(None);
    };
    if blob.size() as u64 > README_LIMIT {
        bail!(
            "git: the committed {path} is {} bytes, over folio status's limit of {README_LIMIT}",
            blob.size()
        );
    }
    Ok(Some(String::from_utf8_lossy(blob.content()).into_owned()))
}

/// Unix seconds as RFC 3339 in UTC (`1970-01-01T00:00:00Z`); `None`
/// outside years 0..=9999.
pub fn rfc3339(unix: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).ok()?;
    if !(0..=9999).contains(&t.year()) {
        return None;
    }
    t.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// Runs `folio verify` on the repo at `dir` (all its services, no chroot);
/// `progress` is told each step as it starts, with its index and the count.
pub fn verify_repo(
    catalog: &Catalog,
    dir: &Path,
    mut progress: impl FnMut(usize, usize, &verify::Step),
) -> Result<VerifyOutcome> {
    let answers = verify::read_answers(dir).map_err(usage)?;
    let steps = verify::plan(catalog, dir, &answers, &[], None).map_err(usage)?;
    let total = steps.len();
    let results = verify::run(&steps, |i, step| progress(i, total, step));
    let mut failed_steps: Vec<String> = Vec::new();
    for (step, (outcome, _)) in steps.iter().zip(&results) {
        let name = format!("{} {}", step.scope, step.kind);
        let name = match outcome {
            verify::Outcome::Pass => continue,
            verify::Outcome::Fail(_) => name,
            verify::Outcome::Missing(_) => format!("{name} (not installed)"),
            verify::Outcome::Skipped => format!("{name} (skipped)"),
        };
        // One check runs once per workflow file, say: each name once.
        if !failed_steps.contains(&name) {
            failed_steps.push(name);
        }
    }
    Ok(VerifyOutcome {
        passed: verify::passed(&results),
        failed_steps,
    })
}

/// `status` with `folio verify`'s result, telling each step on stderr as
/// `folio verify` does.
pub fn with_verify(catalog: &Catalog, dir: &Path, mut status: Status) -> Result<Status> {
    let outcome = verify_repo(catalog, dir, verify::announce)?;
    status.verify = Some(outcome);
    Ok(status)
}

/// `folio status` as text: a header line, then one aligned line per section.
pub fn text(status: &Status) -> String {
    let mut out = String::new();
    let history = match (&status.last_commit, status.commits) {
        (None, _) => "no commit yet".to_string(),
        (Some(last), n) => format!(
            "{n} commit{}, the last on {}",
            if n == 1 { "" } else { "s" },
            last.date.replacen('T', " ", 1).replace('Z', " UTC")
        ),
    };
    let _ = writeln!(
        out,
        "{}: {}/{} checked ({}%); {history}",
        status.repo, status.checked, status.total, status.percent
    );
    let title = |s: &SectionProgress| match s.title.as_str() {
        "" => NO_HEADING.to_string(),
        t => t.to_string(),
    };
    let rows: Vec<[String; 4]> = status
        .sections
        .iter()
        .map(|s| {
            [
                title(s),
                format!("{}/{}", s.checked, s.total),
                format!("+{}", s.added),
                format!("-{}", s.removed),
            ]
        })
        .collect();
    let header = [
        "section".to_string(),
        "checked".to_string(),
        "added".to_string(),
        "removed".to_string(),
    ];
    let width = |col: usize| {
        rows.iter()
            .chain([&header])
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    if rows.is_empty() {
        let _ = writeln!(out, "No checklist in {README}.");
    } else {
        for r in std::iter::once(&header).chain(&rows) {
            let line = format!("  {:<w0$}  {:<w1$}  {:<w2$}  {}", r[0], r[1], r[2], r[3]);
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    match &status.verify {
        None => {}
        Some(v) if v.passed => out.push_str("verify: passed\n"),
        Some(v) => {
            let _ = writeln!(out, "verify: FAILED: {}", v.failed_steps.join(", "));
        }
    }
    out
}

/// An error when the status holds a failed verification.
fn verdict(status: &Status) -> Result<()> {
    match &status.verify {
        Some(v) if !v.passed => bail!(
            "verification of {} failed ({} of its checks did not pass); run `folio verify {}` to see each one's output",
            status.repo,
            v.failed_steps.len(),
            status.repo
        ),
        _ => Ok(()),
    }
}

/// Writes to stdout; a closed pipe (`folio status | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
}

/// `folio status [DIR] [--verify] [--json]`: prints the status; fails after
/// printing it when verification fails.
pub fn command(catalog: &Catalog, args: &StatusArgs) -> Result<()> {
    let mut status = of_repo(&args.dir)?;
    if args.verify {
        status = with_verify(catalog, &args.dir, status)?;
    }
    if args.json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&status)?));
    } else {
        emit(&text(&status));
    }
    verdict(&status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str, checked: bool) -> Item {
        Item {
            text: text.into(),
            checked,
        }
    }

    const TEMPLATE: &str = "\
# Shop

Intro with a list:
- not a box
- [ ] top item

## Requirements checklist

- [ ] Users
- [ ] Orders
-  [ ]   Payments   now

### Portfolio Requirements

- [ ] One
- [ ] Two

## Quick start

```sh
- [ ] in code
# not a heading
```

### Gone

- [ ] Old
";

    #[test]
    fn sections_are_the_nearest_heading_with_its_items() {
        let got = checklists(TEMPLATE);
        let titles: Vec<&str> = got.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Shop",
                "Requirements checklist",
                "Portfolio Requirements",
                "Gone"
            ]
        );
        assert_eq!(got[0].items, [item("top item", false)]);
        assert_eq!(
            got[1].items,
            [
                item("Users", false),
                item("Orders", false),
                item("Payments   now", false)
            ]
        );
    }

    #[test]
    fn boxes_take_every_marker_case_and_indentation() {
        let got = checklists(
            "## Ticks ##\n\
             - [x] a\n\
             * [X] b\n\
             \x20   - [ ] nested\n\
             \t+ [x] tabbed\n\
             1. [ ] ordered\n\
             - [x]\n\
             - [y] not a box\n\
             -[ ] no space\n\
             - [ ]no space after\n\
             - [x] [link](x) keeps its text\n",
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].title, "Ticks");
        assert_eq!(
            got[0].items,
            [
                item("a", true),
                item("b", true),
                item("nested", false),
                item("tabbed", true),
                item("ordered", false),
                item("", true),
                item("[link](x) keeps its text", true),
            ]
        );
    }

    #[test]
    fn fenced_code_is_skipped_whatever_the_fence() {
        let got = checklists(
            "# A\n\
             ~~~~\n\
             - [ ] tilde\n\
             ~~~\n\
             - [ ] still in the tilde fence\n\
             ~~~~~\n\
             - [ ] real\n\
             ````md\n\
             ```\n\
             - [ ] inner\n\
             ```\n\
             ````\n\
             \x20 ```\n\
             - [x] indented fence\n\
             \x20 ```\n\
             - [x] after\n",
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].items, [item("real", false), item("after", true)]);
    }

    #[test]
    fn an_unclosed_fence_hides_the_rest() {
        let got = checklists("# A\n- [ ] one\n```\n- [ ] two\n# B\n- [ ] three\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].items, [item("one", false)]);
    }

    #[test]
    fn headings_need_a_space_and_at_most_six_hashes() {
        let got = checklists(
            "#hashtag\n- [ ] a\n####### seven\n- [ ] b\n    # indented code\n- [ ] c\n###### Six\n- [ ] d\n#\n- [ ] e\n",
        );
        let titles: Vec<&str> = got.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["", "Six", ""]);
        assert_eq!(got[0].items.len(), 3);
    }

    #[test]
    fn nested_headings_each_own_their_items() {
        let got = checklists("## Parent\n- [ ] p\n### Child\n- [x] c\n## Parent\n- [ ] again\n");
        let titles: Vec<&str> = got.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Parent", "Child", "Parent"]);
    }

    #[test]
    fn compare_counts_checked_added_and_removed_per_title() {
        let mine = "\
# Shop
- [ ] top item

## Requirements checklist

- [x] Users
- [X]   Payments now
- [ ] Search

### Portfolio Requirements

- [ ] One
- [ ] Two

### Mine

- [x] Extra
";
        let got = compare(mine, TEMPLATE);
        let row = |t: &str, c, n, a, r| SectionProgress {
            title: t.into(),
            checked: c,
            total: n,
            added: a,
            removed: r,
        };
        assert_eq!(
            got,
            [
                row("Shop", 0, 1, 0, 0),
                row("Requirements checklist", 2, 3, 1, 1),
                row("Portfolio Requirements", 0, 2, 0, 0),
                row("Mine", 1, 1, 1, 0),
                row("Gone", 0, 0, 0, 1),
            ]
        );
        let status = summarize("shop", got);
        assert_eq!(
            (
                status.checked,
                status.total,
                status.percent,
                status.added,
                status.removed
            ),
            (3, 7, 42, 2, 2)
        );
    }

    #[test]
    fn duplicates_count_as_many_times_as_they_occur() {
        let got = compare(
            "# A\n- [ ] x\n- [ ] x\n- [ ] x\n",
            "# A\n- [ ] x\n- [ ] x\n- [ ] y\n",
        );
        assert_eq!((got[0].added, got[0].removed), (1, 1));
    }

    #[test]
    fn no_items_is_zero_percent() {
        let status = summarize("x", compare("# Nothing\n", ""));
        assert_eq!((status.total, status.percent), (0, 0));
        assert!(text(&status).contains("No checklist in README.md."));
    }

    #[test]
    fn dates_are_rfc3339_utc() {
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            rfc3339(951_782_400).as_deref(),
            Some("2000-02-29T00:00:00Z")
        );
        assert_eq!(
            rfc3339(1_735_689_599).as_deref(),
            Some("2024-12-31T23:59:59Z")
        );
        assert_eq!(rfc3339(-1).as_deref(), Some("1969-12-31T23:59:59Z"));
    }

    #[test]
    fn text_aligns_the_table() {
        let mut status = summarize(
            "shop",
            compare(
                "## Requirements checklist\n- [x] a\n- [ ] b\n### Long section title\n- [ ] c\n",
                "## Requirements checklist\n- [ ] a\n- [ ] z\n",
            ),
        );
        status.last_commit = Some(LastCommit {
            date: rfc3339(1_735_689_599).unwrap_or_default(),
            unix: 1_735_689_599,
        });
        status.commits = 3;
        assert_eq!(
            text(&status),
            "\
shop: 1/3 checked (33%); 3 commits, the last on 2024-12-31 23:59:59 UTC
  section                 checked  added  removed
  Requirements checklist  1/2      +1     -1
  Long section title      0/1      +1     -0
"
        );
    }

    #[test]
    fn a_failed_verification_is_an_error_after_the_status() {
        let mut status = summarize("shop", Vec::new());
        assert!(verdict(&status).is_ok());
        status.verify = Some(VerifyOutcome {
            passed: true,
            failed_steps: Vec::new(),
        });
        assert!(verdict(&status).is_ok());
        assert!(text(&status).ends_with("verify: passed\n"));
        status.verify = Some(VerifyOutcome {
            passed: false,
            failed_steps: vec!["api test".into(), "repo hadolint (not installed)".into()],
        });
        assert!(
            text(&status).ends_with("verify: FAILED: api test, repo hadolint (not installed)\n")
        );
        let e = verdict(&status).unwrap_err();
        assert_eq!(
            e.to_string(),
            "verification of shop failed (2 of its checks did not pass); run `folio verify shop` to see each one's output"
        );
        assert_eq!(crate::errors::status(e), crate::errors::exit::FAILURE);
    }
}
