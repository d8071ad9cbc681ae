#!/usr/bin/env bash
# Benchmarks (not tests): `npm run bench -- <name> [args]`, name = a file bench/<name>.bench.ts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
ensure_node_modules "$ROOT"
bash scripts/infra.sh up >/dev/null
names=(bench/*.bench.ts)
names=("${names[@]#bench/}")
names=("${names[@]%.bench.ts}")
name=${1:?usage: npm run bench -- <name> [args]; names: ${names[*]}}
shift
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec node --max-old-space-size=4096 -r ts-node/register/transpile-only -r tsconfig-paths/register "bench/$name.bench.ts" "$@"
