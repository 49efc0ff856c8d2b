#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, format, type check, build, then every
# jest project (unit, integration with real SQLite/PostgreSQL/sockets/mediasoup,
# end to end in Chromium) inside a private network namespace, two spec files at a time
# (PARLEY_TEST_WORKERS, default 2: one per core) and the call recording spec alone
# (tools/test-runs.sh), then a table of where the time went (tools/test-report.cjs).
# Arguments go to jest (`./parley spec` runs only the files it is given, without lint).
# Expects tools/setup.sh to have run (./parley test does both).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/env.sh
started=$SECONDS
step() { echo; echo "== $1 ($((SECONDS - started)) s)"; shift; "$@"; }

step "Debian packages the tests use" bash tools/test-deps.sh
step "lint" eslint . --max-warnings 0
step "format" prettier --check . --log-level warn
step "type check" nx run-many -t typecheck --outputStyle=static
step "build" nx run-many -t build -p server portal --outputStyle=static
step "npm cache for the connector package test" bash tools/connector-npm-cache.sh
rc=0
step "tests (private network namespace)" bash tools/netns.sh bash tools/test-runs.sh "$@" || rc=$?
node tools/test-report.cjs tmp/jest-*.json || rc=1
echo "== done in $((SECONDS - started)) s"
exit $rc
