#!/usr/bin/env bash
# Prints a bearer token for local use, signed with the key ./ops/run.sh serves with (.local/signing-key,
# or Auth__SigningKey when set). Options as `dev-token`:
#   ./ops/dev-token.sh --role admin|director|clinician|integrator --org demo [--site <uuid> ...] [--therapist <uuid>]
#                      [--sub <name>] [--scope free-text] [--hours 8]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
KEY_FILE="$ROOT/.local/signing-key"
if [[ -z "${Auth__SigningKey:-}" ]]; then
  if [[ ! -s "$KEY_FILE" ]]; then
    echo "dev-token.sh: no $KEY_FILE yet: run ./ops/run.sh once (it creates the key), or set Auth__SigningKey." >&2
    exit 2
  fi
  Auth__SigningKey=$(cat "$KEY_FILE")
  export Auth__SigningKey
fi
# Build quietly (only the token goes to stdout, so TOKEN=$(./ops/dev-token.sh ...) works), then sign.
if ! build_output=$(dotnet build "$ROOT/src/FeedbackPlatform/FeedbackPlatform.csproj" -c Debug -nologo -v quiet 2>&1); then
  echo "$build_output" >&2
  exit 1
fi
exec dotnet run --project "$ROOT/src/FeedbackPlatform/FeedbackPlatform.csproj" -c Debug --no-build -- dev-token "$@"
