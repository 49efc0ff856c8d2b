#!/usr/bin/env bash
# Runs a command in a private network namespace, so no packet a test sends (WebRTC included) can
# leave the machine. Usage: netns.sh CMD...
# Inside: loopback, plus a veth pair v0 (198.18.0.1/24) <-> v1 (198.18.0.2/24), both ends in the
# namespace (198.18.0.0/15 is the benchmarking range, never routed). Media servers that refuse
# loopback for ICE (Janus: `ice_enforce_list = "v0"`) bind to v0; Chromium reaches it over the pair.
set -euo pipefail
inner='ip link set lo up &&
  ip link add v0 type veth peer name v1 &&
  ip addr add 198.18.0.1/24 dev v0 && ip addr add 198.18.0.2/24 dev v1 &&
  ip link set v0 up && ip link set v1 up &&
  exec "$@"'
if [ "$(id -u)" = 0 ]; then
  exec unshare --net bash -c "$inner" netns "$@"
elif unshare --user --map-root-user --net true 2>/dev/null; then
  exec unshare --user --map-root-user --net bash -c "$inner" netns "$@"
else
  echo "[parley] cannot create a private network namespace (needs root or unprivileged user namespaces)." >&2
  echo "[parley] run the tests as root, or enable user namespaces (sysctl kernel.unprivileged_userns_clone=1)." >&2
  exit 1
fi
