//! What folio prints: the catalog, a spec's summary, the dry-run tree, the
//! next steps. Text for people, JSON (stable shape, see README) for tools.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{json, Value};

use crate::catalog::{week_id, Catalog, Section, Spec};
use crate::render::FilePlan;
use crate::resolve::Blueprint;

/// `folio list --json`.
pub fn list_json(catalog: &Catalog) -> Value {
    let specs: Vec<Value> = catalog
        .specs_in_order()
        .into_iter()
        .map(|s| json!({"id": s.id, "title": s.title, "summary": s.summary, "pack": catalog.pack_of(&s.id)}))
        .collect();
    let plans: Vec<Value> = catalog
        .plans
        .values()
        .map(|p| {
            let weeks: Vec<Value> = p
                .weeks
                .iter()
                .map(|w| json!({"number": w.number, "title": w.title, "spec": week_id(&p.id, w.number)}))
                .collect();
            json!({"id": p.id, "title": p.title, "summary": p.summary, "weeks": weeks, "pack": catalog.pack_of(&p.id)})
        })
        .collect();
    json!({"specs": specs, "plans": plans})
}

/// `folio list`.
pub fn list_text(catalog: &Catalog) -> String {
    let mut out = String::from("Portfolio projects (folio new SPEC):\n");
    let width = catalog.specs.keys().map(String::len).max().unwrap_or(0);
    let mark = |id: &str| match catalog.pack_of(id) {
        Some(pack) => format!("  [from pack {pack}]"),
        None => String::new(),
    };
    for s in catalog.specs_in_order() {
        let _ = writeln!(out, "  {:width$}  {}{}", s.id, s.summary, mark(&s.id));
    }
    for p in catalog.plans.values() {
        let _ = writeln!(
            out,
            "\n{} — {} (folio new --plan {} --week N):{}",
            p.title,
            p.summary,
            p.id,
            mark(&p.id)
        );
        for w in &p.weeks {
            let _ = writeln!(
                out,
                "  {:<20}  week {:>2}: {}",
                week_id(&p.id, w.number),
                w.number,
                w.title
            );
        }
    }
    out.push_str("\nSee one in detail with `folio show SPEC`; start one with `folio new SPEC`.\n");
    out
}

/// Every README checklist of a spec: its requirements, then its sections.
pub fn checklist(spec: &Spec) -> Vec<Section> {
    let mut all = vec![Section {
        title: "Requirements".into(),
        items: spec.requirements.clone(),
    }];
    all.extend(spec.sections.iter().cloned());
    all.retain(|s| !s.items.is_empty());
    all
}

/// `folio show SPEC --json`.
pub fn show_json(catalog: &Catalog, spec: &Spec) -> Value {
    let services: Vec<Value> = spec
        .services
        .iter()
        .map(|s| {
            let stacks: Vec<Value> = s
                .stacks
                .iter()
                .filter_map(|id| catalog.stacks.get(id))
                .map(|st| {
                    let features: Vec<&str> = spec
                        .features
                        .iter()
                        .filter(|f| catalog.feature_available(&f.id, &[st.id.as_str()]))
                        .map(|f| f.id.as_str())
                        .collect();
                    json!({"id": st.id, "title": st.title, "language": st.language, "databases": st.databases, "features": features})
                })
                .collect();
            json!({
                "name": s.name,
                "stacks": stacks,
                "default_stack": s.stacks[0],
                "resource": s.resource,
            })
        })
        .collect();
    json!({
        "id": spec.id,
        "title": spec.title,
        "summary": spec.summary,
        "kind": spec.kind,
        "plan": spec.plan,
        "default_name": spec.default_name,
        "services": services,
        "databases": spec.databases,
        "default_database": spec.databases[0],
        "features": spec.features,
        "checklist": checklist(spec),
        "pack": pack_of_spec(catalog, spec),
    })
}

/// The pack a spec (or its week's plan) comes from.
fn pack_of_spec<'a>(catalog: &'a Catalog, spec: &Spec) -> Option<&'a str> {
    catalog
        .pack_of(&spec.id)
        .or_else(|| spec.plan.as_ref().and_then(|p| catalog.pack_of(&p.id)))
}

/// `folio show SPEC`.
pub fn show_text(catalog: &Catalog, spec: &Spec) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})\n  {}\n", spec.title, spec.id, spec.summary);
    if let Some(pack) = pack_of_spec(catalog, spec) {
        let _ = writeln!(out, "From the template pack {pack}.");
    }
    let _ = writeln!(out, "Default project name: {}", spec.default_name);
    out.push_str("Services (each in its own folder):\n");
    for s in &spec.services {
        let stacks: Vec<String> = s
            .stacks
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let title = catalog
                    .stacks
                    .get(id)
                    .map(|st| st.title.as_str())
                    .unwrap_or(id);
                if i == 0 {
                    format!("{id} ({title}, default)")
                } else {
                    format!("{id} ({title})")
                }
            })
            .collect();
        let fields: Vec<String> = s
            .resource
            .fields
            .iter()
            .map(|f| format!("{}: {}", f.name, f.kind))
            .collect();
        let _ = writeln!(out, "  {}/  stack: {}", s.name, stacks.join(", "));
        let _ = writeln!(
            out,
            "  {:width$}  resource: /{} ({})",
            "",
            s.resource.plural,
            fields.join(", "),
            width = s.name.len() + 1
        );
    }
    // Every stack any service of the spec can be built with.
    let stacks: Vec<&str> = spec
        .services
        .iter()
        .flat_map(|s| s.stacks.iter().map(String::as_str))
        .collect();
    let _ = writeln!(
        out,
        "Databases: {} (default {})",
        spec.databases
            .iter()
            .map(|db| database_with_stacks(catalog, &stacks, db))
            .collect::<Vec<_>>()
            .join(", "),
        spec.databases[0]
    );
    if spec.features.is_empty() {
        out.push_str("Optional features: none\n");
    } else {
        out.push_str("Optional features (--with):\n");
        for f in &spec.features {
            let note = if !catalog.feature_available(&f.id, &stacks) {
                " (not offered yet: no stack has its templates)"
            } else if f.default {
                " (on by default)"
            } else {
                ""
            };
            let _ = writeln!(out, "  {:12} {}{note}", f.id, f.title);
        }
    }
    out.push_str("Always included: JWT auth, CRUD with pagination, health checks, tests, linters, Dockerfile, compose.yaml, GitHub Actions CI.\n");
    out.push_str("\nREADME checklist:\n");
    for section in checklist(spec) {
        let _ = writeln!(out, "  {}:", section.title);
        for item in &section.items {
            let _ = writeln!(out, "    - [ ] {item}");
        }
    }
    out
}

/// A database of a spec, naming the stacks that offer it when not all do:
/// `mongodb (with express)`.
fn database_with_stacks(catalog: &Catalog, stacks: &[&str], db: &str) -> String {
    let offering: Vec<&str> = stacks
        .iter()
        .copied()
        .filter(|id| {
            catalog
                .stacks
                .get(*id)
                .is_some_and(|st| st.databases.iter().any(|d| d == db))
        })
        .collect();
    if offering.len() == stacks.len() {
        db.to_string()
    } else if offering.is_empty() {
        format!("{db} (no stack offers it yet)")
    } else {
        format!("{db} (with {})", offering.join(", "))
    }
}

/// The wizard's final summary of a blueprint.
pub fn summary(bp: &Blueprint, target: &std::path::Path) -> String {
    let a = &bp.answers;
    let mut out = String::new();
    let _ = writeln!(out, "\n  Project     {} ({})", bp.spec.title, bp.spec.id);
    let _ = writeln!(
        out,
        "  Name        {}",
        a.name.as_deref().unwrap_or_default()
    );
    let _ = writeln!(out, "  Folder      {}", target.display());
    for s in &bp.services {
        let _ = writeln!(out, "  Service     {}/ — {}", s.dir, s.stack.title);
    }
    let _ = writeln!(
        out,
        "  Database    {}",
        a.database.as_deref().unwrap_or_default()
    );
    let features = a.features.clone().unwrap_or_default();
    let _ = writeln!(
        out,
        "  Features    {}",
        if features.is_empty() {
            "none".into()
        } else {
            features.join(", ")
        }
    );
    out
}

/// `folio new --dry-run`: the file tree with sizes.
pub fn tree(plan: &FilePlan, root: &str, origins: bool) -> String {
    #[derive(Default)]
    struct Node<'a> {
        children: BTreeMap<String, Node<'a>>,
        file: Option<(usize, &'a str, &'a [String])>,
    }
    let mut top = Node::default();
    for f in plan {
        let mut node = &mut top;
        for seg in f.path.split('/') {
            node = node.children.entry(seg.to_string()).or_default();
        }
        node.file = Some(match origins {
            true => (f.contents.len(), f.origin.as_str(), f.partials.as_slice()),
            false => (f.contents.len(), "", &[]),
        });
    }
    fn walk(node: &Node, prefix: &str, out: &mut String) {
        let n = node.children.len();
        for (i, (name, child)) in node.children.iter().enumerate() {
            let last = i + 1 == n;
            let (branch, next) = if last {
                ("└── ", "    ")
            } else {
                ("├── ", "│   ")
            };
            match child.file {
                Some((size, origin, partials)) => {
                    let from = if origin.is_empty() {
                        String::new()
                    } else {
                        format!("  <- {origin}")
                    };
                    let _ = writeln!(out, "{prefix}{branch}{name}  {}{from}", human_size(size));
                    for partial in partials {
                        let _ = writeln!(out, "{prefix}{next}   + partial {partial}");
                    }
                }
                None => {
                    let _ = writeln!(out, "{prefix}{branch}{name}/");
                    walk(child, &format!("{prefix}{next}"), out);
                }
            }
        }
    }
    let total: usize = plan.iter().map(|f| f.contents.len()).sum();
    let mut out = format!("{root}/  ({} files, {})\n", plan.len(), human_size(total));
    walk(&top, "", &mut out);
    out
}

/// Bytes for people: `812 B`, `4.1 KiB`.
pub fn human_size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// What to type next, from each stack's commands.
pub fn next_steps(bp: &Blueprint, target: &str) -> String {
    let mut out = String::from("\nNext steps:\n");
    let _ = writeln!(out, "  cd {target}");
    for s in &bp.services {
        let c = &s.stack.commands;
        let _ = writeln!(out, "\n  # {} ({}), in {}/", s.name, s.stack.title, s.dir);
        let _ = writeln!(out, "  cd {}", s.dir);
        // In the order a learner types them: the database schema before the
        // first run (without it every request fails).
        for (label, lines) in [
            ("set up", &c.setup),
            ("migrate", &c.migrate),
            ("test", &c.test),
            ("lint", &c.lint),
            ("run", &c.run),
        ] {
            if !lines.is_empty() {
                let _ = writeln!(out, "  {:<8} {}", format!("{label}:"), lines.join(" && "));
            }
        }
        if bp.services.len() > 1 {
            out.push_str("  cd ..\n");
        }
    }
    out.push_str("\n  Or run everything with Docker: docker compose up --build\n");
    out.push_str("  Your requirements checklist is in README.md.\n");
    out
}
