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

/// Every spec and week x every offered stack of each service (the others at
/// their default) x every database they share x no feature, each feature,
/// all features.
fn matrix(catalog: &Catalog) -> Vec<Answers> {
    let ids = catalog.all_ids();
    let mut all = Vec::new();
    for id in ids {
        let spec = catalog.spec(&id).unwrap();
        let defaults: BTreeMap<String, String> = spec
            .services
            .iter()
            .map(|s| (s.name.clone(), s.stacks[0].clone()))
            .collect();
        let mut choices = vec![defaults.clone()];
        for s in &spec.services {
            for stack in &s.stacks[1..] {
                let mut c = defaults.clone();
                c.insert(s.name.clone(), stack.clone());
                choices.push(c);
            }
        }
        for stacks in choices {
            let probe = Answers {
                stacks: stacks.clone(),
                ..Answers::default()
            };
            let dbs = folio::answers::supported_databases(catalog, &spec, &probe);
            let offered: Vec<String> = folio::answers::offered_features(catalog, &spec, &probe)
                .iter()
                .map(|f| f.id.clone())
                .collect();
            let mut sets: Vec<Vec<String>> = vec![vec![]];
            sets.extend(offered.iter().map(|f| vec![f.clone()]));
            if offered.len() > 1 {
                sets.push(offered.clone());
            }
            for db in &dbs {
                for features in &sets {
                    all.push(Answers {
                        stacks: stacks.clone(),
                        database: Some(db.clone()),
                        features: Some(features.clone()),
                        ..given(&id)
                    });
                }
            }
        }
    }
    all
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
    let combos = matrix(&catalog);
    assert!(combos.len() > 400, "only {} combinations", combos.len());
    let mut parsed = 0;
    for answers in combos {
        let label = format!(
            "{} {:?} {:?} {:?}",
            answers.spec.as_deref().unwrap_or_default(),
            answers.stacks,
            answers.database,
            answers.features
        );
        for file in plan_of(&templates, &catalog, answers) {
            let text = || {
                std::str::from_utf8(&file.contents)
                    .unwrap_or_else(|e| panic!("{label}: {} is not UTF-8: {e}", file.path))
            };
            let result = if file.path.ends_with(".json") {
                serde_json::from_str::<serde_json::Value>(text())
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            } else if file.path.ends_with(".yml") || file.path.ends_with(".yaml") {
                serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text())
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            } else if file.path.ends_with(".toml") {
                toml::from_str::<toml::Table>(text())
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            } else {
                continue;
            };
            if let Err(e) = result {
                panic!("{label}: {} does not parse: {e}", file.path);
            }
            parsed += 1;
        }
    }
    assert!(parsed > 3000, "parsed only {parsed} files");
}
