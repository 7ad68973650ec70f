#!/usr/bin/env python3
"""Count the template lines that sit inside a feature conditional.

A feature conditional is an `{{#if}}` or `{{#unless}}` block whose condition
names `features.` (or the derived `uses.redis`). Features are meant to
contribute through overlay files and partials instead, so this number should
stay small. Counts templates under templates/stacks/ and templates/common/
(feature overlays are where feature content belongs, and are not counted).

  python3 scripts/feature_lines.py            # total, and the top files
  python3 scripts/feature_lines.py --all      # every file with a count
"""

import argparse
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates")
TAG = re.compile(r"\{\{~?\s*([#/])\s*([\w.>*-]+)([^}]*)\}\}")
FEATURE = re.compile(r"\bfeatures\.|\buses\.redis\b")


def count(text):
    """Lines of `text` inside at least one feature conditional, or holding one."""
    stack = []  # one bool per open block: is it a feature conditional?
    inside = 0
    for line in text.splitlines():
        touched = any(stack)
        for m in TAG.finditer(line):
            kind, name, rest = m.groups()
            if kind == "#":
                stack.append(name in ("if", "unless") and bool(FEATURE.search(rest)))
                touched |= stack[-1]
            elif stack:
                stack.pop()
        if touched or any(stack):
            inside += 1
    return inside


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    counts = {}
    total_lines = 0
    for top in ("stacks", "common"):
        for dirpath, _, names in os.walk(os.path.join(ROOT, top)):
            for name in names:
                path = os.path.join(dirpath, name)
                try:
                    text = open(path, encoding="utf-8").read()
                except UnicodeDecodeError:
                    continue
                total_lines += len(text.splitlines())
                n = count(text) if name.endswith(".hbs") else 0
                if n:
                    counts[os.path.relpath(path, ROOT)] = n
    total = sum(counts.values())
    print(f"{total} of {total_lines} lines of stacks/ and common/ sit inside feature conditionals")
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    for path, n in ranked if args.all else ranked[:15]:
        print(f"{n:6}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
