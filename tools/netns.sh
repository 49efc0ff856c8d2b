#!/usr/bin/env bash
# Runs a command in a private network namespace: only a loopback interface, so no
# packet a test sends (WebRTC included) can leave the machine. Usage: netns.sh CMD...
set -euo pipefail
inner='ip link set lo up && exec "$@"'
if [ "$(id -u)" = 0 ]; then
  exec unshare --net bash -c "$inner" netns "$@"
elif unshare --user --map-root-user --net true 2>/dev/null; then
  exec unshare --user --map-root-user --net bash -c "$inner" netns "$@"
else
  echo "[parley] cannot create a private network namespace (needs root or unprivileged user namespaces)." >&2
  echo "[parley] run the tests as root, or enable user namespaces (sysctl kernel.unprivileged_userns_clone=1)." >&2
  exit 1
fi
