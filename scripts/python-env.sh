#!/usr/bin/env bash
# The Python virtual environment the tests use (.local/venv): created and filled from PyPI with
# test/requirements.txt when missing or when that file changed. Prints the venv's python.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${LIFECYCLE_LOCAL_DIR:-$ROOT/.local}/venv"
REQUIREMENTS="$ROOT/test/requirements.txt"
STAMP="$VENV/.requirements.sha256"
wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [[ ! -x $VENV/bin/python || ! -f $STAMP || "$(cat "$STAMP")" != "$wanted" ]]; then
  echo "[python] installing test/requirements.txt into $VENV" >&2
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS" >&2
  echo "$wanted" >"$STAMP"
fi
echo "$VENV/bin/python"
