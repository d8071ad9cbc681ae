#!/usr/bin/env bash
# Dashboards and alerts as code (ops/), checked with promtool from Debian's prometheus package:
# the Prometheus configuration, the alert rules and their unit tests, and every PromQL query of
# the Grafana dashboard (compiled as recording rules). The dashboard's structure and metric names
# are checked by test/ops/observability-as-code.spec.ts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
promtool="$(ensure_promtool "$ROOT")"

"$promtool" check config ops/prometheus/prometheus.yml
(cd ops/prometheus && "$promtool" test rules alerts.test.yml)

queries="$(mktemp --suffix=.yml)"
trap 'rm -f "$queries"' EXIT
node -r ts-node/register/transpile-only scripts/ops/dashboard-queries.ts ops/grafana/dashboards/lifecycle-platform.json >"$queries"
"$promtool" check rules "$queries"
