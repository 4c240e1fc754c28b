#!/usr/bin/env bash
# Runs FeedbackPlatform the way production does, on this machine:
#   PostgreSQL (ops/postgres.sh, or FEEDBACK_DB) -> the web app (web/ -> web/dist, Node.js from Debian when missing)
#   -> build -> Wolverine code generation -> Release build -> schema migration (`resources setup`)
#   -> serve on FEEDBACK_URLS (the web app at /, the API beside it) until Ctrl-C / SIGTERM.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
. "$ROOT/ops/lib/runtime.sh"
URLS=${FEEDBACK_URLS:-http://127.0.0.1:5080}
FIRST_URL=${URLS%%;*}
PROJECT=src/FeedbackPlatform/FeedbackPlatform.csproj
say() { echo "run.sh: $*" >&2; }

FEEDBACK_DB=$("$ROOT/ops/postgres.sh")
export FEEDBACK_DB

# Tokens are HS256-signed with Auth__SigningKey. Without one, a key is made once for this clone
# (.local/signing-key, readable by you only) so that ./ops/dev-token.sh can sign tokens the platform accepts.
KEY_FILE="$ROOT/.local/signing-key"
if [[ -z "${Auth__SigningKey:-}" ]]; then
  if [[ ! -s "$KEY_FILE" ]]; then
    mkdir -p "$ROOT/.local"
    (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' > "$KEY_FILE")
  fi
  Auth__SigningKey=$(cat "$KEY_FILE")
  export Auth__SigningKey
fi

# shellcheck source=ops/lib/web.sh
source "$ROOT/ops/lib/web.sh"
build_web

say "building (Debug) and writing Wolverine's generated code"
dotnet build "$PROJECT" -c Debug -nologo -v quiet
rm -rf src/FeedbackPlatform/Internal/Generated
(cd src/FeedbackPlatform && ASPNETCORE_ENVIRONMENT=Development dotnet run -c Debug --no-build -- codegen write >/dev/null)

say "building (Release) with the generated code"
dotnet build "$PROJECT" -c Release -nologo -v quiet
APP_DIR=$ROOT/src/FeedbackPlatform/bin/Release/net10.0
APP=FeedbackPlatform.dll
# Run from the app folder: it is the content root where appsettings.json lives.
cd "$APP_DIR"

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
say "creating or migrating the schema (Marten and Wolverine resources)"
mkdir -p "$ROOT/.local"
if ! dotnet "$APP" resources setup > "$ROOT/.local/resources-setup.log" 2>&1; then
  say "resources setup failed (full output in .local/resources-setup.log):"
  grep -E "Exception|ERROR|[0-9A-Z]{5}: " "$ROOT/.local/resources-setup.log" | head -20 >&2
  exit 1
fi

DEMO_PASSWORD_FILE="$ROOT/.local/demo-password"
if [[ "${FEEDBACK_SEED_DEMO:-true}" != "false" ]]; then
  # The demo's people sign in with one password, made once for this clone (readable by you only).
  if [[ ! -s "$DEMO_PASSWORD_FILE" ]]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '\n/+=' > "$DEMO_PASSWORD_FILE")
  fi
  say "seeding the demo clinic if the database has none (FEEDBACK_SEED_DEMO=false skips this)"
  FEEDBACK_DEMO_PASSWORD=$(cat "$DEMO_PASSWORD_FILE") dotnet "$APP" seed-demo
fi

# --prepare-only: everything above (build, code generation, migration, demo data), then stop; ops/cluster.sh uses it.
if [[ "${1:-}" == "--prepare-only" ]]; then
  say "prepared: $APP_DIR/$APP"
  exit 0
fi

say "starting on $URLS"
dotnet "$APP" --urls "$URLS" &
PID=$!
stop() { say "stopping"; kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; exit 0; }
trap stop INT TERM

for _ in $(seq 1 120); do
  if curl -fsS "$FIRST_URL/health/ready" >/dev/null 2>&1; then
    echo "FeedbackPlatform is ready:"
    if [[ -f "${FEEDBACK_WEB_ROOT:-$ROOT/web/dist}/index.html" ]]; then
      echo "  web app       $FIRST_URL/"
    fi
    echo "  GraphQL       $FIRST_URL/graphql"
    echo "  health/live   $FIRST_URL/health/live"
    echo "  health/ready  $FIRST_URL/health/ready"
    echo "  a token:      TOKEN=\$(./ops/dev-token.sh --role admin --org ${FEEDBACK_ORGANIZATION:-demo})"
    if [[ "${FEEDBACK_SEED_DEMO:-true}" != "false" && -s "$DEMO_PASSWORD_FILE" ]]; then
      echo "  demo sign-in: at $FIRST_URL/ (or POST $FIRST_URL/auth/sign-in {organization, email, password})"
      echo "    organization  ${FEEDBACK_ORGANIZATION:-demo}"
      echo "    email         admin@demo.example (admin), director.riverside@demo.example, director.harbour@demo.example,"
      echo "                  director.hillside@demo.example (directors), okafor@demo.example, lindqvist@demo.example"
      echo "                  (clinicians), integrator@demo.example"
      echo "    password      $(cat "$DEMO_PASSWORD_FILE")   (in .local/demo-password; no second factor in the demo)"
    fi
    break
  fi
  if ! kill -0 "$PID" 2>/dev/null; then say "the platform exited during start-up"; wait "$PID"; exit 1; fi
  sleep 1
done
wait "$PID"
