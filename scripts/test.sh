#!/usr/bin/env bash
# Runs every test: unit, Azurite integration (the tests start their own Azurite, through the
# testing library in testing/) and browser tests (headless Debian chromium). The last line printed
# is "N passed, N failed, N skipped"; a failed or a skipped test makes the command fail (a skip
# would hide a test that no longer runs).
# Usage: bash scripts/test.sh [extra dotnet test arguments, e.g. --filter ...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

# Debian's chromium for the browser tests (Playwright's own browser download is unreachable),
# and Korean fonts so the pages (and their screenshots) show Hangul, not boxes. Installed when
# missing; works as root without sudo. FR_NEEDS_CHROMIUM=0 skips this (the browser tests then fail).
ensure_chromium() {
  if [[ "${FR_NEEDS_CHROMIUM:-1}" != "1" ]]; then return 0; fi
  local missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=ko family | grep -q .; }; then missing+=(fonts-noto-cjk); fi
  if [[ ${#missing[@]} -eq 0 ]]; then say "chromium and Korean fonts are installed"; return 0; fi
  local sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "${missing[*]} missing and sudo is not available: run apt-get install -y ${missing[*]} as root"
    sudo="sudo"
  fi
  say "Installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || { $sudo apt-get update -q && $sudo apt-get install -y -q "${missing[@]}"; } \
    || die "could not install ${missing[*]}"
  [[ -x /usr/bin/chromium ]] || die "chromium installed but /usr/bin/chromium is missing"
}

# Sums the <Counters> of every trx file given; prints "total passed failed skipped".
trx_counts() {
  node -e '
    const fs = require("fs");
    const sum = { total: 0, passed: 0, failed: 0, skipped: 0 };
    for (const file of process.argv.slice(1)) {
      const m = fs.readFileSync(file, "utf8").match(/<Counters\b[^>]*>/);
      if (!m) continue;
      const n = (name) => Number((m[0].match(new RegExp("\\b" + name + "=\"(\\d+)\"")) || [0, 0])[1]);
      sum.total += n("total");
      sum.passed += n("passed");
      sum.failed += n("failed") + n("error") + n("timeout") + n("aborted");
      // Skipped xunit tests are neither executed nor counted as notExecuted: take the rest.
      sum.skipped += Math.max(0, n("total") - n("passed") - n("failed") - n("error") - n("timeout") - n("aborted"));
    }
    console.log(`${sum.total} ${sum.passed} ${sum.failed} ${sum.skipped}`);
  ' "$@"
}

require_tool dotnet "install the .NET 10 SDK"
ensure_node_modules
ensure_chromium

# Old results would be counted again: remove them.
find . -path ./node_modules -prune -o -type d -name TestResults -print0 | xargs -0 rm -rf

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
say "Running dotnet test"
set +e
dotnet test FestivalReservations.sln -c Release \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

echo
say "Runner summary"
grep -E '^\s*(Test Run (Successful|Failed|Aborted)|Total tests:|Passed:|Failed:|Skipped:|Total time:)|^(Passed|Failed)!' "$log" || echo "(the runner printed no summary)"

mapfile -t trx < <(find . -path ./node_modules -prune -o -path '*/TestResults/*.trx' -print | sort)
if [[ ${#trx[@]} -eq 0 ]]; then
  echo "error: no trx results were written (dotnet test exit code $status)" >&2
  echo "0 passed, 0 failed, 0 skipped"
  exit 1
fi
read -r total passed failed skipped < <(trx_counts "${trx[@]}")

# The tests the trx files report as not executed (xunit's skipped ones), one name a line.
trx_skipped() {
  node -e '
    const fs = require("fs");
    for (const file of process.argv.slice(1)) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(/<UnitTestResult\b[^>]*>/g)) {
        if (!/\boutcome="NotExecuted"/.test(m[0])) continue;
        const name = m[0].match(/\btestName="([^"]*)"/);
        console.log(name ? name[1] : "(unnamed test)");
      }
    }
  ' "$@"
}

# The tests the trx files report as failed, each with the start of its message and of its own
# output (a fault test's seed, for one): printed last, so the tail of a CI log names them.
trx_failed() {
  node -e '
    const fs = require("fs");
    const text = (x) => (x || "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&apos;/g, "\x27").replace(/&amp;/g, "&");
    const head = (x, n) => text(x).split("\n").map(l => l.trimEnd()).filter(l => l).slice(0, n).map(l => "    " + l.slice(0, 300)).join("\n");
    for (const file of process.argv.slice(1)) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(/<UnitTestResult\b([^>]*?)(?:\/>|>([\s\S]*?)<\/UnitTestResult>)/g)) {
        if (!/\boutcome="(Failed|Error|Timeout|Aborted)"/.test(m[1])) continue;
        const name = text((m[1].match(/\btestName="([^"]*)"/) || [0, "(unnamed test)"])[1]);
        const duration = (m[1].match(/\bduration="([^"]*)"/) || [0, "?"])[1];
        console.log(`FAILED ${name} (${duration})`);
        const body = m[2] || "";
        const message = body.match(/<Message>([\s\S]*?)<\/Message>/);
        const stack = body.match(/<StackTrace>([\s\S]*?)<\/StackTrace>/);
        const stdout = body.match(/<StdOut>([\s\S]*?)<\/StdOut>/);
        if (message) console.log("  message:\n" + head(message[1], 12));
        if (stack) console.log("  at:\n" + head(stack[1], 4));
        if (stdout) console.log("  output (start):\n" + head(stdout[1], 8));
      }
    }
  ' "$@"
}

code=0
if [[ $failed -ne 0 ]]; then
  echo
  say "Failed tests"
  trx_failed "${trx[@]}"
fi
if [[ $status -ne 0 ]]; then
  echo "error: dotnet test failed (exit code $status)" >&2
  code=1
fi
if [[ $total -eq 0 || $((passed + failed)) -eq 0 ]]; then
  echo "error: no tests ran" >&2
  code=1
fi
if [[ $skipped -ne 0 ]]; then
  echo "error: $skipped test(s) skipped; a test that cannot run must fail, not skip:" >&2
  trx_skipped "${trx[@]}" | sed 's/^/  /' >&2
  code=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $code
