//! Field constraints: what a spec may say about a resource field (minimum,
//! maximum, length, pattern), checked when the catalog loads, and the
//! effective rules every stack enforces, defaults included, so that FastAPI,
//! Express, Rails and Django accept and refuse exactly the same values.

use anyhow::{bail, Result};
use serde::Serialize;
use serde_json::Value;

use crate::catalog::Field;

/// Integer columns are 32-bit in every stack's database.
pub const INTEGER_MIN: f64 = -2_147_483_648.0;
pub const INTEGER_MAX: f64 = 2_147_483_647.0;
/// Decimal columns hold 12 digits, 2 after the point.
pub const DECIMAL_MAX: f64 = 9_999_999_999.99;
/// `string` columns hold at most 255 characters; `text` is capped at this.
pub const STRING_MAX_LENGTH: u32 = 255;
pub const TEXT_MAX_LENGTH: u32 = 10_000;

/// The rules a stack enforces on one field, defaults filled in. Numbers are
/// strings as they are written in code (`"0"`, `"9999999999.99"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rules {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<String>,
    /// As written in the spec: `^...$`, the same in JSON Schema and JavaScript.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The pattern without its `^` and `$`, for languages whose anchors
    /// differ (Ruby's `\A...\z`, Python's `\A...\Z`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern_body: Option<String>,
}

/// The effective rules of a checked field.
pub fn rules(field: &Field) -> Rules {
    let number = |v: f64| format!("{v}");
    let (min_length, max_length) = match field.kind.as_str() {
        "string" => (
            Some(field.min_length.unwrap_or(1)),
            Some(field.max_length.unwrap_or(STRING_MAX_LENGTH)),
        ),
        "text" => (
            Some(field.min_length.unwrap_or(0)),
            Some(field.max_length.unwrap_or(TEXT_MAX_LENGTH)),
        ),
        _ => (None, None),
    };
    let (low, high) = match field.kind.as_str() {
        "integer" => (Some(INTEGER_MIN), Some(INTEGER_MAX)),
        "decimal" => (Some(-DECIMAL_MAX), Some(DECIMAL_MAX)),
        _ => (None, None),
    };
    Rules {
        min_length,
        max_length,
        minimum: low.map(|low| number(field.minimum.unwrap_or(low))),
        maximum: high.map(|high| number(field.maximum.unwrap_or(high))),
        pattern: field.pattern.clone(),
        pattern_body: field
            .pattern
            .as_ref()
            .map(|p| p[1..p.len() - 1].to_string()),
    }
}

/// Two different valid values of a checked field (for create, then update),
/// as JSON: strings, whole numbers, decimals as strings (`"19.99"`), booleans.
pub fn examples(field: &Field) -> (Value, Value) {
    let r = rules(field);
    let bounds = || {
        let parse = |v: &Option<String>| {
            v.as_deref()
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or_default()
        };
        (parse(&r.minimum), parse(&r.maximum))
    };
    let pick = |a: f64, b: f64| {
        let (low, high) = bounds();
        let a = a.clamp(low, high);
        let b = b.clamp(low, high);
        (
            a,
            if a == b {
                if a == high {
                    low
                } else {
                    high
                }
            } else {
                b
            },
        )
    };
    let fit = |s: String| {
        let mut s: String = s
            .chars()
            .take(r.max_length.unwrap_or(u32::MAX) as usize)
            .collect();
        while (s.chars().count() as u32) < r.min_length.unwrap_or(0) {
            s.push('x');
        }
        Value::from(s)
    };
    let name = &field.name;
    match field.kind.as_str() {
        "string" => match field.examples.as_deref() {
            Some([a, b]) => (a.as_str().into(), b.as_str().into()),
            _ => (
                fit(format!("Sample {name}")),
                fit(format!("Changed {name}")),
            ),
        },
        "text" => (
            fit(format!("Some text for {name}.")),
            fit(format!("Changed text for {name}.")),
        ),
        "integer" => {
            let (a, b) = pick(3.0, 7.0);
            ((a as i64).into(), (b as i64).into())
        }
        "decimal" => {
            let (a, b) = pick(19.99, 5.5);
            (format!("{a:.2}").into(), format!("{b:.2}").into())
        }
        _ => (true.into(), false.into()),
    }
}

/// Refuses constraints that do not fit the field's type, bounds outside what
/// its column holds, and patterns that would not mean the same in every stack.
pub fn check(field: &Field) -> Result<()> {
    let name = &field.name;
    let kind = field.kind.as_str();
    let numeric = matches!(kind, "integer" | "decimal");
    let textual = matches!(kind, "string" | "text");
    if !numeric && (field.minimum.is_some() || field.maximum.is_some()) {
        bail!("field {name:?} is a {kind}: minimum and maximum are for integer and decimal fields");
    }
    if !textual && (field.min_length.is_some() || field.max_length.is_some()) {
        bail!(
            "field {name:?} is a {kind}: min_length and max_length are for string and text fields"
        );
    }
    if kind != "string" && field.pattern.is_some() {
        bail!("field {name:?} is a {kind}: pattern is for string fields");
    }
    let (low, high) = if kind == "integer" {
        (INTEGER_MIN, INTEGER_MAX)
    } else {
        (-DECIMAL_MAX, DECIMAL_MAX)
    };
    for (label, value) in [("minimum", field.minimum), ("maximum", field.maximum)] {
        let Some(v) = value else { continue };
        if !(low..=high).contains(&v) {
            bail!("field {name:?}: {label} {v} is outside what a {kind} column holds ({low} to {high})");
        }
        if kind == "integer" && v.fract() != 0.0 {
            bail!("field {name:?}: {label} {v} is not a whole number; the field is an integer");
        }
        if kind == "decimal" && (v * 100.0).round() != v * 100.0 {
            bail!(
                "field {name:?}: {label} {v} has more than 2 decimal places; decimal fields keep 2"
            );
        }
    }
    if let (Some(min), Some(max)) = (field.minimum, field.maximum) {
        if min > max {
            bail!("field {name:?}: minimum {min} is greater than maximum {max}");
        }
    }
    let cap = if kind == "string" {
        STRING_MAX_LENGTH
    } else {
        TEXT_MAX_LENGTH
    };
    if let Some(max) = field.max_length {
        if max == 0 || max > cap {
            bail!(
                "field {name:?}: max_length {max} must be between 1 and {cap} for a {kind} field"
            );
        }
    }
    if let (Some(min), Some(max)) = (field.min_length, field.max_length) {
        if min > max {
            bail!("field {name:?}: min_length {min} is greater than max_length {max}");
        }
    } else if let Some(min) = field.min_length {
        if min > cap {
            bail!("field {name:?}: min_length {min} is greater than the {kind} limit of {cap}");
        }
    }
    if let Some(pattern) = &field.pattern {
        check_pattern(pattern)
            .map_err(|e| anyhow::anyhow!("field {name:?}: pattern {pattern:?} {e}"))?;
    }
    check_examples(field)
}

/// A patterned string field names two different values that fit its rules.
fn check_examples(field: &Field) -> Result<()> {
    let name = &field.name;
    let Some(examples) = &field.examples else {
        if field.pattern.is_some() {
            bail!("field {name:?} has a pattern: add examples = [\"...\", \"...\"], two different values that match it");
        }
        return Ok(());
    };
    if field.kind != "string" {
        bail!(
            "field {name:?} is a {}: examples are for string fields",
            field.kind
        );
    }
    if examples.len() != 2 || examples[0] == examples[1] {
        bail!("field {name:?}: examples must be two different values, e.g. examples = [\"A-1\", \"B-2\"]");
    }
    let r = rules(field);
    let pattern = field
        .pattern
        .as_deref()
        .map(regex_lite::Regex::new)
        .transpose()?;
    for example in examples {
        let length = example.chars().count() as u32;
        if length < r.min_length.unwrap_or(0) || length > r.max_length.unwrap_or(u32::MAX) {
            bail!(
                "field {name:?}: example {example:?} is not {} to {} characters long",
                r.min_length.unwrap_or(0),
                r.max_length.unwrap_or(u32::MAX)
            );
        }
        if pattern.as_ref().is_some_and(|p| !p.is_match(example)) {
            bail!(
                "field {name:?}: example {example:?} does not match its pattern {:?}",
                field.pattern.as_deref().unwrap_or("")
            );
        }
    }
    Ok(())
}

/// A pattern must read the same in JSON Schema, JavaScript, Python (Pydantic
/// and `re`), Ruby and PostgreSQL: anchored `^...$`, ASCII, and no
/// constructs whose meaning differs between them (`.`, `\d`, `\w`, `\s`,
/// `(?...)`, backreferences).
fn check_pattern(pattern: &str) -> Result<()> {
    if pattern.len() < 2
        || !pattern.starts_with('^')
        || !pattern.ends_with('$')
        || pattern.ends_with("\\$")
    {
        bail!("must start with ^ and end with $ (e.g. \"^[A-Z0-9-]+$\")");
    }
    if !pattern.is_ascii() {
        bail!("may only use ASCII characters");
    }
    let body = &pattern[1..pattern.len() - 1];
    let mut chars = body.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) if r".-+*?()[]{}|^$/\".contains(e) => {}
                Some(e) => bail!("uses \\{e}, which differs between languages; write a class such as [0-9] instead"),
                None => bail!("ends with a lone backslash"),
            },
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '.' if !in_class => bail!("uses `.`, whose newline handling differs between languages; write a class instead"),
            '^' | '$' if !in_class => bail!("uses {c} inside; only the first ^ and the last $ may anchor"),
            '(' if !in_class && chars.clone().next() == Some('?') => {
                bail!("uses (?...), which not every language supports")
            }
            c if c.is_ascii_control() => bail!("holds a control character"),
            _ => {}
        }
    }
    regex_lite::Regex::new(pattern).map_err(|e| {
        anyhow::anyhow!(
            "is not a valid regular expression: {}",
            e.to_string().lines().last().unwrap_or("")
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: &str) -> Field {
        Field {
            name: "f".into(),
            kind: kind.into(),
            required: true,
            minimum: None,
            maximum: None,
            min_length: None,
            max_length: None,
            pattern: None,
            examples: None,
        }
    }

    #[test]
    fn defaults_bound_every_number_and_string() {
        let r = rules(&field("integer"));
        assert_eq!(
            (r.minimum.as_deref(), r.maximum.as_deref()),
            (Some("-2147483648"), Some("2147483647"))
        );
        let r = rules(&field("decimal"));
        assert_eq!(
            (r.minimum.as_deref(), r.maximum.as_deref()),
            (Some("-9999999999.99"), Some("9999999999.99"))
        );
        let r = rules(&field("string"));
        assert_eq!((r.min_length, r.max_length), (Some(1), Some(255)));
        let r = rules(&field("text"));
        assert_eq!((r.min_length, r.max_length), (Some(0), Some(10_000)));
        assert_eq!(
            rules(&field("boolean")),
            Rules {
                min_length: None,
                max_length: None,
                minimum: None,
                maximum: None,
                pattern: None,
                pattern_body: None
            }
        );
    }

    #[test]
    fn spec_values_override_defaults() {
        let mut f = field("decimal");
        f.minimum = Some(0.0);
        f.maximum = Some(1000.5);
        let r = rules(&f);
        assert_eq!(
            (r.minimum.as_deref(), r.maximum.as_deref()),
            (Some("0"), Some("1000.5"))
        );
        let mut f = field("string");
        f.pattern = Some("^[A-Z]{3}-[0-9]+$".into());
        assert_eq!(rules(&f).pattern_body.as_deref(), Some("[A-Z]{3}-[0-9]+"));
    }

    #[test]
    fn refuses_what_stacks_cannot_enforce_alike() {
        let refused = |f: Field, says: &str| {
            let e = check(&f).unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        };
        let mut f = field("boolean");
        f.minimum = Some(1.0);
        refused(f, "minimum and maximum are for integer and decimal");
        let mut f = field("integer");
        f.maximum = Some(1e12);
        refused(f, "outside what a integer column holds");
        let mut f = field("integer");
        f.minimum = Some(0.5);
        refused(f, "not a whole number");
        let mut f = field("decimal");
        f.minimum = Some(0.001);
        refused(f, "more than 2 decimal places");
        let mut f = field("integer");
        (f.minimum, f.maximum) = (Some(5.0), Some(1.0));
        refused(f, "greater than maximum");
        let mut f = field("string");
        f.max_length = Some(300);
        refused(f, "between 1 and 255");
        let mut f = field("text");
        f.pattern = Some("^a$".into());
        refused(f, "pattern is for string fields");
        for (pattern, says) in [
            ("[a-z]+", "must start with ^"),
            ("^\\d+$", "\\d"),
            ("^a.b$", "`.`"),
            ("^(?=a)b$", "(?...)"),
            ("^[a-z$", "not a valid regular expression"),
            ("^é$", "ASCII"),
            ("^a$b$", "only the first ^"),
        ] {
            let mut f = field("string");
            f.pattern = Some(pattern.into());
            refused(f, says);
        }
        let mut f = field("string");
        f.pattern = Some("^[A-Z]+$".into());
        refused(f.clone(), "add examples");
        f.examples = Some(vec!["AB".into(), "ab".into()]);
        refused(f.clone(), "example \"ab\" does not match");
        f.examples = Some(vec!["AB".into(), "AB".into()]);
        refused(f, "two different values");
        let mut f = field("string");
        f.pattern = Some("^[A-Z0-9][A-Z0-9.-]*\\.[a-z]{2,}$".into());
        f.examples = Some(vec!["A.io".into(), "B-2.com".into()]);
        check(&f).unwrap();
    }

    #[test]
    fn examples_fit_the_rules() {
        let mut f = field("integer");
        (f.minimum, f.maximum) = (Some(5.0), Some(5.0));
        assert_eq!(examples(&f), (5.into(), 5.into()));
        f.maximum = Some(6.0);
        assert_eq!(examples(&f), (5.into(), 6.into()));
        let mut f = field("decimal");
        f.minimum = Some(0.0);
        assert_eq!(examples(&f), ("19.99".into(), "5.50".into()));
        let mut f = field("string");
        f.max_length = Some(3);
        assert_eq!(examples(&f), ("Sam".into(), "Cha".into()));
        f.max_length = Some(20);
        f.min_length = Some(12);
        assert_eq!(examples(&f), ("Sample fxxxx".into(), "Changed fxxx".into()));
        f.examples = Some(vec!["one".into(), "two".into()]);
        assert_eq!(examples(&f), ("one".into(), "two".into()));
    }
}
