#!/usr/bin/env bash
# Runs every test project of FeedbackPlatform (and the web app's unit and browser tests) against a real PostgreSQL and prints, as its last line,
#   tests: N passed, M failed
# It exits non-zero when anything failed or when no test ran. Needs only the .NET SDK and apt:
# PostgreSQL is installed and started by ops/postgres.sh (or FEEDBACK_DB names one to use).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RESULTS="$ROOT/.local/test-results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

summary() { echo "tests: $1 passed, $2 failed"; }

if ! FEEDBACK_DB=$("$ROOT/ops/postgres.sh"); then
  echo "test.sh: PostgreSQL could not be started" >&2
  summary 0 0
  exit 1
fi
export FEEDBACK_DB

# The GraphQL-over-HTTP audit runs on Node.js with the packages pinned in tests/graphql-conformance.
. "$ROOT/ops/lib/debian.sh"
debian_install test.sh npm "the GraphQL-over-HTTP audit and the web app" nodejs npm
if ! (cd tests/graphql-conformance && npm ci --no-audit --no-fund --silent >&2); then
  echo "test.sh: npm ci failed in tests/graphql-conformance" >&2
  summary 0 0
  exit 1
fi

# The web app (web/): its packages, its generated types checked against schema.graphql, a strict type check and the
# production build the platform serves. Its browser tests drive Debian's chromium (never a downloaded browser).
debian_install test.sh chromium "the browser tests" chromium
web_built=1
# Vite 8 needs a newer Node.js than Debian 12 ships (web/package.json's engines): say so, and count the web part failed.
if ! node web/scripts/check-node.mjs; then
  echo "test.sh: the web app is not built or tested with this Node.js: its tests count as one failure" >&2
  web_built=0
elif ! (cd web && npm ci --no-audit --no-fund --silent >&2 && npx --no-install tsc --noEmit -p tsconfig.json >&2 && npx --no-install vite build --logLevel warn >&2); then
  echo "test.sh: the web app did not install, type-check or build (web/)" >&2
  web_built=0
fi

if ! dotnet build FeedbackPlatform.sln -c Debug -nologo -v quiet; then
  echo "test.sh: the build failed" >&2
  summary 0 0
  exit 1
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "test.sh: running $name" >&2
  dotnet test --project "$project" --no-build -c Debug --report-trx --report-trx-filename "$name.trx" \
    --results-directory "$RESULTS" || status=1
done

# The web app's tests: generated types not stale, unit tests (vitest), browser tests (Playwright, against a platform
# process it starts on this database). Each writes JUnit XML under $RESULTS/web, counted below with the TRX reports.
export WEB_RESULTS="$RESULTS/web"
mkdir -p "$WEB_RESULTS"
web_passed=0; web_failed=0
if [[ $web_built -eq 0 ]]; then
  web_failed=1
  status=1
else
  echo "test.sh: running the web app's tests" >&2
  if (cd web && node scripts/check-codegen.mjs >&2); then web_passed=$((web_passed + 1)); else web_failed=$((web_failed + 1)); status=1; fi
  (cd web && npx --no-install vitest run >&2) || status=1
  if ! (cd web && npx --no-install playwright test >&2); then
    status=1
    # A run that failed before any test (the platform did not start) reports no test case: count it as one failure.
    grep -q "<testcase" "$WEB_RESULTS/browser.xml" 2>/dev/null || web_failed=$((web_failed + 1))
  fi
fi
junit() { cat "$WEB_RESULTS"/*.xml 2>/dev/null | grep -o "$1" | wc -l | tr -d ' '; }
web_cases=$(junit "<testcase ")
web_bad=$(( $(junit "<failure") + $(junit "<error") ))
web_skipped=$(junit "<skipped")
web_passed=$(( web_passed + web_cases - web_bad - web_skipped ))
web_failed=$(( web_failed + web_bad ))

# Count every test of every project from the TRX reports the test platform wrote, and the web app's.
count() { cat "$RESULTS"/*.trx 2>/dev/null | grep -o "<UnitTestResult [^>]*outcome=\"$1\"" | wc -l | tr -d ' '; }
passed=$(( $(count Passed) + web_passed ))
failed=$(( $(count Failed) + $(count Error) + $(count Timeout) + $(count Aborted) + web_failed ))

if [[ "$passed" -eq 0 && "$failed" -eq 0 ]]; then
  echo "test.sh: no test ran" >&2
  status=1
fi
[[ "$failed" -gt 0 ]] && status=1
summary "$passed" "$failed"
exit $status
