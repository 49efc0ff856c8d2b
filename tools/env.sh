# Sourced by ./parley and .ci/run: puts Node 24 LTS first on PATH (installing it
# from the npm registry when the machine's node is older) and sets the offline
# defaults the tools need. Safe to source twice.
PARLEY_NODE_PREFIX="${PARLEY_NODE_PREFIX:-/opt/node24}"
parley_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(parley_node_major)" != 24 ]; then
  if [ ! -x "$PARLEY_NODE_PREFIX/bin/node" ]; then
    [ -w "$(dirname "$PARLEY_NODE_PREFIX")" ] || PARLEY_NODE_PREFIX="$HOME/.local/parley-node24"
    echo "[parley] installing Node 24 LTS into $PARLEY_NODE_PREFIX (one time)" >&2
    npm install -g --silent --prefix "$PARLEY_NODE_PREFIX" node@24 >&2
  fi
  export PATH="$PARLEY_NODE_PREFIX/bin:$PATH"
  # native addons build against Node 24's headers, not the system node's
  for d in "$PARLEY_NODE_PREFIX"/lib/node_modules/node/node_modules/node-linux-* "$PARLEY_NODE_PREFIX"; do
    if [ -d "$d/include/node" ]; then export npm_config_nodedir="$d"; break; fi
  done
fi
if [ "$(parley_node_major)" != 24 ]; then
  echo "[parley] Node 24 is required (found $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi
export NX_DAEMON=false NX_NO_CLOUD=true NX_CLOUD_API=http://127.0.0.1:9 NX_TUI=false
export PATH="$PWD/node_modules/.bin:$PATH"
