# Shared by scripts/start.sh and scripts/test.sh (sourced, not run).
# shellcheck shell=bash

# The repository root, whatever folder the script was called from.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_tool() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed ($2)"
}

# npm ci when node_modules is missing or older than package-lock.json (Azurite lives there).
ensure_node_modules() {
  require_tool node "Node.js 20 or later is needed for Azurite"
  require_tool npm "npm comes with Node.js"
  local stamp="$REPO_ROOT/node_modules/.package-lock.json"
  if [[ ! -f "$stamp" || "$REPO_ROOT/package-lock.json" -nt "$stamp" \
        || ! -f "$REPO_ROOT/node_modules/azurite/dist/src/azurite.js" ]]; then
    say "Installing npm packages (npm ci)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  else
    say "npm packages are up to date"
  fi
}

azurite_script() { printf '%s\n' "$REPO_ROOT/node_modules/azurite/dist/src/azurite.js"; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
