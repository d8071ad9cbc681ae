# Shared by the run and test scripts: install dependencies when missing or stale.
ensure_node_modules() {
  local root=$1
  if [[ ! -f $root/node_modules/.package-lock.json ]] || ! cmp -s "$root/package-lock.json" "$root/node_modules/.lifecycle-lock-copy"; then
    echo "[setup] installing npm dependencies (npm ci)" >&2
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) >&2
    cp "$root/package-lock.json" "$root/node_modules/.lifecycle-lock-copy"
  fi
}
