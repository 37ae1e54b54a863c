#!/usr/bin/env bash
# The one command that sets up a fresh machine and runs every check: installs the system packages
# the integration tests use (with apt-get, when missing), then `npm ci`, then `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The monitoring tests start a real Prometheus and backfill it with promtool (both in Debian's package).
{ command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || missing+=(prometheus)
# The explorer's browser tests drive Debian's chromium with playwright-core (test/web).
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || missing+=(chromium)

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 2; }
    sudo="sudo"
  fi
  echo "installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
mkdir -p .topdeck
status=0
npm test -- --reporter=default --reporter=json --outputFile=.topdeck/vitest.json || status=$?
if [ -f .topdeck/vitest.json ]; then
  node -e '
    const r = require("./.topdeck/vitest.json");
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  '
fi
exit $status
