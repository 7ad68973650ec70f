#!/usr/bin/env python3
"""Benchmark `folio new` against `cp -r` of its own output.

Builds folio in release mode, picks the spec with the most files, and reports
the wall time (mean and min over N runs) and peak memory (max RSS) of:
  - cp -r of an already generated copy (the floor: the same bytes on disk),
  - folio new --no-git,
  - folio new (with git init + first commit).
Targets (issue #2): folio new --no-git under 2x cp -r and under 10 MB peak RSS.
Wall times include the GNU time wrapper for every command alike.
Usage: python3 scripts/bench.py [--runs N] [--spec ID]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLIO = os.path.join(ROOT, "target", "release", "folio")
GNU_TIME = "/usr/bin/time"  # Debian package `time`


def run(argv, cwd):
    """Runs argv, returns (seconds, max RSS in KiB); fails loudly on error.

    Peak memory comes from GNU time (`/usr/bin/time -f %M`): the rusage of a
    child forked from Python would count Python's own pages before exec.
    """
    start = time.perf_counter()
    proc = subprocess.run([GNU_TIME, "-f", "%M", *argv], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {proc.stderr}")
    return elapsed, int(proc.stderr.strip().splitlines()[-1])


def largest_spec():
    out = subprocess.run([FOLIO, "list", "--json"], check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    ids = [s["id"] for s in data["specs"]] + [w["spec"] for p in data["plans"] for w in p["weeks"]]
    best = None
    for spec in ids:
        tree = subprocess.run([FOLIO, "new", spec, "--yes", "--dry-run"], check=True, capture_output=True, text=True).stdout
        count = sum(1 for line in tree.splitlines()[1:] if not line.rstrip().endswith("/"))
        if best is None or count > best[1]:
            best = (spec, count)
    return best


def measure(label, make_argv, runs, work):
    times, rss = [], []
    for i in range(runs):
        elapsed, kib = run(make_argv(f"out-{label}-{i}"), work)
        times.append(elapsed)
        rss.append(kib)
    return {"label": label, "mean": statistics.mean(times), "min": min(times), "rss_mb": max(rss) / 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--spec")
    args = parser.parse_args()

    if not os.path.exists(GNU_TIME):
        sys.exit("GNU time is missing: install it with `apt-get install -y time`")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    spec, files = (args.spec, None) if args.spec else largest_spec()
    env_note = "GIT_AUTHOR_NAME/EMAIL set for the git runs"
    os.environ.setdefault("GIT_AUTHOR_NAME", "bench")
    os.environ.setdefault("GIT_AUTHOR_EMAIL", "bench@example.com")

    work = tempfile.mkdtemp(prefix="folio-bench-")
    try:
        run([FOLIO, "new", spec, "reference", "--yes", "--no-git"], work)
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(work, "reference")) for f in fs)
        files = files or sum(len(fs) for _, _, fs in os.walk(os.path.join(work, "reference")))
        rows = [
            measure("cp", lambda out: ["cp", "-r", "reference", out], args.runs, work),
            measure("folio-nogit", lambda out: [FOLIO, "new", spec, out, "--yes", "--no-git"], args.runs, work),
            measure("folio-git", lambda out: [FOLIO, "new", spec, out, "--yes"], args.runs, work),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    cp = rows[0]["mean"]
    names = {"cp": "cp -r (same output)", "folio-nogit": "folio new --no-git", "folio-git": "folio new (with git)"}
    print(f"spec {spec}: {files} files, {size / 1024:.1f} KiB; {args.runs} runs each; {env_note}")
    print(f"{'':24} {'mean':>9} {'min':>9} {'vs cp -r':>9} {'peak RSS':>9}")
    for r in rows:
        print(f"{names[r['label']]:24} {r['mean'] * 1000:7.2f}ms {r['min'] * 1000:7.2f}ms {r['mean'] / cp:8.2f}x {r['rss_mb']:7.1f}MB")
    nogit = rows[1]
    ok_time = nogit["mean"] / cp < 2
    ok_mem = nogit["rss_mb"] < 10
    print(f"target folio new --no-git < 2x cp -r: {'met' if ok_time else 'NOT met'}; < 10 MB peak RSS: {'met' if ok_mem else 'NOT met'}")


if __name__ == "__main__":
    main()
