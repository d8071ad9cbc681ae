#!/usr/bin/env bash
# Fails when the production build (tsconfig.build.json) would compile testing code: libs/testing,
# any testing/ folder, fixtures, harnesses, builders, specs, bench/ or test/. An excluded file still
# gets compiled when production code imports it, so this lists what tsc really takes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
leaks=$(npx tsc -p tsconfig.build.json --listFilesOnly | grep -v '/node_modules/' | sed "s|^$PWD/||" |
  grep -E '(^|/)(testing|test|bench)/|\.(spec|int-spec|e2e-spec|fixture|harness|builder)\.ts$' || true)
if [[ -n $leaks ]]; then
  echo "[check:build] testing code in the production build (imported by production code?):" >&2
  echo "$leaks" >&2
  exit 1
fi
echo "[check:build] no testing code in the production build"
