#!/usr/bin/env bash
# Build mediasoup's C++ worker from the mediasoup npm tarball against Debian's
# system libraries. Used when the official prebuilt worker cannot be downloaded
# (mediasoup's own fallback fetches meson subprojects and pip packages, which an
# offline machine cannot reach).
#
# Usage: build-from-source.sh VERSION
# Prints the path of the cached binary on its last line. The cache key is the
# mediasoup version plus a hash of the recipe (shims, patches, compat headers),
# so editing the recipe rebuilds and nothing else does.
# Env: MEDIASOUP_WORKER_CACHE (default ~/.cache/parley/mediasoup-worker),
#      JOBS (default nproc), KEEP_BUILD=1 keeps the build folder.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="${1:?usage: build-from-source.sh MEDIASOUP_VERSION}"
CACHE="${MEDIASOUP_WORKER_CACHE:-$HOME/.cache/parley/mediasoup-worker}"
RECIPE="$(cat "$HERE/make-shims.sh" "$HERE/patch-worker.sh" "$HERE"/*.h | sha256sum | cut -c1-16)"
OUT="$CACHE/$VERSION-$RECIPE/mediasoup-worker"
JOBS="${JOBS:-$(nproc)}"
log() { echo "[mediasoup-worker] $*" >&2; }

if [ -x "$OUT" ]; then log "cached build: $OUT"; echo "$OUT"; exit 0; fi

# 1. Debian packages: build tools + the libraries mediasoup's subprojects would provide
PKGS="g++ make pkg-config python3 meson ninja-build libuv1-dev libssl-dev libsrtp2-dev
      libusrsctp-dev libabsl-dev nlohmann-json3-dev flatbuffers-compiler libflatbuffers-dev"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  log "installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# 2. Sources: the npm tarball carries the worker's full source tree
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-build.XXXXXX")"
[ "${KEEP_BUILD:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
log "fetching mediasoup@$VERSION sources from the npm registry"
npm pack --silent "mediasoup@$VERSION" >/dev/null
tar xzf mediasoup-*.tgz
W="$WORK/package/worker"

# 3. Subprojects -> shims over system libraries; small source fixes
"$HERE/make-shims.sh" "$W" >&2
"$HERE/patch-worker.sh" "$W" >&2
# Debian 12's meson is 1.0.1; mediasoup asks for >= 1.1.0 but builds fine with it.
if ! meson --version | awk -F. '{exit !($1 > 1 || ($1 == 1 && $2 >= 1))}'; then
  sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" "$W/meson.build"
fi
OPTS=()
grep -q "ms_disable_liburing" "$W/meson_options.txt" && OPTS+=(-Dms_disable_liburing=true)

# 4. Configure + build (the options of mediasoup's own Release build)
log "building mediasoup-worker $VERSION with $JOBS jobs (a few minutes; cached afterwards)"
cd "$W"
meson setup --buildtype release -Db_ndebug=true -Db_pie=true -Db_staticpic=true \
  --wrap-mode=nodownload "${OPTS[@]}" out/build >"$WORK/meson-setup.log" 2>&1 \
  || { cat "$WORK/meson-setup.log" >&2; exit 1; }
# Generate the flatbuffers headers first: they are not an order dependency of
# the C++ objects, so a clean parallel build can miss them.
FBS_TARGETS="$(ninja -C out/build -t targets all | sed -n 's/^\(fbs\/FBS[^:]*\):.*/\1/p')"
if [ -n "$FBS_TARGETS" ]; then
  # shellcheck disable=SC2086
  ninja -C out/build $FBS_TARGETS >"$WORK/ninja-fbs.log" 2>&1 || { cat "$WORK/ninja-fbs.log" >&2; exit 1; }
fi
ninja -C out/build -j "$JOBS" mediasoup-worker 2>&1 | tee "$WORK/ninja.log" \
  | awk '/^\[[0-9]+\/[0-9]+\]/ { split(substr($1, 2), a, "/"); p = int(a[1] * 100 / a[2]); if (p >= next_p) { printf "[mediasoup-worker] compiling: %d%%\n", p > "/dev/stderr"; next_p = p + 10 } }'
[ "${PIPESTATUS[0]}" = 0 ] || { tail -50 "$WORK/ninja.log" >&2; exit 1; }

# 5. Install into the cache; refuse a binary with unresolved libraries
if ldd out/build/mediasoup-worker | grep -q "not found"; then ldd out/build/mediasoup-worker >&2; exit 1; fi
mkdir -p "$(dirname "$OUT")"
install -m 0755 out/build/mediasoup-worker "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
log "built: $OUT"
echo "$OUT"
