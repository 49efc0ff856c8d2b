#!/usr/bin/env bash
# Runs a command with N busy loops beside it (one core each), and stops them when it ends:
# how to check that the suite (or a benchmark) holds on a loaded machine.
#   tools/cpu-hog.sh 2 ./parley test
#   tools/cpu-hog.sh 2 ./parley spec test/e2e/recording.e2e.spec.ts
set -uo pipefail
n=${1:?usage: tools/cpu-hog.sh N COMMAND...}
shift
[ $# -gt 0 ] || { echo "usage: tools/cpu-hog.sh N COMMAND..." >&2; exit 2; }
pids=()
for _ in $(seq "$n"); do
  # nice 0, like the tests: the hog competes for the cores on equal terms.
  bash -c 'while :; do :; done' &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
echo "[cpu-hog] $n busy loop(s) running beside: $*" >&2
"$@"
