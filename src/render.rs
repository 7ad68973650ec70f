//! Blueprint + templates -> file plan: every output file, rendered in memory.
//! Pure: reads only the in-memory template tree.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use handlebars::{Context as RenderContext, Handlebars};

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

/// One template file of one layer, to render.
struct Job<'a> {
    layer: usize,
    rel: &'a str,
    bytes: &'a [u8],
    origin: String,
}

/// Renders every layer of the blueprint, then adds `.folio/answers.toml`.
/// Templates are compiled and rendered on all cores (compiling dominates the
/// run time); results are merged in layer order, so output is deterministic.
pub fn render(blueprint: &Blueprint, templates: &Templates) -> Result<FilePlan> {
    let contexts: Vec<RenderContext> = blueprint
        .layers
        .iter()
        .map(|l| RenderContext::wraps(&l.context))
        .collect::<Result<_, _>>()?;
    let jobs: Vec<Job> = blueprint
        .layers
        .iter()
        .enumerate()
        .flat_map(|(i, layer)| {
            templates.under(&layer.source).map(move |(rel, bytes)| Job {
                layer: i,
                rel,
                bytes,
                origin: templates.origin(&format!("{}{rel}", layer.source)),
            })
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let mut rendered: Vec<Option<Result<Option<(String, Vec<u8>)>>>> =
        (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (jobs, contexts) = (&jobs, &contexts);
                scope.spawn(move || {
                    let mut hb = registry();
                    (t..jobs.len())
                        .step_by(threads)
                        .map(|i| (i, render_file(&mut hb, &jobs[i], &contexts[jobs[i].layer])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            for (i, result) in worker.join().expect("a render thread panicked") {
                rendered[i] = Some(result);
            }
        }
    });

    let mut files: BTreeMap<String, PlannedFile> = BTreeMap::new();
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for (job, result) in jobs.iter().zip(rendered) {
        let Some((out_rel, contents)) = result.expect("every job was rendered")? else {
            continue;
        };
        let layer = &blueprint.layers[job.layer];
        let path = format!("{}{out_rel}", layer.dest);
        check_path(&path, &job.origin)?;
        if let Some(first) = owner.get(&path) {
            if !layer.overlay {
                bail!("{} and {first} both write {path}; rename one of them or make the second a feature overlay", job.origin);
            }
        }
        owner.insert(path.clone(), job.origin.clone());
        let executable = contents.starts_with(b"#!");
        files.insert(
            path.clone(),
            PlannedFile {
                path,
                contents,
                executable,
            },
        );
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

/// Renders one template file: its output path (relative to the layer's
/// destination) and contents, or `None` when it is dropped.
fn render_file(
    hb: &mut Handlebars,
    job: &Job,
    ctx: &RenderContext,
) -> Result<Option<(String, Vec<u8>)>> {
    let origin = &job.origin;
    let Some(out_rel) = render_path(hb, job.rel, ctx, origin)? else {
        return Ok(None);
    };
    let Some(stripped) = out_rel.strip_suffix(".hbs") else {
        return Ok(Some((out_rel, job.bytes.to_vec())));
    };
    let text = std::str::from_utf8(job.bytes)
        .with_context(|| format!("template {origin} is not UTF-8"))?;
    hb.register_template_string(origin, text)
        .with_context(|| format!("bad template {origin}"))?;
    let rendered = hb
        .render_with_context(origin, ctx)
        .with_context(|| format!("cannot render template {origin}"));
    hb.unregister_template(origin);
    let rendered = rendered?;
    if rendered.trim().is_empty() {
        return Ok(None);
    }
    Ok(Some((stripped.to_string(), rendered.into_bytes())))
}

/// Renders the `{{...}}` in a template's path; `None` when a segment renders empty.
fn render_path(
    hb: &Handlebars,
    rel: &str,
    ctx: &RenderContext,
    origin: &str,
) -> Result<Option<String>> {
    if !rel.contains("{{") {
        return Ok(Some(rel.to_string()));
    }
    let mut out = Vec::new();
    for segment in rel.split('/') {
        let rendered = hb
            .render_template_with_context(segment, ctx)
            .with_context(|| format!("cannot render the file name of {origin}"))?;
        if rendered.is_empty() || rendered == ".hbs" {
            return Ok(None);
        }
        if rendered.contains('/') || rendered.contains('\\') {
            bail!(
                "the file name of {origin} renders to {rendered:?}, which holds a path separator"
            );
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
        || path
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == ".." || seg.contains(':'));
    if bad {
        bail!(
            "{origin} would write {path:?}, which is not a plain relative path inside the project"
        );
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
        let ctx =
            RenderContext::wraps(json!({"resource": {"plural": "products"}, "empty": ""})).unwrap();
        assert_eq!(
            render_path(&hb, "app/{{resource.plural}}.py.hbs", &ctx, "t")
                .unwrap()
                .as_deref(),
            Some("app/products.py.hbs")
        );
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
        let ctx = RenderContext::wraps(json!({"name": "../../evil"})).unwrap();
        assert!(render_path(&hb, "{{name}}.txt", &ctx, "t").is_err());
    }

    #[test]
    fn strict_mode_names_the_missing_variable() {
        let hb = registry();
        let err = hb
            .render_template("{{nope}}", &json!({}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope"), "{err}");
    }
}
