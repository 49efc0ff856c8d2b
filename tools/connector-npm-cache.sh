#!/usr/bin/env bash
# Fills the npm cache with what a connector package made by `parley-create-connector` installs
# (jest, the SDK's peer dependencies) and what the Jitsi and Janus plug-ins install to build
# themselves (typescript, @types/*, esbuild, jsonwebtoken), so test/e2e/connector-package.e2e.spec.ts
# and test/e2e/plugins-packed-sdk.e2e.spec.ts can run `npm install --offline` inside the tests'
# private network namespace. Needs the registry (run it
# outside the namespace) and the SDK tarballs (dist/packages, from `nx run connector-sdk:pack`).
# Quick once the cache is warm (--prefer-offline). Usage: tools/connector-npm-cache.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sdk=dist/packages/parley-connector-sdk-1.0.0.tgz
[ -f "$sdk" ] || { echo "[parley] $sdk is missing: run npx nx run connector-sdk:pack" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/parley-connector-cache-XXXXXX")"
trap 'rm -rf "$work"' EXIT
tar xzf "$sdk" -C "$work"
node "$work/package/bin/create-connector.cjs" parley-connector-cache "$work/connector" \
  --tarballs "$PWD/dist/packages" >/dev/null
(cd "$work/connector" && npm install --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
# Each plug-in's own package.json, with the SDK from its tarballs (as the spec installs it).
packages="$PWD/dist/packages"
for plugin in jitsi janus; do
  mkdir "$work/$plugin"
  cp "libs/connectors/$plugin/package.json" "$work/$plugin/"
  (cd "$work/$plugin" && npm install --prefer-offline --no-audit --no-fund --loglevel=error --no-save \
    "$packages/parley-protocol-1.0.0.tgz" "$packages/parley-connector-sdk-1.0.0.tgz" >/dev/null)
done
echo "[parley] npm cache holds a scaffolded connector's dependencies and the Jitsi and Janus plug-ins' build dependencies"
