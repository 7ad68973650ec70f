//! Blueprint + templates -> file plan: every output file, rendered in memory.
//! Pure: reads only the in-memory template tree.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use handlebars::Handlebars;
use serde_json::Value;

use crate::resolve::Blueprint;
use crate::templates::Templates;

/// One file to write: a relative path (with `/`), its bytes, and its mode.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFile {
    pub path: String,
    pub contents: Vec<u8>,
    pub executable: bool,
}

/// Every file of the repo, sorted by path.
pub type FilePlan = Vec<PlannedFile>;

/// A Handlebars registry set up the folio way: strict, no HTML escaping, helpers.
pub fn registry() -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    crate::helpers::register(&mut hb);
    hb
}

/// Renders every layer of the blueprint, then adds `.folio/answers.toml`.
pub fn render(blueprint: &Blueprint, templates: &Templates) -> Result<FilePlan> {
    let mut hb = registry();
    let mut files: BTreeMap<String, PlannedFile> = BTreeMap::new();
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for layer in &blueprint.layers {
        for (rel, bytes) in templates.under(&layer.source) {
            let origin = templates.origin(&format!("{}{rel}", layer.source));
            let Some(out_rel) = render_path(&hb, rel, &layer.context, &origin)? else { continue };
            let (out_rel, contents) = match out_rel.strip_suffix(".hbs") {
                Some(stripped) => {
                    let text = std::str::from_utf8(bytes)
                        .with_context(|| format!("template {origin} is not UTF-8"))?;
                    hb.register_template_string(&origin, text)
                        .with_context(|| format!("bad template {origin}"))?;
                    let rendered = hb
                        .render(&origin, &layer.context)
                        .with_context(|| format!("cannot render template {origin}"))?;
                    hb.unregister_template(&origin);
                    if rendered.trim().is_empty() {
                        continue;
                    }
                    (stripped.to_string(), rendered.into_bytes())
                }
                None => (out_rel, bytes.to_vec()),
            };
            let path = format!("{}{out_rel}", layer.dest);
            check_path(&path, &origin)?;
            if let Some(first) = owner.get(&path) {
                if !layer.overlay {
                    bail!("{origin} and {first} both write {path}; rename one of them or make the second a feature overlay");
                }
            }
            owner.insert(path.clone(), origin);
            let executable = contents.starts_with(b"#!");
            files.insert(path.clone(), PlannedFile { path, contents, executable });
        }
    }
    let answers = PlannedFile {
        path: ".folio/answers.toml".into(),
        contents: blueprint.answers.to_toml().into_bytes(),
        executable: false,
    };
    if files.insert(answers.path.clone(), answers).is_some() {
        bail!(".folio/answers.toml is written by folio itself; remove it from the templates");
    }
    Ok(files.into_values().collect())
}

/// Renders the `{{...}}` in a template's path; `None` when a segment renders empty.
fn render_path(hb: &Handlebars, rel: &str, ctx: &Value, origin: &str) -> Result<Option<String>> {
    if !rel.contains("{{") {
        return Ok(Some(rel.to_string()));
    }
    let mut out = Vec::new();
    for segment in rel.split('/') {
        let rendered = hb
            .render_template(segment, ctx)
            .with_context(|| format!("cannot render the file name of {origin}"))?;
        if rendered.is_empty() || rendered == ".hbs" {
            return Ok(None);
        }
        if rendered.contains('/') || rendered.contains('\\') {
            bail!("the file name of {origin} renders to {rendered:?}, which holds a path separator");
        }
        out.push(rendered);
    }
    Ok(Some(out.join("/")))
}

/// No rendered path may leave the target folder.
fn check_path(path: &str, origin: &str) -> Result<()> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\0')
        || path.split('/').any(|seg| seg.is_empty() || seg == "." || seg == ".." || seg.contains(':'));
    if bad {
        bail!("{origin} would write {path:?}, which is not a plain relative path inside the project");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_segments_render_and_empty_drops() {
        let hb = registry();
        let ctx = json!({"resource": {"plural": "products"}, "empty": ""});
        assert_eq!(render_path(&hb, "app/{{resource.plural}}.py.hbs", &ctx, "t").unwrap().as_deref(), Some("app/products.py.hbs"));
        assert_eq!(render_path(&hb, "app/{{empty}}", &ctx, "t").unwrap(), None);
    }

    #[test]
    fn escaping_paths_are_rejected() {
        for p in ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "c:/x"] {
            assert!(check_path(p, "t").is_err(), "{p} should be rejected");
        }
        assert!(check_path("api/app/main.py", "t").is_ok());
    }

    #[test]
    fn separators_from_values_are_rejected() {
        let hb = registry();
        let ctx = json!({"name": "../../evil"});
        assert!(render_path(&hb, "{{name}}.txt", &ctx, "t").is_err());
    }

    #[test]
    fn strict_mode_names_the_missing_variable() {
        let hb = registry();
        let err = hb.render_template("{{nope}}", &json!({})).unwrap_err().to_string();
        assert!(err.contains("nope"), "{err}");
    }
}
