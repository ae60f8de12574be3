#!/usr/bin/env bash
# Runs the app locally: Azurite on 10000-10002 (data in .azurite/) and devhost on
# http://localhost:7071. Ctrl+C stops both. Usage: bash scripts/start.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

require_tool dotnet "install the .NET 10 SDK"
ensure_node_modules

# Settings: functions/local.settings.json is per developer (git-ignored), made from the sample.
sample=""
for candidate in functions/local.settings.sample.json local.settings.sample.json; do
  if [[ -f "$candidate" ]]; then sample="$candidate"; break; fi
done
if [[ -z "$sample" ]]; then
  sample="local.settings.sample.json"
  say "Creating a minimal $sample"
  cat > "$sample" <<'JSON'
{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",
    "Storage__ConnectionString": "UseDevelopmentStorage=true"
  }
}
JSON
fi
if [[ ! -f functions/local.settings.json ]]; then
  say "Creating functions/local.settings.json from $sample"
  cp "$sample" functions/local.settings.json
else
  say "Using existing functions/local.settings.json"
fi

# Azurite on the default ports, unless one (or something else) already listens on 10002.
azurite_pid=""
stop_azurite() {
  if [[ -n "$azurite_pid" ]]; then
    say "Stopping Azurite (pid $azurite_pid)"
    kill -TERM "$azurite_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$azurite_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$azurite_pid" 2>/dev/null || true
  fi
  azurite_pid=""
}
trap stop_azurite EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if port_listening 10002; then
  say "Something already listens on 127.0.0.1:10002: reusing it as Azurite (not started, not stopped here)"
else
  mkdir -p .azurite
  say "Starting Azurite on 10000-10002 (data in .azurite/, log in .azurite/azurite.log)"
  node "$(azurite_script)" --location .azurite --silent --skipApiVersionCheck --loose \
    --disableProductStyleUrl --disableTelemetry \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobKeepAliveTimeout 120 --queueKeepAliveTimeout 120 --tableKeepAliveTimeout 120 \
    >.azurite/azurite.log 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 300); do
    port_listening 10002 && break
    kill -0 "$azurite_pid" 2>/dev/null || { cat .azurite/azurite.log >&2; die "Azurite exited at start"; }
    sleep 0.1
  done
  port_listening 10002 || { cat .azurite/azurite.log >&2; die "Azurite did not listen on 10002 within 30 s"; }
  say "Azurite is up (pid $azurite_pid)"
fi

say "Building"
build_log=".azurite/build.log"
mkdir -p .azurite
if ! dotnet build devhost -c Debug --nologo -tl:off -v quiet "-clp:ErrorsOnly;NoSummary" >"$build_log" 2>&1; then
  cat "$build_log" >&2
  die "build failed (see above)"
fi

export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:7071}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
say "Starting devhost on $ASPNETCORE_URLS (Ctrl+C to stop)"
set +e
dotnet run --project devhost --no-build
status=$?
set -e
say "devhost exited ($status)"
exit "$status"
