//! Blueprint + templates -> file plan: every output file, rendered in memory.
//! Pure: reads only the in-memory template tree.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use handlebars::template::Template;
use handlebars::{Context as RenderContext, Handlebars, Output, Renderable};

use crate::limits;
use crate::resolve::Blueprint;
use crate::templates::Templates;

/// One file to write: a relative path (with `/`), its bytes, and its mode.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFile {
    pub path: String,
    /// Borrowed for a built-in file copied as it is: the binary holds it.
    pub contents: Cow<'static, [u8]>,
    pub executable: bool,
    /// Holds a generated secret: written with mode 0600.
    pub private: bool,
    /// The template that produced it (`templates/...` or a pack's file), or
    /// `folio` for what folio writes itself.
    pub origin: String,
    /// The partials its template can use, as `name (origin)`.
    pub partials: Vec<String>,
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
    /// Its path under `templates/`.
    key: String,
    rel: &'a str,
    bytes: &'a [u8],
    /// The same bytes, when they are a built-in file's (the binary's own).
    builtin: Option<&'static [u8]>,
    origin: String,
}

/// The partials one layer sees: name -> template key, later folders winning.
type PartialSet = BTreeMap<String, String>;

/// Renders every layer of the blueprint, then adds `.folio/answers.toml`.
/// Each template the blueprint uses (files and partials) is compiled once, on
/// all cores; then every file is rendered, also on all cores. Results are
/// merged in layer order, so output is deterministic.
pub fn render(blueprint: &Blueprint, templates: &Templates) -> Result<FilePlan> {
    // One render context per distinct layer context (the blueprint shares
    // one Arc among the layers of the root and of each service).
    let mut contexts: Vec<RenderContext> = Vec::new();
    let mut layer_context = Vec::new();
    for (i, layer) in blueprint.layers.iter().enumerate() {
        let same = blueprint.layers[..i]
            .iter()
            .position(|earlier| Arc::ptr_eq(&earlier.context, &layer.context));
        layer_context.push(match same {
            Some(j) => layer_context[j],
            None => {
                contexts.push(RenderContext::wraps(&*layer.context)?);
                contexts.len() - 1
            }
        });
    }
    let jobs: Vec<Job> = blueprint
        .layers
        .iter()
        .enumerate()
        .flat_map(|(i, layer)| {
            templates.under(&layer.source).map(move |(rel, bytes)| {
                let key = format!("{}{rel}", layer.source);
                let verbatim = !rel.ends_with(".hbs") && !templates.from_pack(&key);
                Job {
                    layer: i,
                    origin: templates.origin(&key),
                    builtin: verbatim.then(|| crate::templates::builtin(&key)).flatten(),
                    key,
                    rel,
                    bytes,
                }
            })
        })
        .collect();

    // The partial sets, one per distinct list of partial folders.
    let mut sets: Vec<(Vec<String>, PartialSet)> = Vec::new();
    let mut layer_set = Vec::new();
    for layer in &blueprint.layers {
        let i = match sets
            .iter()
            .position(|(folders, _)| *folders == layer.partials)
        {
            Some(i) => i,
            None => {
                sets.push((
                    layer.partials.clone(),
                    partial_set(templates, &layer.partials),
                ));
                sets.len() - 1
            }
        };
        layer_set.push(i);
    }

    // Load each file template once (a stored one is decoded only where it
    // renders, and dropped once rendered), then, per partial set, the
    // partials those templates can reach (a run uses a fraction of them).
    let mut keys: Vec<&str> = jobs
        .iter()
        .filter(|j| j.rel.ends_with(".hbs"))
        .map(|j| j.key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mut loaded: BTreeMap<&str, Loaded> = BTreeMap::new();
    let mut missing = Vec::new();
    for key in keys {
        match find(templates, key)? {
            Some(found) => drop(loaded.insert(key, found)),
            None => missing.push(key),
        }
    }
    // The rest (a pack's, on its first run) are compiled on all cores.
    loaded.extend(
        missing
            .iter()
            .copied()
            .zip(parallel(&missing, |key| compile(templates, key))?),
    );
    // Each partial decoded, with the partials it names in turn.
    let mut partials: BTreeMap<&str, (Arc<Template>, Vec<Cow<str>>)> = BTreeMap::new();
    let mut registries = Vec::new();
    let mut reachable = Vec::new();
    for (set_index, (_, set)) in sets.iter().enumerate() {
        let mut reached: BTreeMap<&str, &str> = BTreeMap::new();
        let mut next: Vec<&str> = Vec::new();
        for job in jobs.iter().filter(|j| layer_set[j.layer] == set_index) {
            if let Some(file) = loaded.get(job.key.as_str()) {
                resolve(&file.partials, set, &mut next);
            }
        }
        while !next.is_empty() {
            next.sort_unstable();
            next.dedup();
            next.retain(|name| !reached.contains_key(name));
            let round = std::mem::take(&mut next);
            // This round's partials not decoded yet, on all cores.
            let mut fresh: Vec<&str> = round.iter().map(|name| set[*name].as_str()).collect();
            fresh.retain(|key| !partials.contains_key(key));
            fresh.sort_unstable();
            fresh.dedup();
            let decoded = parallel(&fresh, |key| {
                let partial = load(templates, key)?;
                let names = partial.partials.clone();
                Ok((partial.shared()?, names))
            })?;
            partials.extend(fresh.into_iter().zip(decoded));
            for name in round {
                let key = set[name].as_str();
                reached.insert(name, key);
                resolve(&partials[key].1, set, &mut next);
            }
        }
        let mut hb = registry();
        for (name, key) in &reached {
            hb.register_shared_template(name, partials[key].0.clone());
        }
        registries.push(hb);
        reachable.push(reached);
    }
    let registered: Vec<BTreeMap<&str, &Template>> = reachable
        .iter()
        .map(|reached| {
            reached
                .iter()
                .map(|(name, key)| (*name, &*partials[key].0))
                .collect()
        })
        .collect();

    let segments = path_templates(jobs.iter().map(|j| (j.rel, j.origin.as_str())))?;
    let written = AtomicUsize::new(0);
    let secrets: Vec<memchr::memmem::Finder> = blueprint
        .secrets
        .iter()
        .filter(|secret| !secret.is_empty())
        .map(|secret| memchr::memmem::Finder::new(secret.as_bytes()))
        .collect();
    let rendered = parallel(&jobs, |job| {
        let set = layer_set[job.layer];
        let rendered = render_file(
            &registries[set],
            &segments,
            &registered[set],
            &loaded,
            job,
            &contexts[layer_context[job.layer]],
            &written,
        )?;
        Ok(rendered.map(|(out_rel, contents, partials)| {
            let private = secrets.iter().any(|s| s.find(&contents).is_some());
            (out_rel, contents, partials, private)
        }))
    })?;

    let mut files: BTreeMap<String, PlannedFile> = BTreeMap::new();
    for (job, result) in jobs.iter().zip(rendered) {
        let Some((out_rel, contents, partials, private)) = result else {
            continue;
        };
        let layer = &blueprint.layers[job.layer];
        let path = format!("{}{out_rel}", layer.dest);
        check_path(&path, &job.origin)?;
        if let Some(first) = files.get(&path) {
            if !layer.overlay {
                bail!("{} and {} both write {path}; rename one of them or make the second a feature overlay", job.origin, first.origin);
            }
        }
        let executable = contents.starts_with(b"#!");
        files.insert(
            path.clone(),
            PlannedFile {
                path,
                contents,
                executable,
                private,
                origin: job.origin.clone(),
                partials,
            },
        );
    }
    let answers = PlannedFile {
        path: ".folio/answers.toml".into(),
        contents: blueprint.answers.to_toml().into_bytes().into(),
        executable: false,
        private: false,
        origin: "folio".into(),
        partials: Vec::new(),
    };
    if files.insert(answers.path.clone(), answers).is_some() {
        bail!(".folio/answers.toml is written by folio itself; remove it from the templates");
    }
    Ok(files.into_values().collect())
}

/// The partials under `folders` (each `<prefix>/partials/`): a file
/// `partials/readme/redis.hbs` is the partial `readme/redis`. A later folder
/// replaces an earlier one's partial of the same name.
fn partial_set(templates: &Templates, folders: &[String]) -> PartialSet {
    let mut set = PartialSet::new();
    for folder in folders {
        for (rel, _) in templates.under(folder) {
            if let Some(name) = rel.strip_suffix(".hbs") {
                set.insert(name.to_string(), format!("{folder}{rel}"));
            }
        }
    }
    set
}

/// Runs `f` on every item on up to four threads, the calling one among
/// them, helped by threads started once for the whole process ([`helpers`]);
/// results in item order, or the first error in item order.
pub(crate) fn parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let Some(helpers) = helpers().filter(|_| items.len() > 1) else {
        return items.iter().map(&f).collect();
    };
    // Each thread takes the next item when done with one: items differ
    // widely in cost (a 200 KB lock file beside one-line files).
    let next = AtomicUsize::new(0);
    let work = || {
        std::iter::from_fn(|| {
            let i = next.fetch_add(1, Ordering::Relaxed);
            (i < items.len()).then(|| (i, f(&items[i])))
        })
        .collect::<Vec<_>>()
    };
    let done = std::sync::Mutex::new(Vec::new());
    let helping = helpers.current_num_threads().min(items.len() - 1);
    helpers.in_place_scope(|scope| {
        for _ in 0..helping {
            scope.spawn(|_| {
                let part = work();
                done.lock().unwrap_or_else(|e| e.into_inner()).push(part);
            });
        }
        let part = work();
        done.lock().unwrap_or_else(|e| e.into_inner()).push(part);
    });
    let mut results: Vec<Option<Result<R>>> = (0..items.len()).map(|_| None).collect();
    for (i, result) in done
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
    {
        results[i] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("every item was processed"))
        .collect()
}

/// The threads that help the calling one in [`parallel`]: one fewer than
/// the cores (at most three), started at first use and kept, so that each
/// phase of a run (compile, render, write) does not start its own.
fn helpers() -> Option<&'static rayon_core::ThreadPool> {
    static HELPERS: std::sync::OnceLock<Option<rayon_core::ThreadPool>> =
        std::sync::OnceLock::new();
    HELPERS
        .get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let helping = cores.clamp(1, 4) - 1;
            if helping == 0 {
                return None;
            }
            rayon_core::ThreadPoolBuilder::new()
                .num_threads(helping)
                .stack_size(RENDER_STACK)
                .thread_name(|i| format!("folio-helper-{i}"))
                .build()
                .ok()
        })
        .as_ref()
}

/// Compiled templates by origin (and, for a pack's, a hash of the pack),
/// kept for the life of the process once [`keep_compiled_templates`] is
/// called: a process that renders many projects (the tests, a pack check, a
/// cohort) then decodes or compiles each template once. Off by
/// default: a single render decodes each template where it renders it and
/// drops it after, which keeps its peak memory low.
type Cache = std::sync::Mutex<std::collections::HashMap<(String, Option<u64>), Arc<Template>>>;
static COMPILED: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();

/// Keeps compiled templates for later renders in this process.
pub fn keep_compiled_templates() {
    COMPILED.get_or_init(Default::default);
}

/// A template of this run: compiled now, or stored compiled (in the binary,
/// or in the pack's cache) and decoded only where it is used.
struct Loaded<'t> {
    /// Its compiled form, if it was compiled or decoded here.
    ready: Option<Arc<Template>>,
    /// Else its stored compiled form.
    stored: &'t [u8],
    /// Its text, compiled should its stored form not decode (a pack's).
    text: Option<&'t [u8]>,
    origin: String,
    /// The partials it names ([`crate::partial_refs::names`]).
    partials: Vec<Cow<'t, str>>,
}

impl Loaded<'_> {
    fn ready(template: Arc<Template>) -> Self {
        Loaded {
            partials: crate::partial_refs::names(&template)
                .into_iter()
                .map(Into::into)
                .collect(),
            origin: template.name.clone().unwrap_or_default(),
            ready: Some(template),
            stored: &[],
            text: None,
        }
    }

    /// The compiled template: as loaded, or decoded from its stored form.
    fn template(&self) -> Result<Cow<'_, Template>> {
        if let Some(template) = &self.ready {
            return Ok(Cow::Borrowed(&**template));
        }
        let origin = self.origin.clone();
        Ok(Cow::Owned(match crate::precompiled::decode(self.stored) {
            Some(mut template) => {
                template.name = Some(origin);
                template
            }
            None => match self.text {
                Some(text) => compile_text(text, origin)?,
                None => {
                    bail!("built-in template {origin} was stored in a form this folio cannot read")
                }
            },
        }))
    }

    /// The compiled template, to share (a partial, in a registry).
    fn shared(self) -> Result<Arc<Template>> {
        match self.ready {
            Some(template) => Ok(template),
            None => Ok(Arc::new(self.template()?.into_owned())),
        }
    }
}

/// Loads one template: as found ([`find`]), else compiled ([`compile`]).
fn load<'t>(templates: &'t Templates, key: &str) -> Result<Loaded<'t>> {
    match find(templates, key)? {
        Some(loaded) => Ok(loaded),
        None => compile(templates, key),
    }
}

/// Finds one template compiled already: a built-in template the pack leaves
/// alone is stored as compiled at build time, a pack's as an earlier run
/// compiled the same text ([`crate::template_cache`]); either is decoded
/// where it is used. With [`keep_compiled_templates`], every template is
/// decoded once in the process and kept. `None`: it must be compiled.
fn find<'t>(templates: &'t Templates, key: &str) -> Result<Option<Loaded<'t>>> {
    let id = process_id(templates, key);
    let cache = COMPILED.get();
    if let Some(t) = cache.and_then(|c| c.lock().ok()?.get(&id).cloned()) {
        return Ok(Some(Loaded::ready(t)));
    }
    let builtin = id.1.is_none();
    let (stored, partials) = if builtin {
        // build.rs compiled every built-in template; the binary has no text.
        let (bytes, names) = crate::precompiled::stored(key)
            .with_context(|| format!("built-in template {key} was not compiled at build time"))?;
        (bytes, names.iter().map(|n| (*n).into()).collect())
    } else {
        match templates.compiled().get(key) {
            Some((bytes, names)) => (bytes, names.into_iter().map(Into::into).collect()),
            None => return Ok(None),
        }
    };
    let loaded = Loaded {
        ready: None,
        stored,
        text: if builtin { None } else { templates.get(key) },
        origin: id.0.clone(),
        partials,
    };
    match cache.and_then(|c| c.lock().ok()) {
        Some(mut c) => {
            let template = loaded.shared()?;
            c.insert(id, template.clone());
            Ok(Some(Loaded::ready(template)))
        }
        None => Ok(Some(loaded)),
    }
}

/// Compiles one template of the pack, after checking its nesting, and
/// remembers it for the next run (and, with [`keep_compiled_templates`],
/// for this process).
fn compile<'t>(templates: &'t Templates, key: &str) -> Result<Loaded<'t>> {
    let id = process_id(templates, key);
    let text = templates.get(key).unwrap_or_default();
    let template = Arc::new(compile_text(text, id.0.clone())?);
    templates.compiled().remember(key, &template);
    if let Some(mut c) = COMPILED.get().and_then(|c| c.lock().ok()) {
        c.insert(id, template.clone());
    }
    Ok(Loaded::ready(template))
}

/// A template's key in [`COMPILED`]: its origin, and for a pack's a hash
/// of the pack's SHA-256 (which covers every path and byte of it).
fn process_id(templates: &Templates, key: &str) -> (String, Option<u64>) {
    use std::hash::{Hash, Hasher};
    let origin = templates.origin(key);
    if !templates.from_pack(key) {
        return (origin, None);
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    templates.pack.as_ref().map(|p| &p.sha256).hash(&mut hasher);
    (origin, Some(hasher.finish()))
}

/// Adds to `out` the partials of `set` that these names reach (see
/// [`crate::partial_refs::names`]): a partial by its name, and every
/// partial under `slot/`.
fn resolve<'s, V>(names: &[impl AsRef<str>], set: &'s BTreeMap<String, V>, out: &mut Vec<&'s str>) {
    for name in names.iter().map(AsRef::as_ref) {
        if name.ends_with('/') {
            let from = std::ops::Bound::Included(name);
            out.extend(
                set.range::<str, _>((from, std::ops::Bound::Unbounded))
                    .take_while(|(k, _)| k.starts_with(name))
                    .map(|(k, _)| k.as_str()),
            );
        } else if let Some((k, _)) = set.get_key_value(name) {
            out.push(k);
        }
    }
}

fn compile_text(bytes: &[u8], origin: String) -> Result<Template> {
    let text =
        std::str::from_utf8(bytes).with_context(|| format!("template {origin} is not UTF-8"))?;
    crate::template_guard::check_text(text, &origin)?;
    let mut template =
        Template::compile(text).map_err(|e| crate::errors::template_error(&origin, e))?;
    template.name = Some(origin);
    Ok(template)
}

/// A rendered file: its path in the layer, contents, and the partials its
/// template can use.
type Rendered = (String, Cow<'static, [u8]>, Vec<String>);

/// Stack size of a render thread: room to spare, as
/// [`crate::template_guard`] bounds a render's depth
/// ([`limits::RENDER_DEPTH`], about 2 KB of stack a level), so the calling
/// thread's own stack serves as well.
const RENDER_STACK: usize = 16 << 20;

/// Renders one template file: its output path (relative to the layer's
/// destination) and contents, or `None` when it is dropped. `written` counts
/// the bytes all files have rendered so far, against the total limit.
/// Also returns the partials the template can reach.
fn render_file(
    hb: &Handlebars,
    segments: &PathTemplates,
    registered: &BTreeMap<&str, &Template>,
    loaded: &BTreeMap<&str, Loaded>,
    job: &Job,
    ctx: &RenderContext,
    written: &AtomicUsize,
) -> Result<Option<Rendered>> {
    let origin = &job.origin;
    let Some(out_rel) = render_path(hb, segments, job.rel, ctx, origin)? else {
        return Ok(None);
    };
    let Some(stripped) = out_rel.strip_suffix(".hbs") else {
        count(written, job.bytes.len(), origin)?;
        let contents = match job.builtin {
            Some(bytes) => Cow::Borrowed(bytes),
            None => Cow::Owned(job.bytes.to_vec()),
        };
        return Ok(Some((out_rel, contents, Vec::new())));
    };
    let template = loaded[job.key.as_str()].template()?;
    let template = &*template;
    let reached = crate::template_guard::check_partials(template, origin, registered)?;
    let mut out = Capped {
        text: String::with_capacity(expected_len(template)),
        written,
        over: None,
    };
    let mut rc = handlebars::RenderContext::new(None);
    let rendered = template.render(hb, ctx, &mut rc, &mut out);
    if let Some(limit) = out.over {
        bail!("template {origin} renders {limit}; see SECURITY.md, \"Limits\"");
    }
    rendered.map_err(|e| crate::errors::render_error(origin, e))?;
    let mut rendered = out.text;
    rendered.shrink_to_fit();
    if rendered.trim().is_empty() {
        return Ok(None);
    }
    let partials = reached
        .iter()
        .map(|name| {
            let origin = registered[name].name.as_deref();
            format!("{name} ({})", origin.unwrap_or_default())
        })
        .collect();
    Ok(Some((
        stripped.to_string(),
        rendered.into_bytes().into(),
        partials,
    )))
}

/// About how long a template's output is: its plain text, and some room
/// for each expression. Reserving it up front spares growing the output step
/// by step (a copy, and fresh pages, at each step of a large file); what is
/// left over is given back once the file is rendered.
fn expected_len(template: &Template) -> usize {
    let text: usize = template
        .elements
        .iter()
        .map(|e| match e {
            handlebars::template::TemplateElement::RawString(s) => s.len(),
            _ => 32,
        })
        .sum();
    (text + text / 4 + 64).min(limits::OUTPUT_FILE)
}

/// Adds `n` bytes to the total written so far; fails past the total limit.
fn count(written: &AtomicUsize, n: usize, origin: &str) -> Result<()> {
    let total = written.fetch_add(n, Ordering::Relaxed) + n;
    if total > limits::OUTPUT_TOTAL {
        bail!(
            "the project would be more than {} bytes in all (reached at {origin}); see SECURITY.md, \"Limits\"",
            limits::OUTPUT_TOTAL
        );
    }
    Ok(())
}

/// Rendered output that stops at the per-file and total limits.
struct Capped<'a> {
    text: String,
    written: &'a AtomicUsize,
    /// Which limit was passed, in words.
    over: Option<String>,
}

impl Output for Capped<'_> {
    fn write(&mut self, seg: &str) -> std::io::Result<()> {
        let total = self.written.fetch_add(seg.len(), Ordering::Relaxed) + seg.len();
        if self.text.len() + seg.len() > limits::OUTPUT_FILE {
            self.over = Some(format!(
                "more than folio's limit of {} bytes for one file",
                limits::OUTPUT_FILE
            ));
        } else if total > limits::OUTPUT_TOTAL {
            self.over = Some(format!(
                "past folio's limit of {} bytes for the whole project",
                limits::OUTPUT_TOTAL
            ));
        }
        if self.over.is_some() {
            return Err(std::io::Error::other("output limit"));
        }
        self.text.push_str(seg);
        Ok(())
    }
}

/// The path segments with `{{...}}` of the files to render, each compiled
/// once (many files share `{{service.name}}`).
type PathTemplates<'a> = BTreeMap<&'a str, Template>;

/// Compiles the `{{...}}` segments of these paths (`(path, origin)` pairs).
fn path_templates<'a>(
    paths: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<PathTemplates<'a>> {
    let mut compiled = PathTemplates::new();
    for (rel, origin) in paths {
        for segment in rel.split('/').filter(|s| s.contains("{{")) {
            if !compiled.contains_key(segment) {
                let template = Template::compile(segment)
                    .map_err(handlebars::RenderError::from)
                    .with_context(|| format!("cannot render the file name of {origin}"))?;
                compiled.insert(segment, template);
            }
        }
    }
    Ok(compiled)
}

/// Renders the `{{...}}` in a template's path; `None` when a segment renders empty.
fn render_path(
    hb: &Handlebars,
    segments: &PathTemplates,
    rel: &str,
    ctx: &RenderContext,
    origin: &str,
) -> Result<Option<String>> {
    if !rel.contains("{{") {
        return Ok(Some(rel.to_string()));
    }
    let mut out = Vec::new();
    for segment in rel.split('/') {
        let rendered = match segments.get(segment) {
            Some(template) => {
                let mut text = handlebars::StringOutput::new();
                template
                    .render(
                        hb,
                        ctx,
                        &mut handlebars::RenderContext::new(None),
                        &mut text,
                    )
                    .and_then(|()| text.into_string().map_err(Into::into))
                    .with_context(|| format!("cannot render the file name of {origin}"))?
            }
            None => segment.to_string(),
        };
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

/// No rendered path may leave the target folder or reach into git's own.
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
    if let Some(seg) = path.split('/').find(|seg| is_git_dir_name(seg)) {
        bail!(
            "{origin} would write {path:?}: {seg:?} names git's own folder, which only folio creates (a file there could run commands in the learner's git); rename it"
        );
    }
    Ok(())
}

/// Whether git (on any system) would take a path segment for its `.git`
/// folder: any letter case, trailing dots or spaces (Windows), the short
/// name `git~1`, or characters that macOS ignores in names.
pub fn is_git_dir_name(segment: &str) -> bool {
    if segment.is_ascii() {
        let plain = segment.trim_end_matches(['.', ' ']);
        return plain.eq_ignore_ascii_case(".git") || plain.eq_ignore_ascii_case("git~1");
    }
    let ignorable = |c: &char| matches!(c, '\u{200c}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{206a}'..='\u{206f}' | '\u{feff}');
    let plain: String = segment
        .chars()
        .filter(|c| !ignorable(c))
        .collect::<String>()
        .to_lowercase();
    let plain = plain.trim_end_matches(['.', ' ']);
    plain == ".git" || plain == "git~1"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Plain text, escapes and backslashes render as they did when the
    /// grammar matched plain text one character at a time (vendored
    /// handlebars: runs of text are now matched in one step).
    #[test]
    fn plain_text_and_escapes_render_as_before() {
        let text = r"a\{{project.name}} b\\{{project.name}} c\\\{{project.name}} d\x e\\ f{{project.name}}\ g\{{{{raw}}}} h {{!-- c --}}i\n\\\\{{project.name}} j \{ k\";
        let out = registry()
            .render_template(text, &json!({"project": {"name": "shop-api"}}))
            .unwrap();
        assert_eq!(
            out,
            r"a{{project.name}} b\shop-api c\\shop-api d\x e\\ fshop-api\ g{{{{raw}}}} h i\n\\\shop-api j \{ k\"
        );
    }

    #[test]
    fn path_segments_render_and_empty_drops() {
        let hb = registry();
        let ctx =
            RenderContext::wraps(json!({"resource": {"plural": "products"}, "empty": ""})).unwrap();
        let paths = ["app/{{resource.plural}}.py.hbs", "app/{{empty}}"];
        let segments = path_templates(paths.iter().map(|p| (*p, "t"))).unwrap();
        assert_eq!(
            render_path(&hb, &segments, paths[0], &ctx, "t")
                .unwrap()
                .as_deref(),
            Some("app/products.py.hbs")
        );
        assert_eq!(
            render_path(&hb, &segments, paths[1], &ctx, "t").unwrap(),
            None
        );
    }

    #[test]
    fn escaping_paths_are_rejected() {
        for p in ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "c:/x"] {
            assert!(check_path(p, "t").is_err(), "{p} should be rejected");
        }
        assert!(check_path("api/app/main.py", "t").is_ok());
    }

    #[test]
    fn git_folders_are_rejected_in_any_spelling() {
        for p in [
            ".git/config",
            "a/.GIT/hooks/x",
            "b/.Git./c",
            ".git /x",
            "GIT~1/x",
            "a/.g\u{200c}it/x",
        ] {
            assert!(check_path(p, "t").is_err(), "{p} should be rejected");
        }
        for p in [
            ".gitignore",
            ".github/workflows/ci.yml",
            "a/.gitkeep",
            "git/x",
        ] {
            assert!(check_path(p, "t").is_ok(), "{p} should pass");
        }
    }

    #[test]
    fn separators_from_values_are_rejected() {
        let hb = registry();
        let ctx = RenderContext::wraps(json!({"name": "../../evil"})).unwrap();
        let segments = path_templates([("{{name}}.txt", "t")]).unwrap();
        assert!(render_path(&hb, &segments, "{{name}}.txt", &ctx, "t").is_err());
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
