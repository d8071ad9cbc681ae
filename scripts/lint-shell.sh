#!/usr/bin/env bash
# Runs shellcheck over the repository's shell scripts: every scripts/**/*.sh, .ci/run and the git
# hook, or only the files given (the pre-commit hook passes the staged ones).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
ensure_shellcheck

if [[ $# -gt 0 ]]; then
  files=("$@")
else
  mapfile -t files < <(find scripts -name '*.sh' -type f | sort)
  files+=(.ci/run .husky/pre-commit)
fi
# -x follows `source` into scripts/lib.sh: the scripts cd to the root first, as shellcheck runs here.
shellcheck -x "${files[@]}"
echo "[lint:sh] shellcheck: ${#files[@]} files clean"
