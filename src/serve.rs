//! `folio verify --serve`: runs the services as a learner would. Each
//! service is migrated and started with its stack's own commands on a free
//! port of 127.0.0.1, with every service's URL in `<NAME>_URL`; then each
//! must answer `/health/live` and `/health/ready` (and, with several
//! services, reach every other one through `/health/peers`). Then, when
//! schemathesis is installed, each service's `/openapi.json` is checked
//! against its behaviour (`contract`), as a user registered for the run.
//! Every service is stopped at the end, whatever happened.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use heck::ToShoutySnakeCase;

use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::verify::{Outcome, Step};

/// How long a service may take to answer `/health/live` after it starts.
const START_TIMEOUT: Duration = Duration::from_secs(180);

/// The contract check: every check, a fixed seed so a failure reproduces,
/// as the user in `$FOLIO_TOKEN`.
const SCHEMATHESIS: &str = "schemathesis run {url}/openapi.json --checks all --seed 1 \
--max-examples 25 --generation-database none --request-timeout 10 \
-H \"Authorization: Bearer $FOLIO_TOKEN\"";

/// One result of `--serve`: the step (for the report), its outcome, seconds.
pub type Checked = (Step, Outcome, f64);

/// A started service, stopped (its whole process group) when dropped.
struct Running {
    name: String,
    port: u16,
    child: Child,
    log: PathBuf,
}

impl Drop for Running {
    fn drop(&mut self) {
        let pid = rustix::process::Pid::from_child(&self.child);
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::TERM);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        let _ = self.child.wait();
    }
}

/// Migrates, starts and probes the services of the repo at `root` (those in
/// `only`, or all); `progress` is told each step as it starts.
pub fn serve(
    catalog: &Catalog,
    root: &Path,
    answers: &Answers,
    only: &[String],
    mut progress: impl FnMut(&Step),
) -> Result<Vec<Checked>> {
    let _guard = crate::cancel::Guard::new()?;
    let logs = tempfile::Builder::new().prefix("folio-serve-").tempdir()?;
    let services: Vec<(&String, &String)> = answers
        .stacks
        .iter()
        .filter(|(name, _)| only.is_empty() || only.contains(name))
        .collect();
    let ports: Vec<u16> = services
        .iter()
        .map(|_| free_port())
        .collect::<Result<_>>()?;
    let mut env: Vec<(String, String)> = services
        .iter()
        .zip(&ports)
        .map(|((name, _), port)| {
            (
                format!("{}_URL", name.to_shouty_snake_case()),
                format!("http://127.0.0.1:{port}"),
            )
        })
        .collect();
    if std::env::var_os("SECRET_KEY").is_none() {
        env.push(("SECRET_KEY".into(), random_hex()?));
    }

    let mut checked = Vec::new();
    let mut running = Vec::new();
    for ((name, stack_id), port) in services.iter().zip(&ports) {
        let stack = catalog.stack(stack_id)?;
        let dir = crate::verify::service_dir(root, name)?;
        let mut service_env = env.clone();
        service_env.push(("PORT".into(), port.to_string()));
        let step = |kind: &str, command: String| Step {
            scope: (*name).clone(),
            kind: kind.into(),
            command,
            dir: dir.clone(),
            needs: None,
            chroot: None,
            env: service_env.clone(),
        };
        let migrations: Vec<Step> = stack
            .commands
            .migrate
            .iter()
            .map(|line| step("migrate", line.clone()))
            .collect();
        let results = crate::verify::run(&migrations, |_, s| progress(s));
        let migrated = crate::verify::passed(&results);
        checked.extend(
            migrations
                .into_iter()
                .zip(results)
                .map(|(s, (outcome, secs))| (s, outcome, secs)),
        );
        let Some(run) = stack.commands.run.last().filter(|_| migrated) else {
            continue;
        };
        let s = step("serve", format!("{run}  (port {port})"));
        progress(&s);
        let log = logs.path().join(format!("{name}.log"));
        let out = std::fs::File::create(&log).context("cannot create a log file")?;
        let child = Command::new("sh")
            .arg("-c")
            .arg(run)
            .current_dir(&dir)
            .envs(s.env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot start {name}: {run}"))?;
        running.push((
            s,
            Running {
                name: (*name).clone(),
                port: *port,
                child,
                log,
            },
        ));
    }

    // Every service must come up before any is asked about its peers.
    let mut up = Vec::new();
    for (s, service) in &mut running {
        let start = Instant::now();
        let outcome = wait_live(service)?;
        let ok = matches!(outcome, Outcome::Pass);
        checked.push((s.clone(), outcome, start.elapsed().as_secs_f64()));
        if ok {
            up.push(&*service);
        }
    }
    let several = services.len() > 1;
    for service in up {
        let mut paths = vec![("live", "/health/live"), ("ready", "/health/ready")];
        if several {
            paths.push(("peers", "/health/peers"));
        }
        for (kind, path) in paths {
            let url = format!("http://127.0.0.1:{}{path}", service.port);
            let s = Step {
                scope: service.name.clone(),
                kind: kind.into(),
                command: format!("GET {url}"),
                dir: root.to_path_buf(),
                needs: None,
                chroot: None,
                env: Vec::new(),
            };
            progress(&s);
            let start = Instant::now();
            let outcome = match get(service.port, path) {
                Ok((200, _)) if kind != "peers" => Outcome::Pass,
                Ok((200, body)) => peers_outcome(&body, &service.name, &services),
                Ok((status, body)) => Outcome::Fail(format!("GET {url} answered {status}: {body}")),
                Err(e) => Outcome::Fail(format!("GET {url} failed: {e}")),
            };
            checked.push((s, outcome, start.elapsed().as_secs_f64()));
        }
        checked.push(contract(service, root, &mut progress));
    }
    drop(running);
    Ok(checked)
}

/// Runs schemathesis against a service's OpenAPI document as a user it
/// registers for the run (missing when schemathesis is not installed).
fn contract(service: &Running, root: &Path, progress: &mut impl FnMut(&Step)) -> Checked {
    let url = format!("http://127.0.0.1:{}", service.port);
    let mut step = Step {
        scope: service.name.clone(),
        kind: "contract".into(),
        command: SCHEMATHESIS.replace("{url}", &url),
        dir: root.to_path_buf(),
        needs: Some("schemathesis"),
        chroot: None,
        env: Vec::new(),
    };
    let start = Instant::now();
    let token = if crate::verify::which("schemathesis").is_some() {
        progress(&step);
        match token(service.port) {
            Ok(token) => token,
            Err(e) => {
                return (
                    step,
                    Outcome::Fail(format!("cannot get a token for {url}: {e:#}")),
                    0.0,
                )
            }
        }
    } else {
        String::new()
    };
    step.env.push(("FOLIO_TOKEN".into(), token));
    let (outcome, secs) = crate::verify::run(std::slice::from_ref(&step), |_, _| {})
        .pop()
        .unwrap_or((Outcome::Skipped, 0.0));
    (step, outcome, secs + start.elapsed().as_secs_f64())
}

/// Registers a user with a random address and password, then logs in: the
/// bearer token (`access_token`, or Rails' `token`).
fn token(port: u16) -> Result<String> {
    let secret = random_hex()?;
    let body = serde_json::json!({
        "email": format!("contract-{}@example.com", &secret[..12]),
        "password": secret,
    })
    .to_string();
    let post = |path: &str| -> Result<String> {
        let (status, text) = request(port, "POST", path, Some(&body))?;
        if !(200..300).contains(&status) {
            anyhow::bail!("POST {path} answered {status}: {text}");
        }
        Ok(text)
    };
    post("/auth/register")?;
    let text = post("/auth/login")?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("POST /auth/login did not answer JSON: {text}"))?;
    match json["access_token"].as_str().or(json["token"].as_str()) {
        Some(token) => Ok(token.to_string()),
        None => anyhow::bail!("POST /auth/login answered no access_token: {text}"),
    }
}

/// Waits until the service answers `/health/live`, fails if it exits or
/// does not answer in time (with the end of its log).
fn wait_live(service: &mut Running) -> Result<Outcome> {
    let start = Instant::now();
    loop {
        crate::cancel::check()?;
        if let Ok(Some(status)) = service.child.try_wait() {
            return Ok(Outcome::Fail(format!(
                "{} exited ({status}) before answering /health/live:\n{}",
                service.name,
                log_of(service)
            )));
        }
        if let Ok((200, _)) = get(service.port, "/health/live") {
            return Ok(Outcome::Pass);
        }
        if start.elapsed() > START_TIMEOUT {
            return Ok(Outcome::Fail(format!(
                "{} did not answer /health/live on port {} within {} s:\n{}",
                service.name,
                service.port,
                START_TIMEOUT.as_secs(),
                log_of(service)
            )));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn log_of(service: &Running) -> String {
    std::fs::read_to_string(&service.log).unwrap_or_default()
}

/// `/health/peers` must say ok, and ok for every other service.
fn peers_outcome(body: &str, name: &str, services: &[(&String, &String)]) -> Outcome {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else {
        return Outcome::Fail(format!("/health/peers did not answer JSON: {body}"));
    };
    let missing: Vec<&str> = services
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| *n != name)
        .filter(|n| json["peers"][n]["status"] != "ok")
        .collect();
    if json["status"] == "ok" && missing.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail(format!(
            "{name} does not reach {}: {body}",
            if missing.is_empty() {
                "every peer".to_string()
            } else {
                missing.join(", ")
            }
        ))
    }
}

/// A plain HTTP/1.0 GET to 127.0.0.1: status and body.
fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    request(port, "GET", path, None)
}

/// A plain HTTP/1.0 request to 127.0.0.1 (no chunked bodies), with an
/// optional JSON body: status and body.
fn request(
    port: u16,
    method: &str,
    path: &str,
    json: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let timeout = Some(Duration::from_secs(10));
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(timeout)?;
    stream.set_write_timeout(timeout)?;
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n"
    )?;
    if let Some(body) = json {
        write!(
            stream,
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )?;
    } else {
        write!(stream, "\r\n")?;
    }
    let mut response = Vec::new();
    stream.take(1 << 20).read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("not an HTTP response"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Ok((status, body))
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")
        .context("cannot find a free port")?
        .local_addr()?
        .port())
}

fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
