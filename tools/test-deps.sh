#!/usr/bin/env bash
# Debian packages the tests start for real (nothing is mocked where a real one
# can run): Chromium for the end-to-end tests, PostgreSQL for the driver tests,
# redis-server for the cluster (several nodes) tests, haproxy for the load balancer in front of them,
# coturn for the TURN credential tests, Janus for the Janus connector tests,
# ffmpeg for the call recording tests (and the server's recorder),
# iproute2 for the private network namespace. Installs only what is missing.
set -euo pipefail
PKGS="chromium postgresql redis-server haproxy iproute2 util-linux coturn janus ffmpeg"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
echo "[parley] installing Debian packages for the tests:$missing"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
