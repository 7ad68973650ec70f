//! insta snapshots of what folio writes, file by file with contents (the
//! generated secrets redacted): every spec and week with its defaults, and
//! every stack with all its features. A changed README heading, a dropped
//! dependency or a moved setting shows here as a diff to review
//! (`cargo insta review`).

use std::collections::BTreeMap;

use folio::answers::{complete, Answers, Defaults};
use folio::catalog::Catalog;
use folio::render::render;
use folio::resolve::{blueprint, Secrets};
use folio::templates::Templates;

const SECRET_KEY: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const DB_PASSWORD: &str = "22222222222222222222222222222222";

/// Every file of a project as one text: path, mode and contents.
fn contents(templates: &Templates, catalog: &Catalog, answers: Answers) -> String {
    let resolved = complete(catalog, answers, &mut Defaults).unwrap();
    let secrets = Secrets {
        secret_key: SECRET_KEY.into(),
        db_password: DB_PASSWORD.into(),
    };
    let plan = render(&blueprint(catalog, &resolved, &secrets), templates).unwrap();
    let mut out = String::new();
    for file in plan {
        let mode = match (file.private, file.executable) {
            (true, _) => "private",
            (false, true) => "executable",
            (false, false) => "file",
        };
        out.push_str(&format!("===== {} ({mode}) =====\n", file.path));
        out.push_str(&String::from_utf8_lossy(&file.contents));
        if !file.contents.ends_with(b"\n") {
            out.push_str("\n[no newline at end]\n");
        }
    }
    out.replace(SECRET_KEY, "[secret_key]")
        .replace(DB_PASSWORD, "[db_password]")
}

fn setup() -> (Templates, Catalog) {
    folio::render::keep_compiled_templates();
    let templates = Templates::embedded();
    let catalog = Catalog::load(&templates).unwrap();
    (templates, catalog)
}

fn named(spec: &str) -> Answers {
    Answers {
        spec: Some(spec.into()),
        name: Some("demo".into()),
        description: Some("A demo \"project\" with {{braces}} and ünïcödé".into()),
        ..Answers::default()
    }
}

#[test]
fn every_spec_with_its_defaults() {
    let (templates, catalog) = setup();
    let ids = catalog.all_ids();
    for id in ids {
        let text = contents(&templates, &catalog, named(&id));
        insta::assert_snapshot!(format!("defaults-{id}"), text);
    }
}

#[test]
fn every_stack_with_all_its_features() {
    let (templates, catalog) = setup();
    // For each stack, the first spec (in catalog order) offering it alone
    // on one service, with every feature it has for that stack.
    for stack in catalog.stacks.keys() {
        let spec = catalog
            .specs_in_order()
            .into_iter()
            .filter(|s| s.services.len() == 1 && s.services[0].stacks.contains(stack))
            .max_by_key(|s| {
                let probe = Answers {
                    stacks: BTreeMap::from([(s.services[0].name.clone(), stack.clone())]),
                    ..Answers::default()
                };
                folio::answers::offered_features(&catalog, s, &probe).len()
            })
            .or_else(|| {
                catalog
                    .specs_in_order()
                    .into_iter()
                    .find(|s| s.services.iter().any(|sv| sv.stacks.contains(stack)))
            })
            .unwrap_or_else(|| panic!("no spec offers {stack}"))
            .clone();
        let service = spec
            .services
            .iter()
            .find(|s| s.stacks.contains(stack))
            .unwrap()
            .name
            .clone();
        let stacks = BTreeMap::from([(service, stack.clone())]);
        let probe = Answers {
            stacks: stacks.clone(),
            ..Answers::default()
        };
        let features = folio::answers::offered_features(&catalog, &spec, &probe)
            .iter()
            .map(|f| f.id.clone())
            .collect();
        let answers = Answers {
            stacks,
            features: Some(features),
            ..named(&spec.id)
        };
        let text = contents(&templates, &catalog, answers);
        insta::assert_snapshot!(format!("all-features-{stack}-{}", spec.id), text);
    }
}
