#!/bin/sh
# Regenerates templates/stacks/express/files/package-lock.json.hbs: one npm lock
# (lockfileVersion 3) for every dependency the Express template can ask for (its
# partials package-dependencies and package-dev-dependencies, and every feature's
# package-* partials), resolved from the npm registry.
#
# Each generated service gets the lock with its root entry (packages[""])
# rendered from the same partials and slots as its package.json, so the root
# lists exactly that service's dependencies, and with the union's packages: a
# superset of what the service needs. `npm ci` accepts that and does not rewrite
# the lock: npm 11 (Node.js 24+, the Docker image and CI) builds the tree from
# the lock, leaves out what no dependency reaches and checks that every package
# it installs is in the lock; npm 10 (bundled with Node.js 20 and 22) installs
# every package of the lock, the unused ones too (measured: 641 packages for a
# MongoDB service without features, against npm 11's 484). The packages go one per line so that a bump reads as
# a short diff, and the template stays under folio's 256 KiB limit for a template.
#
# Run from the repository root after changing a dependency or its range:
#   scripts/lock-express.sh          (needs node and npm, and the npm registry)
set -eu
stack=templates/stacks/express
out=$stack/files/package-lock.json.hbs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The "name": "range" pairs (a line may start with {{#if ...}} or {{slot ...}});
# files named *dev-dep* hold devDependencies.
deps() {
  find "$stack/partials" templates/features/*/express/partials -path '*package-*' -type f -print0 \
    | xargs -0 grep -l -E '"[@a-z0-9._/-]+": "[~^]?[0-9]' | sort | while read -r file; do
        case $file in *dev-dep*) kind=dev ;; *) kind=prod ;; esac
        grep -h -o -E '"[@a-z0-9._/-]+": "[~^]?[0-9][^"]*"' "$file" | sed "s/^/$kind /"
      done
}
deps > "$work/deps.txt"
node --input-type=module - "$work" <<'JS'
import { readFileSync, writeFileSync } from "node:fs";
const work = process.argv[2];
const pkg = { name: "express-template-lock", version: "0.1.0", private: true, dependencies: {}, devDependencies: {} };
for (const line of readFileSync(`${work}/deps.txt`, "utf8").split("\n").filter(Boolean)) {
  const [, kind, name, range] = line.match(/^(\w+) "([^"]+)": "([^"]+)"$/);
  const group = kind === "dev" ? pkg.devDependencies : pkg.dependencies;
  if (group[name] && group[name] !== range) throw new Error(`${name}: two ranges, ${group[name]} and ${range}`);
  group[name] = range;
}
writeFileSync(`${work}/package.json`, JSON.stringify(pkg, null, 2));
JS
(cd "$work" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error)
node --input-type=module - "$work" "$out" <<'JS'
import { readFileSync, writeFileSync } from "node:fs";
const [work, out] = process.argv.slice(2);
const lock = JSON.parse(readFileSync(`${work}/package-lock.json`, "utf8"));
const entries = Object.entries(lock.packages).filter(([path]) => path !== "");
const body = entries.map(([path, entry]) => `    ${JSON.stringify(path)}: ${JSON.stringify(entry)}`).join(",\n");
if (body.includes("{{")) throw new Error("a package entry holds {{, which Handlebars would read");
const template = `{
  "name": "{{project.name}}-{{service.name}}",
  "version": "0.1.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "{{project.name}}-{{service.name}}",
      "version": "0.1.0",
      "dependencies": {
{{> package-dependencies}}      },
      "devDependencies": {
{{> package-dev-dependencies}}      },
      "engines": {
        "node": ">=20.19"
      }
    },
${body}
  }
}
`;
if (Buffer.byteLength(template) > 250 * 1024) throw new Error(`the lock is ${Buffer.byteLength(template)} bytes: over folio's 256 KiB template limit`);
writeFileSync(out, template);
const root = lock.packages[""];
const counts = `${Object.keys(root.dependencies).length} dependencies, ${Object.keys(root.devDependencies).length} dev`;
console.log(`wrote ${out} (${counts}; ${entries.length} packages, ${Buffer.byteLength(template)} bytes)`);
JS
