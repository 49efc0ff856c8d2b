#!/usr/bin/env bash
# What the product's own features need from Debian at run time (not the tests' extras, see
# tools/test-deps.sh): ffmpeg, with which the built-in WebRTC provider records calls. Installs it
# when missing and apt can; otherwise says what is lost and how to fix it, and Parley runs anyway
# (the admin page's WebRTC card then says that recording is unavailable, and why).
set -uo pipefail
[ -n "${FFMPEG_PATH:-}" ] && exit 0
command -v ffmpeg >/dev/null 2>&1 && exit 0
hint="[parley] call recording stays unavailable: install ffmpeg (Debian: apt-get install ffmpeg) or set FFMPEG_PATH"
if ! command -v apt-get >/dev/null 2>&1; then echo "$hint" >&2; exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else echo "$hint" >&2; exit 0; fi
fi
echo "[parley] installing ffmpeg (call recording) from Debian"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null; }; then
  echo "$hint" >&2
fi
exit 0
