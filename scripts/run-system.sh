#!/usr/bin/env bash
# The README's run command (`npm start`): installs, starts the real servers (Kafka, the Mongo-wire
# server, Redis), builds and starts the five apps, seeds the demo once, prints how to try it, and keeps
# running until Ctrl-C (which stops the apps; `npm run infra down` stops the servers).
#   npm start            # foreground
#   npm start -- --detach  # leave everything running; `npm run stop` stops the apps
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL/run" "$LOCAL/logs"
APPS=(attribute-catalog status-tracking cycle-planning segment-evaluation gateway)

stop_apps() {
  for app in "${APPS[@]}"; do
    local f="$LOCAL/run/app-$app.pid"
    if [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null; then
      kill "$(cat "$f")" 2>/dev/null || true
    fi
  done
  for app in "${APPS[@]}"; do
    local f="$LOCAL/run/app-$app.pid"
    if [[ -f $f ]]; then
      for _ in $(seq 1 40); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$(cat "$f")" 2>/dev/null || true
      rm -f "$f"
    fi
  done
}

if [[ ${1:-} == stop ]]; then stop_apps; echo "apps stopped (servers: npm run infra down)"; exit 0; fi
DETACH=false
[[ ${1:-} == --detach ]] && DETACH=true

set -a; source config/local.env; set +a

ensure_node_modules "$ROOT"
bash scripts/infra.sh up
echo "[run] building"
npx tsc -p tsconfig.build.json
npm run --silent build:console
stop_apps

start_app() { # app port database
  local app=$1 port=$2 db=${3:-}
  local flags
  flags=$(sh scripts/node-flags.sh "$app")
  (
    export PORT=$port
    [[ -n $db ]] && export MONGO_URL="$MONGO_HOST_URL/$db"
    [[ -z $db ]] && export MONGO_URL="$MONGO_HOST_URL/gateway"
    export TS_NODE_PROJECT="$ROOT/tsconfig.dist.json"
    # shellcheck disable=SC2086 # the flags are words
    exec node $flags -r tsconfig-paths/register "dist/apps/$app/src/main.js"
  ) >>"$LOCAL/logs/app-$app.log" 2>&1 &
  echo $! >"$LOCAL/run/app-$app.pid"
}

echo "[run] starting the apps (logs in .local/logs/app-*.log)"
start_app attribute-catalog 3001 attribute_catalog
start_app status-tracking 3002 status_tracking
start_app cycle-planning 3003 cycle_planning
start_app segment-evaluation 3004 segment_evaluation
start_app gateway 3000

healthy=false
for _ in $(seq 1 120); do
  if curl -fsS http://127.0.0.1:3000/health >/dev/null 2>&1; then healthy=true; break; fi
  for app in "${APPS[@]}"; do
    if ! kill -0 "$(cat "$LOCAL/run/app-$app.pid")" 2>/dev/null; then
      echo "[run] $app exited; last log lines:" >&2
      tail -n 40 "$LOCAL/logs/app-$app.log" >&2
      stop_apps
      exit 1
    fi
  done
  sleep 0.5
done
if ! $healthy; then
  echo "[run] the system did not become healthy in 60 s:" >&2
  curl -sS http://127.0.0.1:3000/health >&2 || true
  stop_apps
  exit 1
fi

ADMIN_KEY=${API_KEYS%%:*}
VIEWER_KEY=${API_KEYS##*,}
VIEWER_KEY=${VIEWER_KEY%:viewer}
if [[ -f dist/scripts/demo/seed-demo.js ]]; then
  echo "[run] seeding the demo (once; idempotent)"
  GATEWAY_URL=http://127.0.0.1:3000 DEMO_API_KEY=$ADMIN_KEY TS_NODE_PROJECT="$ROOT/tsconfig.dist.json" \
    node -r tsconfig-paths/register dist/scripts/demo/seed-demo.js
fi

cat <<MSG

  Lifecycle platform is running.
    Console      http://127.0.0.1:3000/console (sign in with the admin or the viewer key)
    Gateway      http://127.0.0.1:3000/v1      (OpenAPI UI: http://127.0.0.1:3000/docs)
    Health       http://127.0.0.1:3000/health
    Queues       http://127.0.0.1:3000/admin/queues   (user: admin, password: the admin key)
    Admin key    $ADMIN_KEY   (viewer key: $VIEWER_KEY)

  Try:
    curl -s -H "Authorization: Bearer $ADMIN_KEY" http://127.0.0.1:3000/v1/accounts/demo-acme | head -c 2000; echo
    curl -s -H "Authorization: Bearer $ADMIN_KEY" http://127.0.0.1:3000/v1/attributes
    # Stage SLAs (B3): demo-sla-on-track, demo-sla-at-risk, demo-sla-overdue; plays that fired (P2):
    curl -s -H "Authorization: Bearer $ADMIN_KEY" http://127.0.0.1:3000/v1/accounts/demo-sla-overdue/play-firings

MSG

if $DETACH; then echo "[run] detached; stop with: npm run stop"; exit 0; fi
trap 'echo; echo "[run] stopping the apps"; stop_apps; exit 0' INT TERM
echo "[run] Ctrl-C stops the apps"
while true; do
  for app in "${APPS[@]}"; do
    if ! kill -0 "$(cat "$LOCAL/run/app-$app.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
      echo "[run] $app exited; see .local/logs/app-$app.log" >&2
      tail -n 20 "$LOCAL/logs/app-$app.log" >&2
      stop_apps
      exit 1
    fi
  done
  sleep 2
done
