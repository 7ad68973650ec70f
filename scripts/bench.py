#!/usr/bin/env python3
"""Benchmark `folio new` against `cp -r` of its own output, side by side.

Cases (each against `cp -r` of the very output it makes):
  - the largest built-in spec (most files), as `--yes` makes it;
  - a synthetic template pack of N files (N = 120 and 600): each file has 5
    variables and one conditional, layered over the smallest built-in week.
For each case and run, `cp -r`, `folio new --no-git` and `folio new` (with
git) run one after the other, so all three see the same machine state. All
files live on tmpfs (/dev/shm) so the disk's noise stays out. Reported: the
median and the minimum wall time (each command started directly, so nothing else's start
is counted), each ratio to `cp -r` by median and by minimum, and the peak
RSS (GNU time, in separate runs of the same commands).

A pack's templates are compiled once and kept in folio's cache (a folder on
tmpfs here): the reference run of each case fills it, as a first run would,
and the `--no-git, cold` row is each run with an empty cache instead (every
template parsed, the cache written).

Targets (issue 13): `--no-git` at most 1.5x `cp -r` and linear in N, peak
RSS at most 8 MiB; with git at most 3x `cp -r`.

Usage: python3 scripts/bench.py [--runs N] [--no-build]
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
GNU_TIME = "/usr/bin/time"  # Debian package `time`, for peak RSS only
TMPFS = "/dev/shm"


def run(argv, cwd, env=None):
    """Runs argv on its own; returns its wall time in seconds. Fails loudly."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {proc.stderr.decode(errors='replace')}")
    return elapsed


def peak_rss(argv, cwd, env=None):
    """argv's peak RSS in KiB, from GNU time: a small process that starts it
    (a child of this Python process would inherit Python's own peak)."""
    proc = subprocess.run([GNU_TIME, "-f", "%M", *argv], cwd=cwd, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {proc.stderr}")
    return int(proc.stderr.strip().splitlines()[-1])


def spec_ids():
    out = subprocess.run([FOLIO, "list", "--json"], check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    return [s["id"] for s in data["specs"]] + [w["spec"] for p in data["plans"] for w in p["weeks"]]


def file_count(spec):
    tree = subprocess.run([FOLIO, "new", spec, "--yes", "--dry-run"], check=True, capture_output=True, text=True).stdout
    return sum(1 for line in tree.splitlines()[1:] if not line.rstrip().endswith("/"))


def synthetic_pack(dir, n):
    """A pack of n files under common/files/, 5 variables and one conditional each."""
    files = os.path.join(dir, "common", "files", "synthetic")
    os.makedirs(files)
    body = (
        "# {{project.title}} ({{project.name}})\n"
        "Spec {{spec.id}}: {{spec.title}}, database {{database}}.\n"
        "{{#if multi_service}}Several services.{{else}}One service.{{/if}}\n"
    ) + "Filler line to give the file a realistic size.\n" * 20
    for i in range(n):
        with open(os.path.join(files, f"file-{i:04}.md.hbs"), "w") as f:
            f.write(body)


def clean(work, label, i):
    """Removes what run i of a case wrote, so the next command starts afresh."""
    for kind in ("cp", "nogit", "git", "cold", "cache"):
        shutil.rmtree(os.path.join(work, f"{label}-{kind}-{i}"), ignore_errors=True)


def measure_case(label, argv_prefix, runs, work):
    """Runs cp -r, folio --no-git and folio with git side by side `runs` times."""
    reference = os.path.join(work, f"{label}-reference")
    run([*argv_prefix, reference, "--no-git"], work)
    files = sum(len(fs) for _, _, fs in os.walk(reference))
    rows = {"cp -r": ([], []), "folio --no-git": ([], []), "folio (git)": ([], []), "--no-git, cold": ([], [])}
    for i in range(runs):
        # Cold: an empty cache folder, so a pack's templates are all parsed
        # (and the cache written); the other runs find them compiled.
        cold = dict(os.environ, FOLIO_CACHE_DIR=os.path.join(work, f"{label}-cache-{i}"))
        for name, argv, env in [
            ("cp -r", ["cp", "-r", reference, f"{label}-cp-{i}"], None),
            ("folio --no-git", [*argv_prefix, f"{label}-nogit-{i}", "--no-git"], None),
            ("folio (git)", [*argv_prefix, f"{label}-git-{i}"], None),
            ("--no-git, cold", [*argv_prefix, f"{label}-cold-{i}", "--no-git"], cold),
        ]:
            rows[name][0].append(run(argv, work, env))
            clean(work, label, i)
            # Peak RSS in the first runs, apart from the timed ones.
            if i < 3:
                rows[name][1].append(peak_rss(argv, work, env))
                clean(work, label, i)
    return files, {k: (statistics.median(t), min(t), max(r) / 1024) for k, (t, r) in rows.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(GNU_TIME):
        sys.exit("GNU time is missing (for peak RSS): install it with `apt-get install -y time`")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    os.environ.setdefault("GIT_AUTHOR_NAME", "bench")
    os.environ.setdefault("GIT_AUTHOR_EMAIL", "bench@example.com")
    os.environ.pop("FOLIO_TEMPLATES", None)

    counts = {s: file_count(s) for s in spec_ids()}
    largest = max(counts, key=counts.get)
    smallest = min(counts, key=counts.get)
    base = TMPFS if os.path.isdir(TMPFS) else None
    work = tempfile.mkdtemp(prefix="folio-bench-", dir=base)
    # folio's cache of compiled pack templates, on tmpfs too: the reference
    # run of each case fills it, as a first run would.
    os.environ["FOLIO_CACHE_DIR"] = os.path.join(work, "cache")
    try:
        cases = [(f"spec {largest}", [FOLIO, "new", largest, "--yes"])]
        for n in (120, 600):
            pack = os.path.join(work, f"pack-{n}")
            synthetic_pack(pack, n)
            cases.append((f"pack of {n} files + {smallest}", [FOLIO, "--templates", pack, "new", smallest, "--yes"]))
        results = []
        for i, (label, argv) in enumerate(cases):
            files, rows = measure_case(f"case{i}", argv, args.runs, work)
            results.append((label, files, rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.runs} runs per command, side by side, on {'tmpfs' if base else 'the default temp folder'}; {os.cpu_count()} cores")
    for label, files, rows in results:
        cp_med, cp_min, _ = rows["cp -r"]
        print(f"\n{label}: {files} files")
        print(f"{'':16} {'median':>9} {'min':>9} {'x cp (med)':>11} {'x cp (min)':>11} {'peak RSS':>9}")
        for name, (med, mn, rss) in rows.items():
            print(f"{name:16} {med * 1000:7.2f}ms {mn * 1000:7.2f}ms {med / cp_med:10.2f}x {mn / cp_min:10.2f}x {rss:7.1f}MiB")
    # Linearity: the extra time of 600 files over 120, per file, against 120's own.
    (_, f120, r120), (_, f600, r600) = results[1], results[2]
    per_file = (r600["folio --no-git"][0] - r120["folio --no-git"][0]) / (f600 - f120)
    print(f"\nper extra file (120 -> 600): {per_file * 1e6:.0f} us with folio --no-git, "
          f"{(r600['cp -r'][0] - r120['cp -r'][0]) / (f600 - f120) * 1e6:.0f} us with cp -r")
    # The targets are for the steady state (cache filled); cold runs are shown.
    worst = max(rows["folio --no-git"][0] / rows["cp -r"][0] for _, _, rows in results)
    worst_git = max(rows["folio (git)"][0] / rows["cp -r"][0] for _, _, rows in results)
    rss = max(rows["folio --no-git"][2] for _, _, rows in results)
    print(f"targets: --no-git <= 1.5x cp -r: {'met' if worst <= 1.5 else 'NOT met'} (worst {worst:.1f}x by median); "
          f"with git <= 3x: {'met' if worst_git <= 3 else 'NOT met'} (worst {worst_git:.1f}x); "
          f"peak RSS <= 8 MiB: {'met' if rss <= 8 else 'NOT met'} ({rss:.1f} MiB)")


if __name__ == "__main__":
    main()
