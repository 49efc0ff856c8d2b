#!/usr/bin/env bash
# Installs Parley's dependencies and makes sure the mediasoup worker runs.
# Idempotent: a second run with nothing changed takes a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/env.sh

stamp=node_modules/.parley-install-stamp
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "[parley] installing npm dependencies (a few minutes the first time)"
  # mediasoup's postinstall downloads its worker from GitHub and otherwise builds it
  # with tools fetched from PyPI; ensure-worker.mjs below does both, with an offline
  # fallback, so the postinstall is told to skip. `npm install` (not `npm ci`): the
  # lockfile is honoured, and optional platform packages the registry lacks are skipped.
  MEDIASOUP_WORKER_BIN=skip-postinstall npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
node tools/mediasoup-worker/ensure-worker.mjs
