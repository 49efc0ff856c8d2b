#!/usr/bin/env bash
# The jest runs of ./parley test, inside the private network namespace (tools/netns.sh runs this).
#   1. every spec file but the solo ones, PARLEY_TEST_WORKERS at a time (default 2, one per core):
#      an end-to-end spec spends much of its time waiting on media and timers, so another spec
#      fills the core meanwhile;
#   2. the solo specs, alone: call recording (end to end, and the recorder against a real worker),
#      whose ffmpeg encodes in real time and needs its share of a core (docs/recording.md "CPU");
#      beside another browser spec on a busy machine it falls behind, which is what the spec would
#      then measure, not the product. (The test browsers also run at a lower priority, as users'
#      own machines would: test/support/browser.ts.)
# Results: tmp/jest-shared.json and tmp/jest-solo.json (tools/test-report.cjs reads them).
# With arguments, one run of just those: `tools/test-runs.sh test/e2e/calls.e2e.spec.ts`.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p tmp
rm -f tmp/jest-*.json
workers="${PARLEY_TEST_WORKERS:-2}"
if [ $# -gt 0 ]; then
  exec jest -c jest.config.cjs --maxWorkers="$workers" --json --outputFile=tmp/jest-only.json "$@"
fi
solo='(test/e2e/recording\.e2e|libs/connectors/webrtc/src/lib/recording/recorder)\.spec\.ts'
rc=0
echo "[tests] every spec but the solo ones, $workers at a time"
jest -c jest.config.cjs --maxWorkers="$workers" --testPathIgnorePatterns /node_modules/ "$solo" \
  --json --outputFile=tmp/jest-shared.json || rc=1
echo "[tests] the solo specs, alone: $solo"
jest -c jest.config.cjs --runInBand --json --outputFile=tmp/jest-solo.json "$solo" || rc=1
exit $rc
