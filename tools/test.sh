#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, format, type check, build, then every
# jest project (unit, integration with real SQLite/PostgreSQL/sockets/mediasoup,
# end to end in Chromium) inside a private network namespace.
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
mkdir -p tmp
rc=0
step "tests (private network namespace)" bash tools/netns.sh \
  jest -c jest.config.cjs --runInBand --json --outputFile=tmp/jest-results.json "$@" || rc=$?
node -e '
  const r = require("./tmp/jest-results.json");
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
echo "== done in $((SECONDS - started)) s"
exit $rc
