#!/usr/bin/env python3
"""Writes scripts/hot-symbols.txt: the functions typical `folio new` runs
execute, which build.rs places side by side at the start of the binary's
code (fewer pages touched per run: see README, "Benchmark").

Builds the `profiling` profile (release with symbols), runs each command
below under callgrind (valgrind), and keeps every executed function defined
in folio's binary, in order of first use (the first command's first). Rust
names lose their hash suffix (`17h<16 hex>E`) and local clones their
numbered suffix, so the list stays valid across most code changes; run this
again after large ones, and compare `python3 scripts/bench.py` (peak RSS).
A function of the C libraries linked statically (glibc, libm, libgcc) is
listed as its archive member (`libc.a:malloc.o`), whose code build.rs
places as a whole: their objects are not compiled one section per function.

  python3 scripts/hot_symbols.py
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import synthetic_pack  # noqa: E402 (the pack bench.py measures)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "profiling", "folio")
OUT = os.path.join(ROOT, "scripts", "hot-symbols.txt")
RUST_HASH = re.compile(r"17h[0-9a-f]{16}E$")
CLONE = re.compile(r"(\.(llvm|constprop|isra|part|cold)(\.\d+)?|\.\d+)+$")


def executed(argv, cwd, env):
    """Names of the functions a run of argv executes, in order of first appearance."""
    out = os.path.join(cwd, "callgrind.out")
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", *argv],
        cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    names = []
    with open(out) as f:
        for line in f:
            m = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
            if m:
                names.append(m.group(1))
    os.remove(out)
    return names


def archive_members():
    """For the C libraries linked statically: each function's archive
    member, e.g. `__libc_malloc` -> `libc.a:malloc.o` (the first that defines it)."""
    members = {}
    for archive in ("libc.a", "libm.a", "libgcc.a", "libgcc_eh.a"):
        path = subprocess.run(["cc", f"-print-file-name={archive}"], capture_output=True, text=True).stdout.strip()
        if not os.path.isabs(path):
            continue
        listing = subprocess.run(["nm", "-A", "--defined-only", path], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            # /usr/lib/x86_64-linux-gnu/libc.a:malloc.o:00000000000042a0 T __libc_malloc
            location, kind, name = line.rsplit(" ", 2)
            if kind in "TtWwi":
                members.setdefault(name, f"{archive}:{location.split(':')[-2]}")
    return members


def strip(name):
    return RUST_HASH.sub("", name) if name.startswith("_ZN") else CLONE.sub("", name)


def main():
    if not shutil.which("valgrind"):
        sys.exit("valgrind is missing: apt-get install -y valgrind")
    subprocess.run(["cargo", "build", "--profile", "profiling", "--quiet"], cwd=ROOT, check=True)
    nm = subprocess.run(["nm", "--defined-only", BINARY], check=True, capture_output=True, text=True).stdout
    defined = {line.split()[-1] for line in nm.splitlines() if len(line.split()) == 3}
    members = archive_members()

    work = tempfile.mkdtemp(prefix="folio-hot-")
    try:
        synthetic_pack(os.path.join(work, "pack"), 120)
        env = dict(os.environ, FOLIO_CACHE_DIR=os.path.join(work, "cache"),
                   GIT_AUTHOR_NAME="hot", GIT_AUTHOR_EMAIL="hot@example.com")
        env.pop("FOLIO_TEMPLATES", None)
        runs = [
            ["new", "production-system", "--yes", "a", "--no-git"],
            ["--templates", "pack", "new", "intensive-week-3", "--yes", "b", "--no-git"],
            ["--templates", "pack", "new", "intensive-week-3", "--yes", "c", "--no-git"],
            ["new", "ecommerce-api", "--yes", "d"],
            ["new", "production-system", "--yes", "e"],
            ["list", "--json"],
        ]
        order, seen = [], set()
        for argv in runs:
            for name in executed([BINARY, *argv], work, env):
                if name in defined:
                    key = members.get(name) or strip(name)
                    if key and key not in seen:
                        seen.add(key)
                        order.append(key)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(OUT, "w") as f:
        f.write("# Functions typical `folio new` runs execute, hash suffixes removed:\n"
                "# build.rs places them side by side. Written by scripts/hot_symbols.py.\n")
        f.write("\n".join(order) + "\n")
    print(f"{len(order)} functions -> {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
