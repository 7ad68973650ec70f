//! User-facing errors: what kind of failure it was (which sets the exit
//! status), and messages that name the file, the value and the fix, without
//! Rust debug text.

use handlebars::{RenderError, RenderErrorReason, TemplateError};

/// Exit statuses (documented in the README, "Exit status").
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// The work failed: a template, a file, git, a verification step.
    pub const FAILURE: u8 = 1;
    /// Bad usage or input: a flag, an answer, an answers file, a template pack.
    pub const USAGE: u8 = 2;
    /// `folio update` wrote conflict markers: files to resolve by hand.
    pub const CONFLICTS: u8 = 3;
    /// Cancelled by the user (Esc, Ctrl-C, SIGTERM, SIGHUP): nothing written.
    pub const CANCELLED: u8 = crate::cancel::EXIT_STATUS;
}

/// An error in what the user gave: flags, answers, an answers file, a
/// template pack. Exits with [`exit::USAGE`].
#[derive(Debug)]
pub struct UsageError(pub anyhow::Error);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl std::error::Error for UsageError {}

/// Marks an error as the user's input's (exit status 2), unless it is a
/// cancellation.
pub fn usage(e: anyhow::Error) -> anyhow::Error {
    if e.is::<crate::cancel::Cancelled>() || e.is::<UsageError>() {
        e
    } else {
        anyhow::Error::new(UsageError(e))
    }
}

/// `folio update` finished with conflicts to resolve. Exits with
/// [`exit::CONFLICTS`].
#[derive(Debug)]
pub struct Conflicts(pub usize);

impl std::fmt::Display for Conflicts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} file(s) have conflicts (marked <<<<<<< yours / ||||||| folio (before) / ======= / >>>>>>> folio (now)): resolve them, then commit",
            self.0
        )
    }
}

impl std::error::Error for Conflicts {}

/// What a failed run of folio comes to: the kind sets the exit status.
/// Inside the library errors travel as `anyhow::Error`, tagged with
/// [`usage`], [`Conflicts`] or [`crate::cancel::Cancelled`]; [`crate::app::run`]
/// classifies them into this at the boundary.
#[derive(Debug)]
pub enum Error {
    /// Bad usage or input (a flag, an answer, a file, a pack, a roster).
    Usage(anyhow::Error),
    /// The work failed (a file, git, a verification step, a server).
    Failure(anyhow::Error),
    /// `folio update` left this many files with conflict markers.
    Conflicts(usize),
    /// Cancelled by the user: nothing was written.
    Cancelled,
}

impl Error {
    /// The process exit status (README, "Exit status").
    pub fn status(&self) -> u8 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Failure(_) => exit::FAILURE,
            Error::Conflicts(_) => exit::CONFLICTS,
            Error::Cancelled => exit::CANCELLED,
        }
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        if e.is::<crate::cancel::Cancelled>() {
            Error::Cancelled
        } else if let Some(Conflicts(n)) = e.downcast_ref::<Conflicts>() {
            Error::Conflicts(*n)
        } else if e.chain().any(|c| c.is::<UsageError>()) {
            Error::Usage(e)
        } else {
            Error::Failure(e)
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Usage(e) | Error::Failure(e) => write!(f, "{e:#}"),
            Error::Conflicts(n) => Conflicts(*n).fmt(f),
            Error::Cancelled => crate::cancel::Cancelled.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// The exit status for an error.
pub fn status(e: anyhow::Error) -> u8 {
    Error::from(e).status()
}

/// Where in a template, as `, line L, column C`.
fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(", line {l}, column {c}"),
        (Some(l), None) => format!(", line {l}"),
        _ => String::new(),
    }
}

/// A template that does not compile.
pub fn template_error(origin: &str, e: TemplateError) -> anyhow::Error {
    let (line, column) = e.pos().unzip();
    usage(anyhow::anyhow!(
        "template {origin}{}: {}; fix the Handlebars syntax there (docs/templates.md)",
        position(line, column),
        e.reason()
    ))
}

/// A template that compiles but cannot render with the values folio gives it.
pub fn render_error(origin: &str, e: RenderError) -> anyhow::Error {
    let at = position(e.line_no, e.column_no);
    let text = match e.reason() {
        RenderErrorReason::MissingVariable(Some(name)) => format!(
            "template {origin}{at}: there is no value named `{name}`; the values templates see are listed in docs/templates.md (\"The render context\")"
        ),
        RenderErrorReason::MissingVariable(None) => format!(
            "template {origin}{at}: a value it uses does not exist; the values templates see are listed in docs/templates.md"
        ),
        RenderErrorReason::PartialNotFound(name) => format!(
            "template {origin}{at}: there is no partial named `{name}`; partials are the files under a layer's partials/ folder (docs/templates.md)"
        ),
        RenderErrorReason::HelperNotFound(name) => format!(
            "template {origin}{at}: there is no helper named `{name}`; the helpers are listed in docs/templates.md"
        ),
        RenderErrorReason::TemplateError(t) => {
            let (line, column) = t.pos().unzip();
            format!(
                "template {origin}{}: {}",
                position(line, column),
                t.reason()
            )
        }
        other => format!("template {origin}{at}: {other}"),
    };
    usage(anyhow::anyhow!(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_classified_by_their_tags() {
        let cases: [(anyhow::Error, u8, &str); 4] = [
            (
                usage(anyhow::anyhow!("--db oracle")).context("while asking"),
                exit::USAGE,
                "while asking: --db oracle",
            ),
            (anyhow::anyhow!("disk full"), exit::FAILURE, "disk full"),
            (
                anyhow::Error::new(Conflicts(2)),
                exit::CONFLICTS,
                "2 file(s) have conflicts",
            ),
            (
                anyhow::Error::new(crate::cancel::Cancelled),
                exit::CANCELLED,
                "cancelled: nothing was written",
            ),
        ];
        for (e, code, text) in cases {
            let e = Error::from(e);
            assert_eq!(e.status(), code);
            assert!(e.to_string().starts_with(text), "{e}");
        }
    }

    #[test]
    fn a_missing_variable_is_named_once_without_debug_text() {
        let mut hb = handlebars::Handlebars::new();
        hb.set_strict_mode(true);
        let e = hb
            .render_template("a\n{{project.nmae}}", &serde_json::json!({"project": {}}))
            .unwrap_err();
        let text = render_error("pack/x.hbs", e).to_string();
        assert_eq!(
            text,
            "template pack/x.hbs, line 2, column 1: there is no value named `project.nmae`; the values templates see are listed in docs/templates.md (\"The render context\")"
        );
    }

    #[test]
    fn syntax_errors_give_the_position() {
        let e = handlebars::template::Template::compile("ok\n{{#if x}}").unwrap_err();
        let text = template_error("t.hbs", e).to_string();
        assert!(text.starts_with("template t.hbs, line 2"), "{text}");
        assert!(!text.contains("Some("), "{text}");
    }
}
