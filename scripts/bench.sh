#!/usr/bin/env bash
# Benchmarks (not tests): `npm run bench -- <name> [args]`, name = a file bench/<name>.bench.ts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
ensure_node_modules "$ROOT"
bash scripts/infra.sh up >/dev/null
name=${1:?usage: npm run bench -- <name> [args]; names: $(ls bench/*.bench.ts | xargs -n1 basename | sed 's/.bench.ts//' | tr '\n' ' ')}
shift
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec node --max-old-space-size=4096 -r ts-node/register/transpile-only -r tsconfig-paths/register "bench/$name.bench.ts" "$@"
