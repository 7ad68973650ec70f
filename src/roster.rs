//! Rosters: the learners of a cohort, read from CSV with a header. A roster
//! is untrusted input: every row is checked (ids go into URLs and folder
//! names) and every problem is reported with its line number before anything
//! is created.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

/// A learner of a roster, as a generated repo records it (answers.toml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Learner {
    /// A handle such as a GitHub login: letters, digits, `.`, `_`, `-`.
    pub id: String,
    /// The display name the README greets.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Headers accepted for each column, compared ignoring case.
const ID_HEADERS: &[&str] = &[
    "id",
    "github",
    "github_username",
    "login",
    "handle",
    "username",
];
const NAME_HEADERS: &[&str] = &["name", "display_name", "full_name"];
const EMAIL_HEADERS: &[&str] = &["email", "e-mail", "mail"];

/// Problems reported at most, the rest counted.
const SHOWN: usize = 20;

/// Reads and checks a roster file.
pub fn read(path: &Path) -> Result<Vec<Learner>> {
    let bytes = crate::untrusted::read_named_file(path, crate::limits::ROSTER_FILE, "roster")?;
    parse(&path.display().to_string(), &bytes)
}

/// Parses and checks a roster: all learners, or one error listing every bad
/// row with its line number.
pub fn parse(origin: &str, bytes: &[u8]) -> Result<Vec<Learner>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => bail!("roster {origin}: cannot read its header line: {e}"),
    };
    let find = |names: &[&str]| {
        headers.iter().position(|h| {
            std::str::from_utf8(h)
                .map(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
                .unwrap_or(false)
        })
    };
    let Some(id_col) = find(ID_HEADERS) else {
        bail!(
            "roster {origin}: the header line has no learner id column; name one of: {} (then name, and optionally email), e.g. `github,name,email`",
            ID_HEADERS.join(", ")
        );
    };
    let name_col = find(NAME_HEADERS);
    let email_col = find(EMAIL_HEADERS);

    let mut learners = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let field = |col: Option<usize>| -> Result<String, String> {
            let raw = col.and_then(|c| record.get(c)).unwrap_or_default();
            std::str::from_utf8(raw)
                .map(str::to_string)
                .map_err(|_| format!("line {line}: not UTF-8 text; save the roster as UTF-8"))
        };
        let (id, name, email) = match (field(Some(id_col)), field(name_col), field(email_col)) {
            (Ok(i), Ok(n), Ok(e)) => (i, n, e),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                problems.push(e);
                continue;
            }
        };
        let mut bad = |what: String| problems.push(format!("line {line}: {what}"));
        if let Err(e) = check_id(&id) {
            bad(format!("learner id {id:?} {e}"));
            continue;
        }
        let name = if name.is_empty() { id.clone() } else { name };
        if let Err(e) = check_name(&name) {
            bad(format!("name {name:?} {e}"));
            continue;
        }
        let email = (!email.is_empty()).then_some(email);
        if let Some(email) = &email {
            if !email.contains('@') || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
                bad(format!("email {email:?} is not an email address"));
                continue;
            }
        }
        if let Some(first) = seen.insert(id.to_lowercase(), line) {
            bad(format!(
                "learner id {id:?} is already on line {first} (ids are compared ignoring case); give each learner one row"
            ));
            continue;
        }
        learners.push(Learner { id, name, email });
    }
    if !problems.is_empty() {
        let more = problems.len().saturating_sub(SHOWN);
        let mut text = format!(
            "roster {origin} has {} bad row(s); fix them and run again (nothing was created):",
            problems.len()
        );
        for p in problems.iter().take(SHOWN) {
            text.push_str("\n  ");
            text.push_str(p);
        }
        if more > 0 {
            text.push_str(&format!("\n  ... and {more} more"));
        }
        bail!(text);
    }
    if learners.is_empty() {
        bail!("roster {origin} has no learners: add one row per learner under the header");
    }
    if learners.len() > crate::limits::ROSTER_LEARNERS {
        bail!(
            "roster {origin} has {} learners; the limit is {} (split the cohort)",
            learners.len(),
            crate::limits::ROSTER_LEARNERS
        );
    }
    Ok(learners)
}

/// A learner id is safe in a URL, a path and a git ref: 1 to 64 of
/// `[A-Za-z0-9._-]`, starting with a letter or digit, no `..`, not ending
/// in `.`, `.git` or `.lock`.
pub fn check_id(id: &str) -> Result<()> {
    if id.is_empty() {
        bail!("is empty; every row needs a learner id");
    }
    if id.len() > 64 {
        bail!("is longer than 64 characters");
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        bail!("holds {c:?}; ids may only hold letters, digits, '.', '_' and '-' (they go into repo URLs and folder names)");
    }
    if !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        bail!("must start with a letter or digit");
    }
    let lower = id.to_ascii_lowercase();
    if id.contains("..") || id.ends_with('.') || lower.ends_with(".git") || lower.ends_with(".lock")
    {
        bail!("may not hold \"..\" or end in '.', \".git\" or \".lock\" (git and URLs treat those specially)");
    }
    Ok(())
}

/// A display name: one line of plain text, at most 100 characters.
pub fn check_name(name: &str) -> Result<()> {
    if let Some(c) = name
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    {
        bail!("holds the control character {c:?}; a name is one line of plain text");
    }
    let max = crate::limits::LEARNER_NAME_CHARS;
    if name.chars().count() > max {
        bail!("is longer than {max} characters");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_headers_in_any_order_and_case_with_a_bom() {
        let roster = "\u{feff}Name,GitHub,Email\nAda Lovelace,ada,ada@example.org\n\n\"Hopper, Grace\",ghopper,\n";
        let learners = parse("r.csv", roster.as_bytes()).unwrap();
        assert_eq!(
            learners,
            vec![
                Learner {
                    id: "ada".into(),
                    name: "Ada Lovelace".into(),
                    email: Some("ada@example.org".into())
                },
                Learner {
                    id: "ghopper".into(),
                    name: "Hopper, Grace".into(),
                    email: None
                },
            ]
        );
    }

    #[test]
    fn a_missing_name_is_the_id() {
        let learners = parse("r.csv", b"login\nlinus\n").unwrap();
        assert_eq!(learners[0].name, "linus");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let roster = b"id,name\nok,Fine\nOK,Again\na/b,Slash\n../x,Dots\n-x,Dash\n,Empty\nz,\xff\xfe\nlast.git,Git\nfine2,Tab\there\n";
        let err = format!("{:#}", parse("r.csv", roster).unwrap_err());
        assert_eq!(
            err,
            "roster r.csv has 8 bad row(s); fix them and run again (nothing was created):
  line 3: learner id \"OK\" is already on line 2 (ids are compared ignoring case); give each learner one row
  line 4: learner id \"a/b\" holds '/'; ids may only hold letters, digits, '.', '_' and '-' (they go into repo URLs and folder names)
  line 5: learner id \"../x\" holds '/'; ids may only hold letters, digits, '.', '_' and '-' (they go into repo URLs and folder names)
  line 6: learner id \"-x\" must start with a letter or digit
  line 7: learner id \"\" is empty; every row needs a learner id
  line 8: not UTF-8 text; save the roster as UTF-8
  line 9: learner id \"last.git\" may not hold \"..\" or end in '.', \".git\" or \".lock\" (git and URLs treat those specially)
  line 10: name \"Tab\\there\" holds the control character '\\t'; a name is one line of plain text"
        );
    }

    #[test]
    fn a_header_without_an_id_column_says_which_names_work() {
        let err = format!("{:#}", parse("r.csv", b"student,name\nx,y\n").unwrap_err());
        assert!(err.contains("no learner id column"), "{err}");
        assert!(err.contains("github"), "{err}");
    }

    #[test]
    fn an_empty_roster_is_an_error() {
        assert!(parse("r.csv", b"id,name\n").is_err());
    }

    proptest::proptest! {
        /// Any bytes (a roster is untrusted): a result, never a panic.
        #[test]
        fn random_rosters_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let mut text = b"id,name,email\n".to_vec();
            text.extend(bytes);
            let _ = parse("r.csv", &text);
        }
    }
}
