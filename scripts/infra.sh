#!/usr/bin/env bash
# Real infrastructure on loopback, without Docker:
#   Kafka (KRaft, single node) from Maven Central, a MongoDB wire-protocol server (the engine below),
#   Debian's redis-server.
# Usage: scripts/infra.sh up|down|status|restart <kafka|mongo|redis>
# Idempotent: `up` starts only what is not already answering; `down` stops only what it started.
#
# INFRA_MONGO_ENGINE picks the Mongo-wire server (docs/architecture.md, "The embedded engine"):
#   mongo-java-server         (default) mongo-java-server 1.47 (Maven Central), H2 MVStore file
#                             under .local/: atomic single-document updates, like MongoDB
#   ferretdb                  FerretDB v1.24 (SQLite backend) built from the Go module proxy
#   mongo-java-server-memory  mongo-java-server, memory backend: loses everything on restart,
#                             for measurements only
# Each engine keeps its own data directory; switching is `INFRA_MONGO_ENGINE=... infra.sh restart mongo`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${LIFECYCLE_LOCAL_DIR:-$ROOT/.local}"
CACHE="${LIFECYCLE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lifecycle-platform}"
mkdir -p "$LOCAL/run" "$LOCAL/logs" "$CACHE"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/scripts/infra/kafka/pom.xml")"
FERRETDB_VERSION="v1.24.0"
MJS_VERSION="$(sed -n 's:.*<mongo-java-server.version>\(.*\)</mongo-java-server.version>.*:\1:p' "$ROOT/scripts/infra/mongo-java-server/pom.xml")"
# Without INFRA_MONGO_ENGINE, `restart mongo` keeps the engine that runs (a fault test restarting
# the server must not switch it; a server this script started without recording its engine is
# FerretDB, what checkouts that record none start); otherwise the project's default, chosen by
# the measurements in docs/benchmarks.md ("Mongo-wire engines").
running_engine() {
  if [[ -f $LOCAL/run/mongo.engine ]]; then
    cat "$LOCAL/run/mongo.engine"
  elif [[ -f $LOCAL/run/mongo.pid ]] && kill -0 "$(cat "$LOCAL/run/mongo.pid")" 2>/dev/null; then
    echo ferretdb
  else
    echo mongo-java-server
  fi
}
MONGO_ENGINE="${INFRA_MONGO_ENGINE:-$(running_engine)}"
case "$MONGO_ENGINE" in
  ferretdb | mongo-java-server | mongo-java-server-memory) ;;
  *) echo "INFRA_MONGO_ENGINE is ferretdb, mongo-java-server or mongo-java-server-memory, not '$MONGO_ENGINE'" >&2; exit 2 ;;
esac
KAFKA_PORT="${INFRA_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${INFRA_KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${INFRA_MONGO_PORT:-27017}"
REDIS_PORT="${INFRA_REDIS_PORT:-6379}"

log() { printf '[infra] %s\n' "$*" >&2; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # name port seconds
  local i
  for ((i = 0; i < $3 * 4; i++)); do
    if answers "$2"; then return 0; fi
    sleep 0.25
  done
  log "$1 did not answer on 127.0.0.1:$2 within $3s; last log lines:"
  tail -n 30 "$LOCAL/logs/$1.log" >&2 || true
  return 1
}

pid_of() { local f="$LOCAL/run/$1.pid"; [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

start_bg() { # name command...
  local name=$1; shift
  nohup "$@" >>"$LOCAL/logs/$name.log" 2>&1 &
  echo $! >"$LOCAL/run/$name.pid"
}

# ---------- Kafka ----------
kafka_home() { echo "$CACHE/kafka-$KAFKA_VERSION"; }

ensure_kafka() {
  local home; home="$(kafka_home)"
  if [[ ! -f $home/.complete ]]; then
    log "resolving Apache Kafka $KAFKA_VERSION broker jars from Maven Central (first run only)"
    rm -rf "$home" && mkdir -p "$home/libs"
    mvn -q -B -f "$ROOT/scripts/infra/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$home/libs" -DincludeScope=runtime >&2
    touch "$home/.complete"
  fi
}

kafka_java() {
  java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/scripts/infra/kafka/log4j2.properties" \
    -cp "$(kafka_home)/libs/*" "$@"
}

up_kafka() {
  if answers "$KAFKA_PORT"; then log "kafka already answers on 127.0.0.1:$KAFKA_PORT"; return; fi
  ensure_kafka
  local dir="$LOCAL/kafka" cfg="$LOCAL/kafka/server.properties"
  mkdir -p "$dir/data"
  cat >"$cfg" <<CFG
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=6
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
delete.topic.enable=true
CFG
  if [[ ! -f $dir/data/meta.properties ]]; then
    log "formatting KRaft storage"
    kafka_java kafka.tools.StorageTool format --standalone -t "$(kafka_java kafka.tools.StorageTool random-uuid)" -c "$cfg" >>"$LOCAL/logs/kafka.log" 2>&1
  fi
  log "starting kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT"
  # Kafka's own start script's collector settings (KAFKA_JVM_PERFORMANCE_OPTS): short G1 pauses, so
  # a collection holds produce and fetch requests for milliseconds, not G1's default 200 ms target.
  start_bg kafka java -Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/scripts/infra/kafka/log4j2.properties" \
    -cp "$(kafka_home)/libs/*" kafka.Kafka "$cfg"
  wait_port kafka "$KAFKA_PORT" 90
}

# ---------- FerretDB (MongoDB wire protocol) ----------
# The project carries small patches to FerretDB (scripts/infra/ferretdb/*.patch, each explained
# in its own comments and in docs/architecture.md); the binary's name holds their checksum, so a
# changed patch rebuilds it.
FERRETDB_PATCHES=("$ROOT"/scripts/infra/ferretdb/*.patch)
ferretdb_bin() { echo "$CACHE/bin/ferretdb-$FERRETDB_VERSION-$(cat "${FERRETDB_PATCHES[@]}" | sha256sum | cut -c1-8)"; }

ensure_ferretdb() {
  local bin; bin="$(ferretdb_bin)"
  [[ -x $bin ]] && return
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy (first run only)"
  local mod src="$CACHE/src/ferretdb-$FERRETDB_VERSION"
  # `go install ...@version` also asks the proxy for the module's version list, which it refuses
  # for this module; downloading the exact version and building it works.
  mod="$(cd /tmp && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -n $mod ]] || { log "could not download FerretDB $FERRETDB_VERSION"; exit 1; }
  rm -rf "$src" && mkdir -p "$src" && cp -r "$mod/." "$src" && chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt" # embedded at build time
  local patch
  for patch in "${FERRETDB_PATCHES[@]}"; do
    log "applying $(basename "$patch")"
    if command -v patch >/dev/null; then patch -s -p1 -d "$src" <"$patch"; else (cd "$src" && git apply -p1 "$patch"); fi
  done
  mkdir -p "$CACHE/bin"
  (cd "$src" && go build -trimpath -o "$bin.tmp" ./cmd/ferretdb) && mv "$bin.tmp" "$bin"
}

# ---------- mongo-java-server (MongoDB wire protocol, Java) ----------
# Jars from Maven Central (scripts/infra/mongo-java-server/pom.xml), started by Launcher.java
# beside it. The launcher is compiled once into the cache (the directory's name holds its
# checksum, so an edited launcher is compiled again): compiling it at each start (`java
# Launcher.java`) costs up to a minute on a loaded machine, past the start's deadline.
MJS_LAUNCHER="$ROOT/scripts/infra/mongo-java-server/Launcher.java"
mjs_home() { echo "$CACHE/mongo-java-server-$MJS_VERSION"; }
mjs_classes() { echo "$(mjs_home)/launcher-$(sha256sum "$MJS_LAUNCHER" | cut -c1-8)"; }

ensure_mongo_java_server() {
  local home; home="$(mjs_home)"
  if [[ ! -f $home/.complete ]]; then
    log "resolving mongo-java-server $MJS_VERSION jars from Maven Central (first run only)"
    rm -rf "$home" && mkdir -p "$home/libs"
    mvn -q -B -f "$ROOT/scripts/infra/mongo-java-server/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$home/libs" -DincludeScope=runtime >&2
    touch "$home/.complete"
  fi
  local classes; classes="$(mjs_classes)"
  if [[ ! -f $classes/Launcher.class ]]; then
    log "compiling $(basename "$MJS_LAUNCHER")"
    rm -rf "$classes.tmp" && mkdir -p "$classes.tmp"
    javac -nowarn -d "$classes.tmp" -cp "$home/libs/*" "$MJS_LAUNCHER" && mv "$classes.tmp" "$classes"
  fi
}

start_mongo_java_server() { # backend extra-args...
  local backend=$1; shift
  # The heap holds the page cache (h2) or every document (memory); G1 grows it only as needed.
  start_bg mongo java -Xms64m -Xmx"${INFRA_MONGO_JAVA_HEAP:-2g}" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.showDateTime=true \
    -cp "$(mjs_classes):$(mjs_home)/libs/*" Launcher \
    --backend "$backend" --host 127.0.0.1 --port "$MONGO_PORT" --version "$MJS_VERSION" "$@"
}

ensure_mongo() { # the selected engine's binaries or jars (downloads on a cold cache)
  case "$MONGO_ENGINE" in
    ferretdb) ensure_ferretdb ;;
    mongo-java-server*) ensure_mongo_java_server ;;
  esac
}

up_mongo() {
  local running="$LOCAL/run/mongo.engine"
  if answers "$MONGO_PORT"; then
    log "mongo wire protocol already answers on 127.0.0.1:$MONGO_PORT ($(cat "$running" 2>/dev/null || echo 'engine not recorded'))"
    if [[ -f $running && $(cat "$running") != "$MONGO_ENGINE" ]]; then
      log "WARNING: INFRA_MONGO_ENGINE=$MONGO_ENGINE but $(cat "$running") is running; switch with: scripts/infra.sh restart mongo"
    fi
    return
  fi
  ensure_mongo
  case "$MONGO_ENGINE" in
    ferretdb)
      mkdir -p "$LOCAL/ferretdb/data" "$LOCAL/ferretdb/state"
      log "starting FerretDB $FERRETDB_VERSION (SQLite backend) on 127.0.0.1:$MONGO_PORT"
      start_bg mongo "$(ferretdb_bin)" --handler=sqlite --sqlite-url="file:$LOCAL/ferretdb/data/" \
        --state-dir="$LOCAL/ferretdb/state" --listen-addr="127.0.0.1:$MONGO_PORT" \
        --telemetry=disable --log-level=WARN --debug-addr=-
      ;;
    mongo-java-server)
      mkdir -p "$LOCAL/mongo-java-server"
      log "starting mongo-java-server $MJS_VERSION (H2 backend, $LOCAL/mongo-java-server/data.mv) on 127.0.0.1:$MONGO_PORT"
      # A 128 MiB page cache: the cache lives in the JVM's old generation, which each young collection
      # scans for references into the young one; at 512 MiB those pauses took ~45 ms every ~1.6 s under
      # the status pipeline, at 128 MiB ~25–35 ms, with the same CPU per event and the same rates for
      # the scanning benches (docs/benchmarks.md, status pipeline, 2026-12-05).
      start_mongo_java_server h2 --file "$LOCAL/mongo-java-server/data.mv" --cache-mb "${INFRA_MONGO_H2_CACHE_MB:-128}" \
        --commit "${INFRA_MONGO_H2_COMMIT:-each-command}"
      ;;
    mongo-java-server-memory)
      log "starting mongo-java-server $MJS_VERSION (memory backend: nothing survives a restart) on 127.0.0.1:$MONGO_PORT"
      start_mongo_java_server memory
      ;;
  esac
  echo "$MONGO_ENGINE" >"$running"
  wait_port mongo "$MONGO_PORT" 120
}

# ---------- Redis ----------
up_redis() {
  if answers "$REDIS_PORT"; then log "redis already answers on 127.0.0.1:$REDIS_PORT"; return; fi
  if ! command -v redis-server >/dev/null; then
    log "installing Debian's redis-server"
    if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >&2
  fi
  mkdir -p "$LOCAL/redis"
  log "starting redis on 127.0.0.1:$REDIS_PORT"
  # AOF on: BullMQ jobs survive a Redis restart.
  start_bg redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$LOCAL/redis" \
    --appendonly yes --appendfsync everysec --save "" --daemonize no --protected-mode yes
  wait_port redis "$REDIS_PORT" 20
}

down_one() {
  local name=$1 pid
  if pid="$(pid_of "$name")"; then
    log "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$LOCAL/run/$name.pid" "$LOCAL/run/$name.engine"
}

status() {
  local name port pid
  for pair in "kafka:$KAFKA_PORT" "mongo:$MONGO_PORT" "redis:$REDIS_PORT"; do
    name=${pair%%:*}; port=${pair##*:}
    pid="$(pid_of "$name" || true)"
    if answers "$port"; then
      local what=""
      [[ $name == mongo ]] && what="$(cat "$LOCAL/run/mongo.engine" 2>/dev/null || true)"
      printf '%-6s up    127.0.0.1:%-6s %s%s\n' "$name" "$port" "${what:+$what }" "${pid:+(pid $pid, started by this project)}"
    else
      printf '%-6s down  127.0.0.1:%s\n' "$name" "$port"
    fi
  done
}

up_all() {
  # Downloads/builds on a cold cache: FerretDB's Go build runs beside Kafka's Maven resolution;
  # two Maven runs never share the local repository at once.
  ensure_kafka & local k=$!
  if [[ $MONGO_ENGINE == ferretdb ]]; then ensure_ferretdb & local f=$!; wait "$f"; fi
  wait "$k"
  ensure_mongo
  up_redis; up_mongo; up_kafka
  status
  cat >&2 <<MSG
[infra] KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
[infra] MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT
[infra] REDIS_URL=redis://127.0.0.1:$REDIS_PORT
MSG
}

case "${1:-}" in
  up) up_all ;;
  down) down_one kafka; down_one mongo; down_one redis ;;
  status) status ;;
  stop) down_one "${2:?name}" ;;
  start) "up_${2:?name}" ;;
  restart) down_one "${2:?name}"; "up_${2}" ;;
  # The launcher's index key order against H2's own, on random keys (Launcher.java, IndexKeyType).
  check-key-order)
    ensure_mongo_java_server
    java -cp "$(mjs_classes):$(mjs_home)/libs/*" Launcher --check-key-order "${2:-20000}" ;;
  *) echo "usage: $0 up|down|status|start NAME|stop NAME|restart NAME|check-key-order [PAIRS] (NAME: kafka|mongo|redis)" >&2; exit 2 ;;
esac
