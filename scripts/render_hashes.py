#!/usr/bin/env python3
"""Hash the output of every combination folio can render, to prove that a
template refactoring changes nothing (or only what it says it changes).

For every spec and week: every offered stack of each service (the others at
their default), every database those stacks share with the spec, and the
features none, each one alone, and all together. Each combination is made
with `folio new --no-git`; every file is hashed after the generated secrets
(hex values in .env files) are replaced by a placeholder.

  python3 scripts/render_hashes.py --out before.json [--folio PATH]
  ... change the templates ...
  python3 scripts/render_hashes.py --out after.json --compare before.json
  (--only STACK: only the combinations using that stack; FOLIO_TEMPLATES=templates
  renders the templates folder as it is now, without rebuilding folio)

With --compare, prints every combination and file that differs and exits 1
if any does.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = re.compile(r"^[A-Z_]+=([0-9a-f]{32,64})$", re.M)


def folio_json(folio, *args):
    return json.loads(subprocess.run([folio, *args, "--json"], check=True, capture_output=True, text=True).stdout)


def combinations(folio):
    listing = folio_json(folio, "list")
    ids = [s["id"] for s in listing["specs"]] + [w["spec"] for p in listing["plans"] for w in p["weeks"]]
    for spec_id in ids:
        spec = folio_json(folio, "show", spec_id)
        services = spec["services"]
        choices = [{s["name"]: s["default_stack"] for s in services}]
        for s in services:
            for stack in s["stacks"]:
                if stack["id"] != s["default_stack"]:
                    choices.append({**choices[0], s["name"]: stack["id"]})
        by_id = {(s["name"], t["id"]): t for s in services for t in s["stacks"]}
        for stacks in choices:
            chosen = [by_id[(name, stack)] for name, stack in stacks.items()]
            dbs = [d for d in spec["databases"] if all(d in t["databases"] for t in chosen)]
            offered = [f["id"] for f in spec["features"] if any(f["id"] in t["features"] for t in chosen)]
            feature_sets = [[]] + [[f] for f in offered] + ([offered] if len(offered) > 1 else [])
            for db in dbs:
                for features in feature_sets:
                    yield spec_id, stacks, db, features


def key(spec_id, stacks, db, features):
    stack_part = ",".join(f"{n}={s}" for n, s in sorted(stacks.items()))
    return f"{spec_id} {stack_part} {db} [{','.join(features) or 'none'}]"


def render(folio, combo):
    spec_id, stacks, db, features = combo
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "p")
        argv = [folio, "new", spec_id, out, "--yes", "--no-git", "--db", db, "--with", ",".join(features) or "none"]
        for name, stack in stacks.items():
            argv += ["--stack", f"{name}={stack}"]
        proc = subprocess.run(argv, capture_output=True, text=True)
        if proc.returncode != 0:
            return key(*combo), {"error": proc.stderr.strip()}
        files = {}
        for dirpath, _, names in os.walk(out):
            for name in names:
                path = os.path.join(dirpath, name)
                files[os.path.relpath(path, out)] = open(path, "rb").read()
        secrets = set()
        for rel, data in files.items():
            if os.path.basename(rel) == ".env":
                secrets.update(SECRET.findall(data.decode()))
        hashes = {}
        for rel, data in sorted(files.items()):
            for s in secrets:
                data = data.replace(s.encode(), b"<secret>")
            hashes[rel] = hashlib.sha256(data).hexdigest()
        return key(*combo), hashes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folio", default=os.path.join(ROOT, "target", "debug", "folio"))
    parser.add_argument("--out", required=True)
    parser.add_argument("--compare")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only", help="only combinations using this stack (e.g. fastapi)")
    args = parser.parse_args()
    combos = [c for c in combinations(args.folio) if not args.only or args.only in c[1].values()]
    with ThreadPoolExecutor(args.jobs) as pool:
        result = dict(pool.map(lambda c: render(args.folio, c), combos))
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
    errors = [k for k, v in result.items() if "error" in v]
    print(f"{len(result)} combinations, {len(errors)} failed to render")
    for k in errors:
        print(f"  {k}: {result[k]['error']}")
    if not args.compare:
        return 1 if errors else 0
    before = json.load(open(args.compare))
    differ = 0
    if args.only:
        before = {k: v for k, v in before.items() if f"={args.only}" in k}
    for k in sorted(set(before) | set(result)):
        a, b = before.get(k), result.get(k)
        if a == b:
            continue
        differ += 1
        if a is None or b is None:
            print(f"{k}: only {'after' if a is None else 'before'}")
            continue
        changed = sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p))
        print(f"{k}: {', '.join(changed)}")
    print(f"{differ} of {len(result)} combinations differ")
    return 1 if differ or errors else 0


if __name__ == "__main__":
    sys.exit(main())
