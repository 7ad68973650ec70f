//! Property tests: random answers files and random small template packs go
//! through the whole pure pipeline (parse, load, complete, blueprint,
//! render). Any of them may be refused with an error; none may panic.

use std::collections::BTreeMap;

use folio::answers::{complete, Answers, Defaults};
use folio::catalog::Catalog;
use folio::render::render;
use folio::resolve::{blueprint, Secrets};
use folio::templates::Templates;
use proptest::prelude::*;

fn secrets() -> Secrets {
    Secrets {
        secret_key: "a".repeat(64),
        db_password: "b".repeat(32),
    }
}

/// The pipeline after the answers are known; errors are fine, panics are not.
fn run(templates: &Templates, catalog: &Catalog, answers: Answers) {
    folio::render::keep_compiled_templates();
    if let Ok(resolved) = complete(catalog, answers, &mut Defaults) {
        let bp = blueprint(catalog, &resolved, &secrets());
        let _ = render(&bp, templates);
    }
}

/// A value for an answers-file key: sometimes valid, often not.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"ecommerce-api\"".to_string()),
        Just("\"intensive-week-5\"".to_string()),
        Just("\"standard\"".to_string()),
        Just("\"postgresql\"".to_string()),
        Just("\"mongodb\"".to_string()),
        Just("[\"redis\", \"jobs\"]".to_string()),
        Just("[]".to_string()),
        Just("0".to_string()),
        Just("99999999999".to_string()),
        Just("-1".to_string()),
        Just("{ api = \"fastapi\" }".to_string()),
        Just("{ \"\" = \"rails\", nope = \"cobol\" }".to_string()),
        "\"[a-z-]{0,12}\"",
        "\"\\\\u0000[ -~]{0,20}\"",
        any::<String>().prop_map(|s| format!("{s:?}")),
    ]
}

fn answers_file() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("spec"),
        Just("plan"),
        Just("week"),
        Just("name"),
        Just("description"),
        Just("database"),
        Just("features"),
        Just("stacks"),
        Just("folio_version"),
        Just("nonsense"),
    ];
    proptest::collection::vec((key, value()), 0..8).prop_map(|pairs| {
        let mut seen = BTreeMap::new();
        for (k, v) in pairs {
            seen.insert(k, v);
        }
        seen.iter().map(|(k, v)| format!("{k} = {v}\n")).collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_answers_files_never_panic(text in answers_file()) {
        let templates = Templates::embedded();
        let catalog = Catalog::load(&templates).unwrap();
        if let Ok(answers) = toml::from_str::<Answers>(&text) {
            run(&templates, &catalog, answers);
        }
    }
}

/// A small file of a pack: a path and its text.
fn pack_file() -> impl Strategy<Value = (String, String)> {
    let path = prop_oneof![
        Just("specs/p.toml"),
        Just("plans/standard.toml"),
        Just("plans/q.toml"),
        Just("stacks/fastapi/stack.toml"),
        Just("common/files/x.md.hbs"),
        Just("common/files/{{project.name}}/y.txt"),
        Just("common/partials/s/a.hbs"),
        Just("common/partials/p.hbs"),
        Just("features/redis/fastapi/files/r.txt.hbs"),
        Just("actions.toml"),
        Just("images.toml"),
    ];
    let fragment = prop_oneof![
        Just("id = \"p\"\n".to_string()),
        Just("id = \"q\"\ntitle = \"Q\"\nsummary = \"s\"\nweeks = []\n".to_string()),
        Just("title = \"T\"\nsummary = \"S\"\ndefault_name = \"p\"\ndatabases = []\nservices = []\n".to_string()),
        Just("databases = [\"sqlite\"]\n[[services]]\nname = \"api\"\nstacks = []\n[services.resource]\nname = \"x\"\nplural = \"xs\"\nfields = []\n".to_string()),
        Just("[[weeks]]\nnumber = 0\ntitle = \"w\"\nstacks = []\ndatabases = []\n[weeks.resource]\nname = \"a\"\nplural = \"as\"\nfields = []\n".to_string()),
        Just("{{project.name}}".to_string()),
        Just("{{project.nmae}}".to_string()),
        Just("{{#if features.redis}}r{{/if}}".to_string()),
        Just("{{#each services}}{{name}}{{/each}}".to_string()),
        Just("{{> p}}".to_string()),
        Just("{{slot \"s\"}}".to_string()),
        Just("{{#*inline \"i\"}}{{> i}}{{/inline}}{{> i}}".to_string()),
        Just("{{#if".to_string()),
        Just("}}{{{{".to_string()),
        Just("x = 1\n".to_string()),
        "[ -~]{0,30}".prop_map(String::from),
    ];
    (path, proptest::collection::vec(fragment, 0..5))
        .prop_map(|(p, parts)| (p.to_string(), parts.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_small_packs_never_panic(files in proptest::collection::vec(pack_file(), 1..5)) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in &files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let Ok((templates, _)) = Templates::embedded().with_pack(dir.path()) else {
            return Ok(());
        };
        let Ok(catalog) = Catalog::load(&templates) else {
            return Ok(());
        };
        for spec in ["p", "ecommerce-api", "q-week-1", "standard-week-1"] {
            let answers = Answers { spec: Some(spec.into()), ..Answers::default() };
            run(&templates, &catalog, answers);
        }
    }
}
