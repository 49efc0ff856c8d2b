#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, format, type check, build, then every
# jest project (unit, integration with real SQLite/PostgreSQL/sockets/mediasoup,
# end to end in Chromium) inside a private network namespace, two spec files at a time
# (PARLEY_TEST_WORKERS, default 2: one per core; 1 runs them one after the other), and
# a table of where the time went (tools/test-report.cjs). Arguments go to jest
# (`./parley spec` runs only the files it is given, without lint and type check).
# Expects tools/setup.sh to have run (./parley test does both).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/env.sh
started=$SECONDS
export PARLEY_TEST_WORKERS="${PARLEY_TEST_WORKERS:-2}"
step() { echo; echo "== $1 ($((SECONDS - started)) s)"; shift; "$@"; }

step "Debian packages the tests use" bash tools/test-deps.sh
step "lint" eslint . --max-warnings 0
step "format" prettier --check . --log-level warn
step "type check" nx run-many -t typecheck --outputStyle=static
step "build" nx run-many -t build -p server portal --outputStyle=static
mkdir -p tmp
rm -f tmp/jest-results.json
rc=0
step "tests (private network namespace, $PARLEY_TEST_WORKERS at a time)" bash tools/netns.sh \
  jest -c jest.config.cjs --maxWorkers="$PARLEY_TEST_WORKERS" --json --outputFile=tmp/jest-results.json "$@" || rc=$?
node tools/test-report.cjs tmp/jest-results.json || rc=1
echo "== done in $((SECONDS - started)) s"
exit $rc
