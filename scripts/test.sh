#!/usr/bin/env bash
# `npm test`: everything CI checks, in order, on one machine.
#
#   1. scripts/setup-test-env.sh (idempotent: Chromium, Node 24, code-server)
#   2. npm ci, only when node_modules is absent
#   3. checks: build (node esbuild.mjs), typecheck, lint
#   4. tiers: unit -> webview -> integration (code-server), each ending with
#      its own `<tier>: N passed, N failed, N skipped` line
#
# Every tier runs even when an earlier one failed (the webview and integration
# tiers need the build, so a failed build skips them). The last line sums the
# tiers: `N passed, N failed, N skipped`, where a failed check, a skipped tier
# or a tier that ended without its summary line counts as one failure, and
# skipped counts tests that skipped themselves (mocha's pending). Exit status is
# non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."

logs="$(mktemp -d "${TMPDIR:-/tmp}/kni-test.XXXXXX")"
trap 'rm -rf "$logs"' EXIT

passed=0
failed=0
skipped=0
report=()

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
banner() { printf '\n== %s ==\n' "$*"; }

# check <name> <command...>: a step that passes or fails as a whole.
check() {
  local name="$1" t0 rc
  shift
  banner "$name"
  t0="$(now)"
  set +e
  "$@"
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    report+=("$name: ok ($(since "$t0"))")
  else
    report+=("$name: FAILED, exit $rc ($(since "$t0"))")
    failed=$((failed + 1))
  fi
  return "$rc"
}

# tier <name> <command...>: a test tier whose output ends with `<name>: N passed, N failed[, N skipped]`.
tier() {
  local name="$1" t0 rc line p f s
  shift
  banner "$name tests"
  t0="$(now)"
  set +e
  "$@" 2>&1 | tee "$logs/$name.log"
  rc=${PIPESTATUS[0]}
  set -e
  line="$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$" "$logs/$name.log" | tail -n 1 || true)"
  if [ -n "$line" ]; then
    p="$(sed -E 's/^[^:]+: ([0-9]+) passed.*/\1/' <<<"$line")"
    f="$(sed -E 's/.* ([0-9]+) failed(, [0-9]+ skipped)?$/\1/' <<<"$line")"
    s="$(sed -E -n 's/.* ([0-9]+) skipped$/\1/p' <<<"$line")"
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + ${s:-0}))
    # A tier that failed without counting a failed test (no test ran, say) still fails.
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
    report+=("$line, exit $rc ($(since "$t0"))")
  else
    failed=$((failed + 1))
    report+=("$name: ended without a summary line, exit $rc ($(since "$t0"))")
  fi
}

skip() {
  failed=$((failed + 1))
  report+=("$1: SKIPPED ($2)")
}

t_all="$(now)"

check setup bash scripts/setup-test-env.sh || true
if [ ! -d node_modules ]; then
  check "npm ci" npm ci --no-audit --no-fund || true
fi
built=1
check build node esbuild.mjs || built=0
check typecheck npm run --silent typecheck || true
check lint npm run --silent lint || true

tier unit node test/run-unit.mjs
if [ "$built" -eq 1 ]; then
  tier webview node test/webview/run.mjs
  tier integration node test/integration/run-code-server.mjs
else
  skip webview "the build failed"
  skip integration "the build failed"
fi

banner summary
printf '%s\n' "${report[@]}"
echo "total time $(since "$t_all")"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
