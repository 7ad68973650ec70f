#!/usr/bin/env bash
# Regenerates templates/stacks/django/files/requirements.lock, the lock every generated
# Django service ships: each dependency of the stack (its own, every optional feature's,
# the dev tools and the build backend), pinned with hashes, resolved from PyPI for
# Python 3.11+ on any platform. One lock fits every feature combination (a superset).
#
# Run from the repo root after changing a dependency in
# templates/stacks/django/files/pyproject.toml.hbs or in a feature's pyproject partial
# (templates/*/django/partials/pyproject-*dependencies/, .../redis/dependency.hbs).
# Needs uv (`pip install uv`); UV=/path/to/uv to use another one.
set -euo pipefail

uv=${UV:-uv}
stack=templates/stacks/django
lock=$stack/files/requirements.lock
if [[ ! -f $stack/files/pyproject.toml.hbs ]]; then
  echo "lock-django.sh: run it from the root of the folio repo" >&2
  exit 1
fi

inputs=$(mktemp)
trap 'rm -f "$inputs"' EXIT
# Every quoted requirement ("name>=1.0",) of the dependency lists, whatever the
# feature flags around it; then the build backend of [build-system].
grep -hoE '^[[:space:]]*"[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,_-]+\])?[<>=!~][^"]*"' \
  "$stack/files/pyproject.toml.hbs" "$stack/partials/redis/dependency.hbs" \
  templates/features/*/django/partials/pyproject-*dependencies/*.hbs |
  tr -d ' "' >"$inputs"
grep -oE '^requires = \["[^"]+"' "$stack/files/pyproject.toml.hbs" | cut -d'"' -f2 >>"$inputs"
# hatchling builds editable installs (pip install -e . --no-build-isolation) with editables.
echo "editables" >>"$inputs"
sort -u -o "$inputs" "$inputs"

"$uv" pip compile "$inputs" \
  --universal --python-version 3.11 --generate-hashes --no-annotate \
  --custom-compile-command "scripts/lock-django.sh" \
  --output-file "$lock" --quiet
# pytest-cov asks for coverage[toml]; pip's --require-hashes (pip 23, Python 3.11's) only
# accepts that when the pinned line names the extra too, which uv leaves out.
sed -i 's/^coverage==/coverage[toml]==/' "$lock"
echo "wrote $lock ($(grep -c '==' "$lock") packages)"
