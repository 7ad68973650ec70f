#!/usr/bin/env python3
"""Benchmark `folio cohort`: a cohort of N learners (default 200) created and
pushed to a local git server, then its status, each timed.

A real `git daemon` (accepting pushes) serves N empty bare repos from tmpfs
(/dev/shm), as an instructor would pre-create them; `folio cohort new`
creates and pushes every learner's repo of intensive week 3; a tenth of the
learners then push work that ticks checklist items; `folio cohort status`
fetches every repo into a fresh cache (the first run) and again (the
incremental run) and writes the HTML report. Targets (issue 16): new under
60 s and status under 30 s on a 2-core machine.

Usage: python3 scripts/bench_cohort.py [--learners N] [--jobs J] [--no-build]
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLIO = os.path.join(ROOT, "target", "release", "folio")


def sh(*argv, cwd=None):
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(argv, cwd):
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{proc.stderr}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--learners", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        sh("cargo", "build", "--release", "--quiet", cwd=ROOT)
    n = args.learners
    with tempfile.TemporaryDirectory(dir="/dev/shm") as tmp:
        srv = os.path.join(tmp, "srv")
        os.makedirs(srv)
        with open(os.path.join(tmp, "roster.csv"), "w") as f:
            f.write("github,name\n")
            for i in range(n):
                f.write(f"learner-{i:03},Learner {i}\n")
        for i in range(n):
            sh("git", "init", "-q", "--bare", "-b", "main", os.path.join(srv, f"learner-{i:03}.git"))
        exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True, check=True).stdout.strip()
        port = free_port()
        daemon = subprocess.Popen(
            [os.path.join(exec_path, "git-daemon"), "--reuseaddr", "--export-all", "--enable=receive-pack",
             "--listen=127.0.0.1", f"--port={port}", f"--base-path={srv}", "--max-connections=64", srv],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            url = f"git://127.0.0.1:{port}/{{learner}}.git"
            new = timed([FOLIO, "cohort", "new", "roster.csv", "--plan", "intensive", "--week", "3",
                         "--remote", url, "--jobs", str(args.jobs)], tmp)
            # A tenth of the learners tick two items and push.
            for i in range(0, n, 10):
                work = os.path.join(tmp, f"w{i}")
                sh("git", "clone", "-q", f"git://127.0.0.1:{port}/learner-{i:03}.git", work)
                readme = os.path.join(work, "README.md")
                text = open(readme).read().replace("- [ ] ", "- [x] ", 2)
                open(readme, "w").write(text)
                sh("git", "-c", "user.name=l", "-c", "user.email=l@example.org", "commit", "-qam", "work", cwd=work)
                sh("git", "push", "-q", "origin", "HEAD:main", cwd=work)
            status_argv = [FOLIO, "cohort", "status", "roster.csv", "--remote", url, "--jobs", str(args.jobs),
                           "--cache", os.path.join(tmp, "cache"), "--html", "report.html"]
            status_cold = timed(status_argv, tmp)
            status_warm = timed(status_argv, tmp)
        finally:
            daemon.kill()
            daemon.wait()
    cores = os.cpu_count()
    print(f"{n} learners, --jobs {args.jobs}, {cores} cores, git daemon on tmpfs")
    print(f"folio cohort new             {new:7.1f} s   (target < 60 s)  {'met' if new < 60 else 'NOT met'}")
    print(f"folio cohort status (cold)   {status_cold:7.1f} s   (target < 30 s)  {'met' if status_cold < 30 else 'NOT met'}")
    print(f"folio cohort status (warm)   {status_warm:7.1f} s")


if __name__ == "__main__":
    main()
