#!/usr/bin/env bash
# Runs every test project of FeedbackPlatform against a real PostgreSQL and prints, as its last line,
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
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: Node.js is not installed: installing Debian's nodejs and npm" >&2
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >&2
fi
if ! (cd tests/graphql-conformance && npm ci --no-audit --no-fund --silent >&2); then
  echo "test.sh: npm ci failed in tests/graphql-conformance" >&2
  summary 0 0
  exit 1
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

# Count every test of every project from the TRX reports the test platform wrote.
count() { cat "$RESULTS"/*.trx 2>/dev/null | grep -o "<UnitTestResult [^>]*outcome=\"$1\"" | wc -l | tr -d ' '; }
passed=$(count Passed)
failed=$(( $(count Failed) + $(count Error) + $(count Timeout) + $(count Aborted) ))

if [[ "$passed" -eq 0 && "$failed" -eq 0 ]]; then
  echo "test.sh: no test ran" >&2
  status=1
fi
[[ "$failed" -gt 0 ]] && status=1
summary "$passed" "$failed"
exit $status
