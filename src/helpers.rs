//! Handlebars helpers: escaping for each file format, and case conversion.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason, Renderable,
};
use heck::{
    ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToTitleCase, ToUpperCamelCase,
};
use serde_json::Value;

/// Registers every folio helper on `hb`.
pub fn register(hb: &mut Handlebars) {
    hb.register_helper("json", Box::new(value_helper("json", json)));
    hb.register_helper("yaml_str", Box::new(string_helper("yaml_str", yaml_str)));
    hb.register_helper("toml_str", Box::new(string_helper("toml_str", toml_str)));
    hb.register_helper("py_str", Box::new(string_helper("py_str", py_str)));
    hb.register_helper("js_str", Box::new(string_helper("js_str", js_str)));
    hb.register_helper("ruby_str", Box::new(string_helper("ruby_str", ruby_str)));
    hb.register_helper("md_line", Box::new(string_helper("md_line", md_line)));
    hb.register_helper(
        "snake",
        Box::new(string_helper("snake", |s| s.to_snake_case())),
    );
    hb.register_helper(
        "kebab",
        Box::new(string_helper("kebab", |s| s.to_kebab_case())),
    );
    hb.register_helper(
        "pascal",
        Box::new(string_helper("pascal", |s| s.to_upper_camel_case())),
    );
    hb.register_helper(
        "camel",
        Box::new(string_helper("camel", |s| s.to_lower_camel_case())),
    );
    hb.register_helper(
        "shouty",
        Box::new(string_helper("shouty", |s| s.to_shouty_snake_case())),
    );
    hb.register_helper("slot", Box::new(Slot));
    hb.register_helper(
        "titlecase",
        Box::new(string_helper("titlecase", |s| s.to_title_case())),
    );
}

/// `{{slot "readme"}}`: renders every partial named `readme/<name>` (a file
/// `partials/readme/<name>.hbs` of the layer's stack, its features or
/// `common/`), in name order. Features add a section by adding a partial;
/// a pack replaces one by shipping a file of the same path.
struct Slot;

impl HelperDef for Slot {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = h.param(0).and_then(|p| p.value().as_str()).ok_or_else(|| {
            RenderError::from(RenderErrorReason::ParamNotFoundForIndex("slot", 0))
        })?;
        let prefix = format!("{name}/");
        let mut names: Vec<&String> = r
            .get_templates()
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .collect();
        names.sort();
        for name in names {
            if let Some(t) = r.get_template(name) {
                t.render(r, ctx, rc, out)?;
            }
        }
        Ok(())
    }
}

type HelperFn = Box<
    dyn Fn(&Helper, &Handlebars, &Context, &mut RenderContext, &mut dyn Output) -> HelperResult
        + Send
        + Sync,
>;

fn value_helper(name: &'static str, f: fn(&Value) -> String) -> HelperFn {
    Box::new(move |h, _, _, _, out| {
        let param = h
            .param(0)
            .ok_or_else(|| RenderError::from(RenderErrorReason::ParamNotFoundForIndex(name, 0)))?;
        out.write(&f(param.value()))?;
        Ok(())
    })
}

fn string_helper(name: &'static str, f: fn(&str) -> String) -> HelperFn {
    Box::new(move |h, _, _, _, out| {
        let param = h
            .param(0)
            .ok_or_else(|| RenderError::from(RenderErrorReason::ParamNotFoundForIndex(name, 0)))?;
        let text = match param.value() {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                return Err(RenderErrorReason::Other(format!(
                    "helper {name} needs a string, got {other}"
                ))
                .into())
            }
        };
        out.write(&f(&text))?;
        Ok(())
    })
}

/// Any value as compact JSON (strings are quoted and escaped).
pub fn json(v: &Value) -> String {
    serde_json::to_string(v).expect("a JSON value serializes")
}

/// A YAML double-quoted scalar: escapes `"`, `\`, and every character YAML
/// does not allow raw (C0/C1 controls, DEL, line and paragraph separators).
pub fn yaml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20
                || (0x7f..=0x9f).contains(&(c as u32))
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{feff}' =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML basic string, quoted by the toml crate itself.
pub fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A Python string literal (double quotes; JSON escapes are valid Python).
pub fn py_str(s: &str) -> String {
    escape_c_like(s, false)
}

/// A JavaScript string literal (double quotes).
pub fn js_str(s: &str) -> String {
    escape_c_like(s, false)
}

/// A Ruby double-quoted literal; `#` is escaped so `#{...}` never interpolates.
pub fn ruby_str(s: &str) -> String {
    escape_c_like(s, true)
}

fn escape_c_like(s: &str, hash: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '#' if hash => out.push_str("\\#"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for one Markdown line: line breaks become spaces.
pub fn md_line(s: &str) -> String {
    s.split(['\n', '\r'])
        .filter(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "Quote \" back \\ new\nline {{x}} $(rm -rf /) </script> #{boom} ünï 日本 \u{7f}\u{85}\t'";

    #[test]
    fn toml_str_round_trips() {
        let doc = format!("v = {}", toml_str(HOSTILE));
        let parsed: toml::Table = toml::from_str(&doc).unwrap();
        assert_eq!(parsed["v"].as_str(), Some(HOSTILE));
    }

    #[test]
    fn json_round_trips() {
        let v = Value::String(HOSTILE.into());
        let parsed: Value = serde_json::from_str(&json(&v)).unwrap();
        assert_eq!(parsed, v);
    }

    #[test]
    fn yaml_str_round_trips() {
        let doc = format!("v: {}\n", yaml_str(HOSTILE));
        let parsed: std::collections::BTreeMap<String, String> =
            serde_yaml_ng::from_str(&doc).unwrap();
        assert_eq!(parsed["v"], HOSTILE);
    }

    #[test]
    fn ruby_str_blocks_interpolation() {
        assert_eq!(ruby_str("#{x}\""), "\"\\#{x}\\\"\"");
    }

    #[test]
    fn md_line_joins_lines() {
        assert_eq!(md_line("a\n\n b \r\nc"), "a b c");
    }
}
