#!/usr/bin/env bash
# Installs Debian's chromium when it is missing (the console's browser tests call this first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
ensure_chromium
