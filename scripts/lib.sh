# shellcheck shell=bash
# Shared by the run and test scripts: install dependencies when missing or stale.
ensure_node_modules() {
  local root=$1
  # A package patched by patch-package (patches/<name>+<version>.patch) whose patch changed is
  # installed again unpatched first: patch-package cannot apply a patch over an older one.
  local patches_now patch name
  patches_now="$(cat "$root"/patches/*.patch 2>/dev/null | sha256sum)"
  if [[ -f $root/node_modules/.lifecycle-patches-sum ]] && [[ $patches_now != "$(cat "$root/node_modules/.lifecycle-patches-sum")" ]]; then
    for patch in "$root"/patches/*.patch; do
      name="$(basename "$patch" .patch)"
      name="${name%+*}"
      rm -rf "$root/node_modules/${name//+//}"
    done
    rm -f "$root/node_modules/.lifecycle-lock-copy"
  fi
  if [[ ! -f $root/node_modules/.package-lock.json ]] || ! cmp -s "$root/package-lock.json" "$root/node_modules/.lifecycle-lock-copy"; then
    echo "[setup] installing npm dependencies" >&2
    # `npm install` from the lock file rather than `npm ci`: the registry served here lacks some
    # other platforms' optional binaries (msgpackr-extract for darwin/win32), which makes the lock
    # file "out of sync" for `npm ci` although it is complete for this platform.
    # zstd-napi compiles libzstd at install (its prebuilt binaries are not on the npm registry):
    # node-gyp takes Node's headers from beside the node binary instead of downloading them.
    local nodedir
    nodedir="$(node -p "require('path').resolve(process.execPath, '../..')")"
    if [[ -f $nodedir/include/node/node.h ]]; then export npm_config_nodedir="$nodedir"; fi
    (cd "$root" && npm install --no-audit --no-fund --no-save --loglevel=error) >&2
    cp "$root/package-lock.json" "$root/node_modules/.lifecycle-lock-copy"
  fi
  echo "$patches_now" >"$root/node_modules/.lifecycle-patches-sum"
}

# Debian's shellcheck, installed on first use like redis-server in infra.sh.
ensure_shellcheck() {
  if command -v shellcheck >/dev/null; then return; fi
  echo "[setup] installing Debian's shellcheck" >&2
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq shellcheck >&2
}

# Debian's Chromium for the console's browser tests (driven by playwright-core; never a browser
# download), installed on first use like shellcheck above.
ensure_chromium() {
  if [[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]]; then return; fi
  echo "[setup] installing Debian's chromium" >&2
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
}

# promtool from Debian's `prometheus` package, unpacked into .local/tools (no Prometheus server
# is installed or started): `apt-get download` the .deb once, extract it with dpkg-deb. Prints the
# path of promtool.
ensure_promtool() {
  local root=$1 dir deb
  dir="${LIFECYCLE_LOCAL_DIR:-$root/.local}/tools/prometheus"
  if [[ ! -x $dir/usr/bin/promtool ]]; then
    echo "[setup] fetching promtool (Debian's prometheus package, unpacked into $dir)" >&2
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    local tmp
    tmp="$(mktemp -d)"
    # `apt-get download` needs the package lists; an image may come without them.
    if ! (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1); then
      $sudo apt-get update -qq >&2
      (cd "$tmp" && apt-get download prometheus >&2)
    fi
    deb="$(ls "$tmp"/prometheus_*.deb)"
    rm -rf "$dir" && mkdir -p "$dir"
    dpkg-deb -x "$deb" "$dir"
    rm -rf "$tmp"
  fi
  echo "$dir/usr/bin/promtool"
}
