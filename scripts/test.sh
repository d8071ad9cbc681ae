#!/usr/bin/env bash
# The README's test command (`npm test`): installs what is missing, starts the real servers
# (Kafka, the Mongo-wire server, Redis) on loopback, type-checks, builds the console, checks
# formatting, lints TypeScript and shell, then runs unit, integration (with the console in
# Debian's Chromium) and fault-injection tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
start=$(date +%s)

ensure_node_modules "$ROOT"
ensure_chromium
bash scripts/infra.sh up

echo "[test] type-check"
npx tsc -p tsconfig.json --noEmit
echo "[test] build the console (type-checks it too)"
npm run --silent build:console
echo "[test] build excludes testing code"
npm run --silent check:build
echo "[test] format (prettier --check)"
npm run --silent format:check
echo "[test] lint"
npm run --silent lint
echo "[test] shellcheck"
npm run --silent lint:sh
echo "[test] documentation links stay in the repository"
npm run --silent check:links
echo "[test] dashboards and alerts (promtool: config, rules, rule tests, dashboard queries)"
npm run --silent check:ops

mkdir -p .local/test-results
rc=0
echo "[test] unit tests"
npx jest --selectProjects unit --forceExit --json --outputFile=.local/test-results/unit.json || rc=1
echo "[test] integration and end-to-end tests (real Kafka, Mongo-wire server, Redis)"
npx jest --selectProjects integration --runInBand --forceExit --json --outputFile=.local/test-results/integration.json || rc=1
# Last, alone: this suite kills and restarts the servers and the status-tracking service.
echo "[test] fault injection (broker, Mongo-wire server, Redis and service restarts; counts lost/duplicated)"
npx jest --selectProjects faults --runInBand --forceExit --json --outputFile=.local/test-results/faults.json || rc=1

# Single quotes on purpose: the JavaScript's template literals are for node, not for bash.
# shellcheck disable=SC2016
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, pending = 0;
  for (const f of ["unit", "integration", "faults"]) {
    const p = `.local/test-results/${f}.json`;
    if (!fs.existsSync(p)) { failed++; continue; }
    const r = JSON.parse(fs.readFileSync(p, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; pending += r.numPendingTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed` + (pending ? `, ${pending} skipped` : ""));
'
echo "[test] finished in $(( $(date +%s) - start )) s"
exit $rc
