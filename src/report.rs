//! The cohort report (`folio cohort status`): per-learner progress rows
//! turned into a terminal table, a CSV file and a self-contained HTML page
//! with inline SVG charts.
//!
//! Pure: every function returns a string and the caller writes it. All
//! learner-provided text (ids, names, section titles, error messages) is
//! untrusted: HTML-escaped in the page, control and bidi characters replaced
//! in the terminal table, spreadsheet formulas neutralised in the CSV.
//!
//! Every output lists learners in [`sort`] order, whatever the order of
//! [`Report::rows`].

use std::borrow::Cow;
use std::cmp::Reverse;
use std::fmt::Write;

use anyhow::{anyhow, Context, Result};
use serde::Serialize;

/// One section of a learner's README checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionCell {
    /// The section's heading; sections of different learners match by title.
    pub title: String,
    /// Items ticked.
    pub checked: usize,
    /// Items in the section.
    pub total: usize,
}

/// One learner's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Learner id (e.g. GitHub handle).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Checklist items ticked, over all sections.
    pub checked: usize,
    /// Checklist items, over all sections.
    pub total: usize,
    /// Overall progress, 0..=100 (larger values are shown as 100).
    pub percent: u8,
    /// Per-section progress, in README order.
    pub sections: Vec<SectionCell>,
    /// Checklist items the learner added to the template's.
    pub added: usize,
    /// Template checklist items the learner removed.
    pub removed: usize,
    /// Number of commits.
    pub commits: usize,
    /// Unix seconds of the last commit.
    pub last_commit: Option<i64>,
    /// `Some(passed)` when verification ran.
    pub verify: Option<bool>,
    /// Why the repo could not be fetched or read; the other fields are then
    /// meaningless.
    pub error: Option<String>,
}

/// What the report is about.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Report<'a> {
    /// Title of the page (e.g. the cohort's name).
    pub title: &'a str,
    /// One row per learner, in any order.
    pub rows: &'a [Row],
    /// Unix seconds the report is made at ("N days ago", staleness).
    pub now: i64,
    /// A learner with no commit for this many days is stale.
    pub stale_days: u32,
}

const DAY: i64 = 86_400;

/// Sorts by percent descending, then id (then name); rows with an error last,
/// by id.
pub fn sort(rows: &mut [Row]) {
    rows.sort_by(|a, b| key(a).cmp(&key(b)));
}

fn key(r: &Row) -> (bool, Reverse<u8>, &str, &str) {
    let percent = if r.error.is_some() {
        0
    } else {
        r.percent.min(100)
    };
    (r.error.is_some(), Reverse(percent), &r.id, &r.name)
}

/// The rows in [`sort`] order, without copying them.
fn ordered(rows: &[Row]) -> Vec<&Row> {
    let mut v: Vec<&Row> = rows.iter().collect();
    v.sort_by(|a, b| key(a).cmp(&key(b)));
    v
}

/// True when the learner has made no commit for `stale_days` days, or no
/// commit at all. A row with an error is never stale: its commits are
/// unknown, and it is reported as an error instead.
pub fn stale(row: &Row, now: i64, stale_days: u32) -> bool {
    if row.error.is_some() {
        return false;
    }
    match row.last_commit {
        None => true,
        Some(t) => now.saturating_sub(t) >= i64::from(stale_days) * DAY,
    }
}

/// Figures for the header and the table's footer.
struct Summary {
    learners: usize,
    /// Mean percent of the rows without an error; `None` when there are none.
    average: Option<u8>,
    stale: usize,
    failed: usize,
    errors: usize,
}

fn summary(report: &Report) -> Summary {
    let ok: Vec<&Row> = report.rows.iter().filter(|r| r.error.is_none()).collect();
    let sum: usize = ok.iter().map(|r| usize::from(r.percent.min(100))).sum();
    let average =
        (!ok.is_empty()).then(|| u8::try_from((sum + ok.len() / 2) / ok.len()).unwrap_or(100));
    Summary {
        learners: report.rows.len(),
        average,
        stale: ok
            .iter()
            .filter(|r| stale(r, report.now, report.stale_days))
            .count(),
        failed: ok.iter().filter(|r| r.verify == Some(false)).count(),
        errors: report.rows.len() - ok.len(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// ---------------------------------------------------------------- dates

/// `2026-05-28T12:00:00Z`; `None` outside years 0..=9999.
fn rfc3339(ts: i64) -> Option<String> {
    crate::progress::rfc3339(ts)
}

/// `2026-05-28`, or `?` for an out-of-range time.
fn date(ts: i64) -> String {
    rfc3339(ts).map_or_else(|| "?".into(), |t| t[..10].to_string())
}

/// `under an hour ago`, `5 hours ago`, `1 day ago`, `12 days ago`, `in the
/// future`.
fn ago(ts: i64, now: i64) -> String {
    let diff = now.saturating_sub(ts);
    if diff < 0 {
        return "in the future".into();
    }
    match (diff / DAY, diff / 3600) {
        (0, 0) => "under an hour ago".into(),
        (0, 1) => "1 hour ago".into(),
        (0, h) => format!("{h} hours ago"),
        (1, _) => "1 day ago".into(),
        (d, _) => format!("{d} days ago"),
    }
}

// ---------------------------------------------------------------- text

/// Unicode bidirectional controls, which can reorder the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text safe to print on a terminal: control characters (escape sequences,
/// newlines) and bidi controls become U+FFFD.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Shortens `s` to at most `width` terminal columns, ending with `…` when cut.
fn truncate(s: &str, width: usize) -> Cow<'_, str> {
    if console::measure_text_width(s) <= width {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut used = 0;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let w = console::measure_text_width(c.encode_utf8(&mut buf));
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// The first line of an error message, shortened.
fn short_error(e: &str, width: usize) -> String {
    let first = e
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let first = if e.trim().lines().nth(1).is_some() {
        format!("{first} …")
    } else {
        first.to_string()
    };
    truncate(&first, width).into_owned()
}

/// Pads to `width` terminal columns.
fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(console::measure_text_width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// `#######...` for 70%.
fn text_bar(percent: u8) -> String {
    let filled = (usize::from(percent.min(100)) + 5) / 10;
    format!("{}{}", "#".repeat(filled), ".".repeat(10 - filled))
}

fn verify_word(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "pass",
        Some(false) => "FAIL",
        None => "-",
    }
}

/// An aligned text table for the terminal, ending with a summary line.
pub fn table(report: &Report) -> String {
    const ID: usize = 20;
    const NAME: usize = 28;
    const ERROR: usize = 50;
    let rows = ordered(report.rows);
    let fractions: Vec<String> = rows
        .iter()
        .map(|r| format!("{}/{}", r.checked, r.total))
        .collect();
    let frac_w = fractions.iter().map(String::len).max().unwrap_or(0);

    let mut lines: Vec<[String; 7]> = vec![[
        "LEARNER".into(),
        "NAME".into(),
        "PROGRESS".into(),
        "BAR".into(),
        "LAST COMMIT".into(),
        "VERIFY".into(),
        "FLAGS".into(),
    ]];
    for (r, frac) in rows.iter().zip(&fractions) {
        let id = truncate(&plain(&r.id), ID).into_owned();
        let name = truncate(&plain(&r.name), NAME).into_owned();
        if let Some(e) = &r.error {
            let flag = format!("error: {}", short_error(&plain_lines(e), ERROR));
            lines.push([
                id,
                name,
                "-".into(),
                String::new(),
                "-".into(),
                "-".into(),
                flag,
            ]);
            continue;
        }
        let progress = format!(
            "{} {:>4}",
            pad(frac, frac_w, true),
            format!("{}%", r.percent.min(100))
        );
        let last = r.last_commit.map_or_else(
            || "never".into(),
            |t| format!("{} ({})", date(t), ago(t, report.now)),
        );
        let flags = if stale(r, report.now, report.stale_days) {
            "stale"
        } else {
            ""
        };
        lines.push([
            id,
            name,
            progress,
            text_bar(r.percent),
            last,
            verify_word(r.verify).into(),
            flags.into(),
        ]);
    }

    let mut widths = [0usize; 7];
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(console::measure_text_width(cell));
        }
    }
    let mut out = String::new();
    if !report.title.trim().is_empty() {
        let _ = writeln!(out, "{}\n", plain(report.title));
    }
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(widths)
            .map(|(c, w)| pad(c, w, false))
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    let s = summary(report);
    let average = s.average.map_or_else(|| "-".into(), |a| format!("{a}%"));
    let _ = write!(
        out,
        "\n{}, average {average}, {} stale (no commit for {}), {} failed verification",
        plural(s.learners, "learner", "learners"),
        s.stale,
        plural(report.stale_days as usize, "day", "days"),
        s.failed,
    );
    if s.errors > 0 {
        let _ = write!(out, ", {} could not be read", s.errors);
    }
    out.push('\n');
    out
}

/// Error text with its line breaks kept as breaks (for [`short_error`]) but
/// every other control character replaced.
fn plain_lines(s: &str) -> String {
    s.lines().map(plain).collect::<Vec<_>>().join("\n")
}

// ---------------------------------------------------------------- CSV

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
/// first) gets a leading `'`, the usual defence against CSV injection.
fn cell(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Section titles over all rows, in first-seen order, each once.
fn section_titles<'a>(rows: &[&'a Row]) -> Vec<&'a str> {
    let mut titles: Vec<&str> = Vec::new();
    for r in rows.iter().filter(|r| r.error.is_none()) {
        for s in &r.sections {
            if !titles.contains(&s.title.as_str()) {
                titles.push(&s.title);
            }
        }
    }
    titles
}

/// A row's (checked, total) for a section title, summed over sections of that
/// title; `None` when the row has no such section.
fn section_of(row: &Row, title: &str) -> Option<(usize, usize)> {
    row.sections
        .iter()
        .filter(|s| s.title == title)
        .fold(None, |acc, s| {
            let (c, t) = acc.unwrap_or((0, 0));
            Some((c + s.checked, t + s.total))
        })
}

/// One CSV line per learner: `id,name,checked,total,percent,added,removed,
/// commits,last_commit,stale,verify,error`, then one `section: TITLE` column
/// per section title with `checked/total` (empty when the learner's README
/// has no such section). `last_commit` is RFC 3339 UTC or empty; `stale` is
/// `true`/`false`; `verify` is `pass`, `fail` or empty.
pub fn csv(report: &Report) -> Result<String> {
    let rows = ordered(report.rows);
    let titles = section_titles(&rows);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "id",
        "name",
        "checked",
        "total",
        "percent",
        "added",
        "removed",
        "commits",
        "last_commit",
        "stale",
        "verify",
        "error",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(titles.iter().map(|t| format!("section: {t}")));
    w.write_record(&header).context("writing the CSV header")?;
    for r in rows {
        let ok = r.error.is_none();
        let num = |n: usize| if ok { n.to_string() } else { String::new() };
        let mut record: Vec<String> = vec![
            cell(&r.id).into_owned(),
            cell(&r.name).into_owned(),
            num(r.checked),
            num(r.total),
            if ok {
                r.percent.min(100).to_string()
            } else {
                String::new()
            },
            num(r.added),
            num(r.removed),
            num(r.commits),
            r.last_commit.and_then(rfc3339).unwrap_or_default(),
            if ok {
                stale(r, report.now, report.stale_days).to_string()
            } else {
                String::new()
            },
            match r.verify {
                Some(true) => "pass".into(),
                Some(false) => "fail".into(),
                None => String::new(),
            },
            r.error
                .as_deref()
                .map(|e| cell(e).into_owned())
                .unwrap_or_default(),
        ];
        record.extend(titles.iter().map(|t| {
            section_of(r, t)
                .map(|(c, t)| format!("{c}/{t}"))
                .unwrap_or_default()
        }));
        w.write_record(&record)
            .with_context(|| format!("writing the CSV line of {}", r.id))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow!("writing the CSV: {}", e.error()))?;
    String::from_utf8(bytes).context("the CSV is not UTF-8")
}

// ---------------------------------------------------------------- HTML

/// Escapes text for HTML element content and quoted attribute values;
/// characters HTML forbids (controls other than tab and line breaks) become
/// U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Fill colour of progress bars (the browser test looks for it).
pub const BAR_COLOUR: &str = "#2563eb";
/// Fill colour of stale learners' bars.
pub const STALE_COLOUR: &str = "#d97706";

const CSS: &str = r#"
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bar: #2563eb; --stale: #d97706; --bad: #b91c1c; --good: #15803d; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; }
h1 { font-size: 24px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 32px 0 8px; }
.generated, .note { color: var(--muted); margin: 0 0 16px; }
.stats { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; padding: 0; list-style: none; }
.stats li { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 140px; }
.stats .value { display: block; font-size: 22px; font-weight: 650; }
.stats .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.stats .warn .value { color: var(--stale); }
.stats .bad .value { color: var(--bad); }
.legend { display: flex; flex-wrap: wrap; gap: 16px; color: var(--muted); font-size: 12px; margin: 0 0 8px; padding: 0; list-style: none; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; }
svg.chart { display: block; width: 100%; max-width: 1000px; height: auto; font-family: inherit; }
svg text { font-size: 12px; fill: var(--ink); }
svg .axis text { fill: var(--muted); font-size: 11px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .track { fill: #f3f4f6; }
svg .bar, svg .section-bar { fill: var(--bar); }
svg .bar.stale { fill: var(--stale); }
svg .marker { fill: var(--stale); font-weight: 700; }
svg .error-text { fill: var(--bad); font-weight: 600; }
svg .empty { fill: var(--muted); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f9fafb; font-weight: 600; white-space: nowrap; }
th.section { white-space: normal; min-width: 3.5em; max-width: 8em; overflow-wrap: break-word; }
.ago { display: block; color: var(--muted); font-size: 12px; }
.nowrap { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { overflow-wrap: anywhere; }
td.name bdi { display: inline-block; min-width: 11em; max-width: 24em; }
td.error { overflow-wrap: anywhere; min-width: 12em; }
tr.stale td:first-child { box-shadow: inset 4px 0 0 var(--stale); }
.tag-stale { color: var(--stale); font-weight: 700; }
.pass { color: var(--good); font-weight: 600; }
.fail { color: var(--bad); font-weight: 700; }
.error { color: var(--bad); }
@media print {
  @page { margin: 12mm; }
  body { padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .table-wrap { overflow: visible; }
  table { font-size: 7.5pt; }
  th, td { padding: 2px 4px; }
  td.name bdi { min-width: 8em; }
  .ago { font-size: 7pt; }
  tr, .stats li { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"#;

/// Horizontal chart geometry (SVG user units).
const WIDTH: u32 = 1000;
const LABEL_W: u32 = 320;
const BAR_X: u32 = 330;
const BAR_W: u32 = 520;
const ROW_H: u32 = 24;
const BAR_H: u32 = 16;
const TOP: u32 = 26;
/// Chart labels are cut to this many columns (full text in `<title>`).
const LABEL_COLS: usize = 44;

/// Width of a bar for `percent`, in SVG units (one decimal).
fn bar_width(percent: f64) -> String {
    format!("{:.1}", BAR_W as f64 * percent.clamp(0.0, 100.0) / 100.0)
}

fn chart_start(out: &mut String, id: &str, label: &str, rows: usize) -> u32 {
    let height = TOP + ROW_H * u32::try_from(rows.max(1)).unwrap_or(u32::MAX / ROW_H / 2) + 8;
    let _ = writeln!(
        out,
        r#"<svg id="{id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{}" shape-rendering="crispEdges">"#,
        escape(label)
    );
    let _ = writeln!(out, r#"<g class="axis">"#);
    for p in [0u32, 25, 50, 75, 100] {
        let x = BAR_X + BAR_W * p / 100;
        let _ = writeln!(
            out,
            r#"<line class="grid" x1="{x}" y1="{}" x2="{x}" y2="{}"/><text x="{x}" y="14" text-anchor="middle">{p}%</text>"#,
            TOP - 4,
            height - 4
        );
    }
    let _ = writeln!(out, "</g>");
    height
}

/// `Name (id)`, or the id alone when the name is empty or the same.
fn who(r: &Row) -> String {
    let name = r.name.trim();
    if name.is_empty() || name == r.id {
        r.id.clone()
    } else {
        format!("{name} ({})", r.id)
    }
}

fn progress_chart(out: &mut String, report: &Report, rows: &[&Row]) {
    let _ = chart_start(out, "progress-chart", "Progress per learner", rows.len());
    if rows.is_empty() {
        let _ = writeln!(
            out,
            r#"<text class="empty" x="{BAR_X}" y="{}">No learners.</text>"#,
            TOP + 16
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + ROW_H * u32::try_from(i).unwrap_or(0);
        let text_y = y + ROW_H / 2 + 4;
        let bar_y = y + (ROW_H - BAR_H) / 2;
        let is_stale = stale(r, report.now, report.stale_days);
        let id = escape(&r.id);
        let full = who(r);
        let classes = match (&r.error, is_stale) {
            (Some(_), _) => "learner error",
            (None, true) => "learner stale",
            (None, false) => "learner",
        };
        let _ = writeln!(out, r#"<g class="{classes}" data-learner="{id}">"#);
        let tooltip = match (&r.error, is_stale) {
            (Some(e), _) => format!("{full}: error: {e}"),
            (None, true) => format!(
                "{full}: {}% ({}/{}), stale",
                r.percent.min(100),
                r.checked,
                r.total
            ),
            (None, false) => format!(
                "{full}: {}% ({}/{})",
                r.percent.min(100),
                r.checked,
                r.total
            ),
        };
        let _ = writeln!(out, "<title>{}</title>", escape(&tooltip));
        let label = truncate(&full, LABEL_COLS);
        let _ = writeln!(
            out,
            r#"<text class="label" x="{}" y="{text_y}" text-anchor="end">{}</text>"#,
            LABEL_W,
            escape(&label)
        );
        let _ = writeln!(
            out,
            r#"<rect class="track" x="{BAR_X}" y="{bar_y}" width="{BAR_W}" height="{BAR_H}"/>"#
        );
        let value_x = BAR_X + BAR_W + 8;
        match &r.error {
            Some(e) => {
                let _ = writeln!(
                    out,
                    r#"<text class="error-text" x="{}" y="{text_y}">error: {}</text>"#,
                    BAR_X + 6,
                    escape(&short_error(e, 80))
                );
            }
            None => {
                let p = r.percent.min(100);
                let (class, fill) = if is_stale {
                    ("bar stale", STALE_COLOUR)
                } else {
                    ("bar", BAR_COLOUR)
                };
                let _ = writeln!(
                    out,
                    r#"<rect class="{class}" data-learner="{id}" x="{BAR_X}" y="{bar_y}" width="{}" height="{BAR_H}" fill="{fill}"/>"#,
                    bar_width(f64::from(p))
                );
                let _ = write!(
                    out,
                    r#"<text class="value" x="{value_x}" y="{text_y}">{p}%"#
                );
                if is_stale {
                    let _ = write!(out, r#"<tspan class="marker" dx="6">⚠ stale</tspan>"#);
                }
                let _ = writeln!(out, "</text>");
            }
        }
        let _ = writeln!(out, "</g>");
    }
    let _ = writeln!(out, "</svg>");
}

fn section_chart(out: &mut String, rows: &[&Row]) {
    let titles = section_titles(rows);
    let _ = chart_start(
        out,
        "section-chart",
        "Completion per checklist section",
        titles.len(),
    );
    if titles.is_empty() {
        let _ = writeln!(
            out,
            r#"<text class="empty" x="{BAR_X}" y="{}">No checklist sections.</text>"#,
            TOP + 16
        );
    }
    for (i, title) in titles.iter().enumerate() {
        let (checked, total) = rows
            .iter()
            .filter(|r| r.error.is_none())
            .filter_map(|r| section_of(r, title))
            .fold((0usize, 0usize), |(c, t), (c2, t2)| (c + c2, t + t2));
        let y = TOP + ROW_H * u32::try_from(i).unwrap_or(0);
        let text_y = y + ROW_H / 2 + 4;
        let bar_y = y + (ROW_H - BAR_H) / 2;
        let t = escape(title);
        let _ = writeln!(out, r#"<g class="section" data-section="{t}">"#);
        let value = if total == 0 {
            "no items".to_string()
        } else {
            let pct = checked as f64 * 100.0 / total as f64;
            format!("{:.0}% ({checked}/{total})", pct.floor())
        };
        let _ = writeln!(out, "<title>{t}: {}</title>", escape(&value));
        let _ = writeln!(
            out,
            r#"<text class="label" x="{LABEL_W}" y="{text_y}" text-anchor="end">{}</text>"#,
            escape(&truncate(title, LABEL_COLS))
        );
        let _ = writeln!(
            out,
            r#"<rect class="track" x="{BAR_X}" y="{bar_y}" width="{BAR_W}" height="{BAR_H}"/>"#
        );
        if total > 0 {
            let _ = writeln!(
                out,
                r#"<rect class="section-bar" data-section="{t}" x="{BAR_X}" y="{bar_y}" width="{}" height="{BAR_H}" fill="{BAR_COLOUR}"/>"#,
                bar_width(checked as f64 * 100.0 / total as f64)
            );
        }
        let _ = writeln!(
            out,
            r#"<text class="value" x="{}" y="{text_y}">{}</text>"#,
            BAR_X + BAR_W + 8,
            escape(&value)
        );
        let _ = writeln!(out, "</g>");
    }
    let _ = writeln!(out, "</svg>");
}

fn learner_table(out: &mut String, report: &Report, rows: &[&Row]) {
    let titles = section_titles(rows);
    let _ = writeln!(out, r#"<div class="table-wrap"><table id="learners">"#);
    let _ = write!(
        out,
        "<thead><tr><th>#</th><th>Learner</th><th>Name</th><th>Progress</th><th>%</th>"
    );
    for t in &titles {
        let _ = write!(
            out,
            r#"<th class="section" title="{0}">{0}</th>"#,
            escape(t)
        );
    }
    let _ = writeln!(
        out,
        r#"<th title="checklist items added / removed compared with the template">Items +/−</th><th>Commits</th><th>Last commit</th><th>Stale</th><th>Verify</th><th>Error</th></tr></thead>"#
    );
    let _ = writeln!(out, "<tbody>");
    if rows.is_empty() {
        let _ = writeln!(
            out,
            r#"<tr><td colspan="{}">No learners.</td></tr>"#,
            11 + titles.len()
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let is_stale = stale(r, report.now, report.stale_days);
        let class = if r.error.is_some() {
            "error-row"
        } else if is_stale {
            "stale"
        } else {
            "ok"
        };
        let id = escape(&r.id);
        let _ = write!(
            out,
            r#"<tr class="{class}" data-learner="{id}"><td class="num">{}</td><td><bdi>{id}</bdi></td><td class="name"><bdi>{}</bdi></td>"#,
            i + 1,
            escape(&r.name)
        );
        if let Some(e) = &r.error {
            let blanks = "<td></td>".repeat(2 + titles.len() + 5);
            let _ = writeln!(
                out,
                r#"{blanks}<td class="error"><bdi>{}</bdi></td></tr>"#,
                escape(e)
            );
            continue;
        }
        let _ = write!(
            out,
            r#"<td class="num">{}/{}</td><td class="num">{}%</td>"#,
            r.checked,
            r.total,
            r.percent.min(100)
        );
        for t in &titles {
            match section_of(r, t) {
                Some((c, total)) => {
                    let _ = write!(out, r#"<td class="num">{c}/{total}</td>"#);
                }
                None => out.push_str(r#"<td class="num">-</td>"#),
            }
        }
        let last = match r.last_commit {
            Some(t) => match rfc3339(t) {
                Some(stamp) => format!(
                    r#"<time class="nowrap" datetime="{stamp}">{}</time><span class="ago">{}</span>"#,
                    date(t),
                    ago(t, report.now)
                ),
                None => "?".into(),
            },
            None => "never".into(),
        };
        let verify = match r.verify {
            Some(true) => r#"<span class="pass">pass</span>"#,
            Some(false) => r#"<span class="fail">FAIL</span>"#,
            None => "-",
        };
        let _ = writeln!(
            out,
            r#"<td class="num">+{} −{}</td><td class="num">{}</td><td>{last}</td><td class="nowrap">{}</td><td>{verify}</td><td></td></tr>"#,
            r.added,
            r.removed,
            r.commits,
            if is_stale {
                r#"<span class="tag-stale">⚠ stale</span>"#
            } else {
                ""
            },
        );
    }
    let _ = writeln!(out, "</tbody></table></div>");
}

/// A self-contained HTML page: a header with the cohort's figures, a bar
/// chart of every learner's progress (`svg#progress-chart`, one
/// `rect.bar[data-learner]` per learner without an error), a bar chart of
/// each checklist section's completion over the cohort (`svg#section-chart`)
/// and a table of everything (`table#learners`). No script and no network:
/// the CSS is inline, the charts inline SVG, and a Content-Security-Policy
/// forbids anything else.
pub fn html(report: &Report) -> String {
    let rows = ordered(report.rows);
    let s = summary(report);
    let title = if report.title.trim().is_empty() {
        "Cohort progress"
    } else {
        report.title
    };
    let title = escape(title);
    let generated = rfc3339(report.now).map_or_else(
        || "?".into(),
        |t| t.replacen('T', " ", 1).replace('Z', " UTC"),
    );
    let mut out = String::with_capacity(8192 + rows.len() * 2048);
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(out, r#"<html lang="en"><head><meta charset="utf-8">"#);
    let _ = writeln!(
        out,
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#
    );
    let _ = writeln!(
        out,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
    );
    let _ = writeln!(
        out,
        r#"<meta name="generator" content="folio {}">"#,
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        out,
        "<title>{title}</title>\n<style>{CSS}</style>\n</head><body><main>"
    );
    let _ = writeln!(out, "<header><h1>{title}</h1>");
    let _ = writeln!(
        out,
        r#"<p class="generated">Generated {generated} by folio cohort status.</p>"#
    );
    let average = s.average.map_or_else(|| "-".into(), |a| format!("{a}%"));
    let _ = writeln!(out, r#"<ul class="stats" id="stats">"#);
    let stat = |out: &mut String, class: &str, id: &str, value: &str, label: &str| {
        let _ = writeln!(
            out,
            r#"<li class="{class}" id="stat-{id}"><span class="value">{value}</span><span class="label">{label}</span></li>"#
        );
    };
    stat(
        &mut out,
        "",
        "learners",
        &s.learners.to_string(),
        "learners",
    );
    stat(&mut out, "", "average", &average, "cohort average");
    let stale_label = format!(
        "stale (no commit for {})",
        plural(report.stale_days as usize, "day", "days")
    );
    stat(
        &mut out,
        if s.stale > 0 { "warn" } else { "" },
        "stale",
        &s.stale.to_string(),
        &stale_label,
    );
    stat(
        &mut out,
        if s.failed > 0 { "bad" } else { "" },
        "failed",
        &s.failed.to_string(),
        "failed verification",
    );
    if s.errors > 0 {
        stat(
            &mut out,
            "bad",
            "errors",
            &s.errors.to_string(),
            "could not be read",
        );
    }
    let _ = writeln!(out, "</ul></header>");

    let _ = writeln!(out, "<section><h2>Progress per learner</h2>");
    let _ = writeln!(
        out,
        r#"<ul class="legend"><li><span class="swatch" style="background:{BAR_COLOUR}"></span>checklist done</li><li><span class="swatch" style="background:{STALE_COLOUR}"></span>⚠ stale: no commit for {}</li><li><span class="swatch" style="background:#f3f4f6;border:1px solid #e5e7eb"></span>to do</li></ul>"#,
        plural(report.stale_days as usize, "day", "days")
    );
    progress_chart(&mut out, report, &rows);
    let _ = writeln!(out, "</section>");

    let _ = writeln!(out, "<section><h2>Completion per checklist section</h2>");
    let _ = writeln!(
        out,
        r#"<p class="note">Items checked over items in the section, summed over the learners whose repo could be read.</p>"#
    );
    section_chart(&mut out, &rows);
    let _ = writeln!(out, "</section>");

    let _ = writeln!(out, "<section><h2>All learners</h2>");
    learner_table(&mut out, report, &rows);
    let _ = writeln!(out, "</section>\n</main></body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    fn row(id: &str, name: &str, checked: usize, total: usize) -> Row {
        let percent = (checked * 100)
            .checked_div(total)
            .map_or(0, |p| u8::try_from(p).unwrap_or(100));
        Row {
            id: id.into(),
            name: name.into(),
            checked,
            total,
            percent,
            sections: vec![
                SectionCell {
                    title: "Setup".into(),
                    checked: checked.min(4),
                    total: total.min(4),
                },
                SectionCell {
                    title: "API".into(),
                    checked: checked.saturating_sub(4),
                    total: total.saturating_sub(4),
                },
            ],
            added: 0,
            removed: 0,
            commits: 3,
            last_commit: Some(NOW - 2 * DAY),
            verify: None,
            error: None,
        }
    }

    fn failed(id: &str, error: &str) -> Row {
        Row {
            sections: vec![],
            checked: 0,
            total: 0,
            percent: 0,
            commits: 0,
            last_commit: None,
            error: Some(error.into()),
            ..row(id, "", 0, 0)
        }
    }

    fn report(rows: &[Row]) -> Report<'_> {
        Report {
            title: "Cohort 7",
            rows,
            now: NOW,
            stale_days: 14,
        }
    }

    #[test]
    fn sort_by_percent_then_id_errors_last() {
        let mut rows = vec![
            failed("aaa", "gone"),
            row("zed", "Z", 5, 10),
            row("bob", "B", 10, 10),
            failed("000", "gone"),
            row("amy", "A", 5, 10),
            row("cat", "C", 0, 10),
        ];
        sort(&mut rows);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["bob", "amy", "zed", "cat", "000", "aaa"]);
    }

    #[test]
    fn stale_means_no_commit_for_stale_days() {
        let mut r = row("a", "A", 1, 2);
        r.last_commit = Some(NOW - 14 * DAY);
        assert!(stale(&r, NOW, 14));
        r.last_commit = Some(NOW - 14 * DAY + 1);
        assert!(!stale(&r, NOW, 14));
        r.last_commit = Some(NOW + DAY); // clock skew: a commit from the future
        assert!(!stale(&r, NOW, 14));
        r.last_commit = Some(i64::MIN);
        assert!(stale(&r, NOW, 14));
        r.last_commit = None;
        assert!(stale(&r, NOW, 14));
        assert!(
            !stale(&failed("b", "x"), NOW, 14),
            "an unreadable repo is an error, not stale"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            rfc3339(951_782_400).as_deref(),
            Some("2000-02-29T00:00:00Z")
        );
        assert_eq!(rfc3339(-1).as_deref(), Some("1969-12-31T23:59:59Z"));
        assert_eq!(rfc3339(NOW).as_deref(), Some("2026-05-28T20:26:40Z"));
        assert_eq!(rfc3339(i64::MAX), None);
        assert_eq!(rfc3339(i64::MIN), None);
        assert_eq!(ago(NOW - 1, NOW), "under an hour ago");
        assert_eq!(ago(NOW - 3600, NOW), "1 hour ago");
        assert_eq!(ago(NOW - DAY + 1, NOW), "23 hours ago");
        assert_eq!(ago(NOW - DAY, NOW), "1 day ago");
        assert_eq!(ago(NOW - 30 * DAY - 5, NOW), "30 days ago");
        assert_eq!(ago(NOW + 5, NOW), "in the future");
        assert_eq!(ago(i64::MIN, NOW), format!("{} days ago", i64::MAX / DAY));
    }

    const HOSTILE: [&str; 6] = [
        "<script>alert(1)</script>",
        r#""><img src=x onerror=alert(1)>"#,
        "' onmouseover='alert(1)",
        "Tom & Jerry &amp; co",
        "</title></svg></table><script>x</script>",
        "Zoë Ñandú 日本語 🚀 \u{202E}evil\u{0}\u{1b}[31m",
    ];

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("Zoë 日本 🚀"), "Zoë 日本 🚀");
        assert_eq!(escape("a\u{0}b\u{1b}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
        for h in HOSTILE {
            let e = escape(h);
            assert!(!e.contains(['<', '>', '"', '\'']), "{e}");
            assert!(
                !e.replace("&amp;", "")
                    .replace("&lt;", "")
                    .replace("&gt;", "")
                    .replace("&quot;", "")
                    .replace("&#39;", "")
                    .contains('&'),
                "{e}"
            );
        }
    }

    #[test]
    fn hostile_text_never_appears_raw_in_html() {
        let mut rows: Vec<Row> = HOSTILE
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let mut r = row(&format!("{h}-{i}"), h, i, 8);
                r.sections[0].title = format!("{h} section");
                r
            })
            .collect();
        rows.push(failed(
            "<b>err</b>",
            "fetch failed: <script>alert(2)</script> & \"more\"",
        ));
        let title = "<script>t</script> & co";
        let page = html(&Report {
            title,
            ..report(&rows)
        });
        for h in HOSTILE
            .iter()
            .chain(["<b>err</b>", "<script>alert(2)</script>", title].iter())
        {
            assert!(!page.contains(h), "raw {h:?} in the page");
        }
        assert!(!page.contains("<script"));
        assert!(!page.contains("<img"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("Tom &amp; Jerry &amp;amp; co"));
        assert!(page.contains("Zoë Ñandú 日本語 🚀"));
        assert!(!page.contains('\u{0}') && !page.contains('\u{1b}'));
        assert!(page.contains(r#"Content-Security-Policy" content="default-src 'none'"#));
    }

    #[test]
    fn csv_quotes_and_parses_back() {
        let names = [
            "Smith, Jane",
            "Say \"hi\"",
            "two\nlines",
            "crlf\r\nend",
            "  spaced  ",
            "Zoë 日本語",
            "",
        ];
        let mut rows: Vec<Row> = names
            .iter()
            .enumerate()
            .map(|(i, n)| row(&format!("u{i}"), n, i, 8))
            .collect();
        rows[1].sections[1].title = "API, \"v2\"\nnotes".into();
        rows[2].verify = Some(true);
        rows[3].verify = Some(false);
        rows.push(failed("zz", "clone failed: \"auth\", retry\nlater"));
        let text = csv(&report(&rows)).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            [
                "id",
                "name",
                "checked",
                "total",
                "percent",
                "added",
                "removed",
                "commits",
                "last_commit",
                "stale",
                "verify",
                "error",
                "section: Setup",
                "section: API",
                "section: API, \"v2\"\nnotes",
            ]
        );
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), rows.len());
        let mut expected = rows.clone();
        sort(&mut expected);
        for (rec, r) in records.iter().zip(&expected) {
            assert_eq!(&rec[0], r.id);
            assert_eq!(&rec[1], r.name, "names round-trip exactly");
        }
        let by_id = |id: &str| records.iter().find(|r| &r[0] == id).unwrap().clone();
        let u6 = by_id("u6");
        assert_eq!(
            u6.iter().collect::<Vec<_>>(),
            [
                "u6",
                "",
                "6",
                "8",
                "75",
                "0",
                "0",
                "3",
                "2026-05-26T20:26:40Z",
                "false",
                "",
                "",
                "4/4",
                "2/4",
                ""
            ]
        );
        assert_eq!(&by_id("u1")[14], "0/4");
        assert_eq!(&by_id("u1")[13], "");
        assert_eq!(&by_id("u2")[10], "pass");
        assert_eq!(&by_id("u3")[10], "fail");
        let zz = by_id("zz");
        assert_eq!(
            zz.iter().collect::<Vec<_>>()[2..],
            [
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "clone failed: \"auth\", retry\nlater",
                "",
                "",
                ""
            ]
        );
    }

    #[test]
    fn csv_neutralises_spreadsheet_formulas() {
        let rows = [
            row("@evil", "=HYPERLINK(\"http://x\")", 1, 2),
            row("ok", "-2+3", 1, 2),
            failed("e", "+cmd"),
        ];
        let text = csv(&report(&rows)).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let recs: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(&recs[0][0], "'@evil");
        assert_eq!(&recs[0][1], "'=HYPERLINK(\"http://x\")");
        assert_eq!(&recs[1][1], "'-2+3");
        assert_eq!(&recs[2][11], "'+cmd");
    }

    #[test]
    fn csv_with_no_learners_is_a_header() {
        assert_eq!(
            csv(&report(&[])).unwrap(),
            "id,name,checked,total,percent,added,removed,commits,last_commit,stale,verify,error\n"
        );
    }

    fn fixed_rows() -> Vec<Row> {
        let mut alice = row("alice", "Alice Martin", 10, 12);
        alice.verify = Some(true);
        alice.last_commit = Some(NOW - 3600);
        let mut bob = row("bob", "Bob \u{1b}[31mRed\u{1b}[0m", 3, 12);
        bob.verify = Some(false);
        bob.last_commit = Some(NOW - 20 * DAY);
        let mut chen = row(
            "chen-wei",
            "陈伟 (Chen Wei) with a very long display name indeed",
            6,
            12,
        );
        chen.last_commit = None;
        chen.commits = 0;
        let dan = failed(
            "dan",
            "git clone: repository not found\n(hint: check the URL)",
        );
        vec![bob, dan, chen, alice]
    }

    #[test]
    fn table_as_text() {
        let rows = fixed_rows();
        let text = table(&report(&rows));
        let expected = "\
Cohort 7

LEARNER   NAME                          PROGRESS    BAR         LAST COMMIT               VERIFY  FLAGS
alice     Alice Martin                  10/12  83%  ########..  2026-05-28 (1 hour ago)   pass
chen-wei  陈伟 (Chen Wei) with a very…   6/12  50%  #####.....  never                     -       stale
bob       Bob \u{FFFD}[31mRed\u{FFFD}[0m               3/12  25%  ###.......  2026-05-08 (20 days ago)  FAIL    stale
dan                                     -                       -                         -       error: git clone: repository not found …

4 learners, average 53%, 2 stale (no commit for 14 days), 1 failed verification, 1 could not be read
";
        assert_eq!(text, expected, "\n{text}");
    }

    #[test]
    fn table_with_no_learners() {
        let text = table(&Report {
            title: "",
            rows: &[],
            now: NOW,
            stale_days: 1,
        });
        assert_eq!(
            text,
            "LEARNER  NAME  PROGRESS  BAR  LAST COMMIT  VERIFY  FLAGS\n\n0 learners, average -, 0 stale (no commit for 1 day), 0 failed verification\n"
        );
    }

    #[test]
    fn html_edge_cases() {
        // No learners.
        let page = html(&report(&[]));
        assert!(page.contains(r#"<svg id="progress-chart""#) && page.contains("No learners."));
        assert!(page.contains("No checklist sections."));
        assert!(!page.contains(r#"class="bar""#));

        // No checklist items at all: no division by zero, no section bar.
        let mut r = row("z", "Zero", 0, 0);
        r.sections = vec![SectionCell {
            title: "Empty".into(),
            checked: 0,
            total: 0,
        }];
        let page = html(&report(std::slice::from_ref(&r)));
        assert!(
            page.contains(r#"class="bar" data-learner="z""#) && page.contains(r#"width="0.0""#)
        );
        assert!(page.contains("no items") && !page.contains("section-bar\""));

        // A very long name: cut with an ellipsis in the chart, whole in the
        // table and the tooltip.
        let long = "Maximilian ".repeat(12);
        let page = html(&report(&[row("max", long.trim(), 1, 2)]));
        let label = page.split(r#"<text class="label""#).nth(1).unwrap();
        let label = &label[label.find('>').unwrap() + 1..label.find("</text>").unwrap()];
        assert!(
            label.ends_with('…') && label.chars().count() <= LABEL_COLS,
            "{label}"
        );
        assert!(page.contains(&format!("<bdi>{}</bdi>", long.trim())));
        assert!(page.contains(&format!("<title>{} (max): 50% (1/2)</title>", long.trim())));

        // 250 learners: the chart grows.
        let many: Vec<Row> = (0..250)
            .map(|i| row(&format!("l{i:03}"), "N", i % 9, 8))
            .collect();
        let page = html(&report(&many));
        assert_eq!(page.matches(r#"<rect class="bar""#).count(), 250);
        let height = TOP + ROW_H * 250 + 8;
        assert!(page.contains(&format!(r#"<svg id="progress-chart" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}""#)));
    }

    #[test]
    fn html_header_and_flags() {
        let rows = fixed_rows();
        let page = html(&report(&rows));
        assert!(page.contains("<title>Cohort 7</title>"));
        assert!(page.contains("Generated 2026-05-28 20:26:40 UTC"));
        for (id, value) in [
            ("learners", "4"),
            ("average", "53%"),
            ("stale", "2"),
            ("failed", "1"),
            ("errors", "1"),
        ] {
            assert!(
                page.contains(&format!(
                    r#"id="stat-{id}"><span class="value">{value}</span>"#
                )),
                "{id}"
            );
        }
        // Stale: another colour and a text marker.
        assert!(page.contains(&format!(r#"<rect class="bar stale" data-learner="bob" x="330" y="78" width="130.0" height="16" fill="{STALE_COLOUR}"/>"#)));
        assert_eq!(
            page.matches(r#"<tspan class="marker" dx="6">⚠ stale</tspan>"#)
                .count(),
            2
        );
        assert!(page.contains(&format!(r#"<rect class="bar" data-learner="alice" x="330" y="30" width="431.6" height="16" fill="{BAR_COLOUR}"/>"#)));
        // The error row: no bar, its error shown.
        assert!(!page.contains(r#"class="bar" data-learner="dan""#));
        assert!(page.contains("error: git clone: repository not found …"));
        // Section chart: Setup 4+4+3 of 12, API 6+2+0 of 24.
        assert!(page.contains("<title>Setup: 91% (11/12)</title>"));
        assert!(page.contains("<title>API: 33% (8/24)</title>"));
        assert!(
            page.contains(r#"<span class="pass">pass</span>"#)
                && page.contains(r#"<span class="fail">FAIL</span>"#)
        );
    }
}
