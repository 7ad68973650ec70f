//! The pure middle of folio, in process: answers -> resolved answers ->
//! blueprint -> file plan, for every combination the catalog offers.

use std::collections::{BTreeMap, VecDeque};

use folio::answers::{complete, Answers, Asker, Question};
use folio::catalog::Catalog;
use folio::render::{render, FilePlan};
use folio::resolve::{blueprint, Secrets};
use folio::templates::Templates;

/// Answers questions from a script and records which were asked.
#[derive(Default)]
struct Scripted {
    replies: VecDeque<&'static str>,
    asked: Vec<String>,
}

impl Scripted {
    fn new(replies: &[&'static str]) -> Self {
        Scripted {
            replies: replies.iter().copied().collect(),
            asked: Vec::new(),
        }
    }
    fn next(&mut self, q: &Question) -> String {
        self.asked.push(q.flag().to_string());
        self.replies
            .pop_front()
            .unwrap_or_else(|| panic!("no scripted reply for {}", q.flag()))
            .to_string()
    }
}

impl Asker for Scripted {
    fn select(&mut self, q: &Question) -> anyhow::Result<String> {
        Ok(self.next(q))
    }
    fn multi(&mut self, q: &Question) -> anyhow::Result<Vec<String>> {
        let reply = self.next(q);
        Ok(reply
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect())
    }
    fn text(&mut self, q: &Question) -> anyhow::Result<String> {
        Ok(self.next(q))
    }
}

fn catalog() -> (Templates, Catalog) {
    folio::render::keep_compiled_templates();
    let templates = Templates::embedded();
    let catalog = Catalog::load(&templates).expect("the built-in catalog loads");
    (templates, catalog)
}

fn secrets() -> Secrets {
    Secrets {
        secret_key: "a".repeat(64),
        db_password: "b".repeat(32),
    }
}

fn given(spec: &str) -> Answers {
    Answers {
        spec: Some(spec.into()),
        ..Answers::default()
    }
}

#[test]
fn complete_asks_in_wizard_order_and_only_what_is_missing() {
    let (_, catalog) = catalog();
    let mut asker = Scripted::new(&["fastapi", "sqlite", "redis", "my-shop", "A shop"]);
    let resolved = complete(&catalog, given("ecommerce-api"), &mut asker).unwrap();
    assert_eq!(
        asker.asked,
        [
            "--stack (rails|fastapi|express)",
            "--db (postgresql|sqlite)",
            "--with (aws_deploy|redis|jobs, comma-separated, or none)",
            "--name",
            "--description"
        ]
    );
    assert_eq!(
        resolved.stacks,
        BTreeMap::from([("api".into(), "fastapi".into())])
    );
    assert_eq!(
        (
            resolved.database.as_str(),
            resolved.features.as_slice(),
            resolved.name.as_str()
        ),
        ("sqlite", &["redis".to_string()][..], "my-shop")
    );
}

#[test]
fn every_given_value_is_checked_before_the_first_question() {
    let (_, catalog) = catalog();
    let cases: [(Answers, &str); 5] = [
        (Answers { database: Some("oracle".into()), ..Answers::default() }, "--db \"oracle\" is not a database folio knows"),
        (Answers { stacks: BTreeMap::from([(String::new(), "cobol".into())]), ..Answers::default() }, "--stack cobol: no stack named \"cobol\""),
        (Answers { features: Some(vec!["nosuch".into()]), ..Answers::default() }, "--with \"nosuch\" is not a feature folio knows"),
        (Answers { database: Some("mysql".into()), ..given("ecommerce-api") }, "--db mysql: ecommerce-api offers postgresql, sqlite"),
        (Answers { stacks: BTreeMap::from([("api".into(), "django".into())]), ..given("ecommerce-api") }, "the api service of ecommerce-api can be built with rails, fastapi, express, not \"django\""),
    ];
    for (answers, error) in cases {
        let mut asker = Scripted::default();
        let err = complete(&catalog, answers, &mut asker)
            .unwrap_err()
            .to_string();
        assert!(err.contains(error), "{err}");
        assert!(
            asker.asked.is_empty(),
            "asked {:?} before failing",
            asker.asked
        );
    }
}

#[test]
fn features_apply_in_catalog_order_whatever_order_they_are_given_in() {
    let (_, catalog) = catalog();
    let layers = |features: &[&str]| {
        let answers = Answers {
            features: Some(features.iter().map(|f| f.to_string()).collect()),
            stacks: BTreeMap::from([("api".into(), "fastapi".into())]),
            database: Some("sqlite".into()),
            name: Some("shop".into()),
            description: Some("d".into()),
            ..given("ecommerce-api")
        };
        let resolved = complete(&catalog, answers, &mut Scripted::default()).unwrap();
        let bp = blueprint(&catalog, &resolved, &secrets());
        bp.layers
            .iter()
            .map(|l| l.source.clone())
            .collect::<Vec<_>>()
    };
    let forward = layers(&["redis", "jobs"]);
    assert_eq!(forward, layers(&["jobs", "redis"]));
    let redis = forward
        .iter()
        .position(|l| l == "features/redis/fastapi/files/")
        .unwrap();
    let jobs = forward
        .iter()
        .position(|l| l == "features/jobs/fastapi/files/")
        .unwrap();
    assert!(redis < jobs, "{forward:?}");
}

fn plan_of(templates: &Templates, catalog: &Catalog, answers: Answers) -> FilePlan {
    let label = format!("{answers:?}");
    let resolved = complete(catalog, answers, &mut folio::answers::Defaults)
        .unwrap_or_else(|e| panic!("{label}: {e:#}"));
    let bp = blueprint(catalog, &resolved, &secrets());
    render(&bp, templates).unwrap_or_else(|e| panic!("{label}: {e:#}"))
}

#[test]
fn every_combination_renders_and_its_structured_files_parse() {
    let (templates, catalog) = catalog();
    let combos = folio::pack_check::combinations(&catalog);
    assert!(combos.len() > 400, "only {} combinations", combos.len());
    let mut parsed = 0;
    for answers in combos {
        let label = folio::pack_check::label(&answers);
        for file in plan_of(&templates, &catalog, answers) {
            if let Some(e) = folio::pack_check::parse_error(&file.path, &file.contents) {
                panic!("{label}: {} does not parse: {e}", file.path);
            }
            let structured = [".json", ".yml", ".yaml", ".toml"];
            parsed += structured.iter().any(|ext| file.path.ends_with(ext)) as usize;
        }
    }
    assert!(parsed > 3000, "parsed only {parsed} files");
}
