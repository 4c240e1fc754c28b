#!/usr/bin/env bash
# Runs the platform as a small cluster on this machine: two `api` processes and one `worker` on one
# PostgreSQL database, built and migrated the way ./ops/run.sh does it. Prints the ports; Ctrl-C stops all.
#   FEEDBACK_API_PORTS   default "5081 5082"   one api process per port
#   FEEDBACK_WORKER_PORT default 5083          the worker's health endpoint
# The multi-node guarantees (every alert once, projections caught up, a killed worker replaced) are proven by
# the test tests/FeedbackPlatform.Tests/Cluster/RolesTests.cs, which starts the same three roles.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/ops/lib/runtime.sh"
API_PORTS=${FEEDBACK_API_PORTS:-"5081 5082"}
WORKER_PORT=${FEEDBACK_WORKER_PORT:-5083}
say() { echo "cluster.sh: $*" >&2; }

"$ROOT/ops/run.sh" --prepare-only
FEEDBACK_DB=${FEEDBACK_DB:-$("$ROOT/ops/postgres.sh")}
export FEEDBACK_DB ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
if [[ -z "${Auth__SigningKey:-}" ]]; then
  Auth__SigningKey=$(cat "$ROOT/.local/signing-key")
  export Auth__SigningKey
fi
APP_DIR=$ROOT/src/FeedbackPlatform/bin/Release/net10.0
cd "$APP_DIR"
mkdir -p "$ROOT/.local/cluster"

PIDS=()
stop() {
  say "stopping"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  exit 0
}
trap stop INT TERM

start() { # role port
  FEEDBACK_ROLE=$1 dotnet FeedbackPlatform.dll --urls "http://127.0.0.1:$2" > "$ROOT/.local/cluster/$1-$2.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then say "the $1 on port $2 exited; see .local/cluster/$1-$2.log"; stop; fi
    sleep 1
  done
  say "the $1 on port $2 did not become ready"; stop
}

start worker "$WORKER_PORT"
for port in $API_PORTS; do start api "$port"; done

echo "FeedbackPlatform cluster is ready (logs in .local/cluster/):"
echo "  worker  http://127.0.0.1:$WORKER_PORT/health/ready   (pid ${PIDS[0]})"
i=1
for port in $API_PORTS; do
  echo "  api     http://127.0.0.1:$port/graphql   (pid ${PIDS[$i]})"
  i=$((i + 1))
done
echo "  a token: TOKEN=\$(./ops/dev-token.sh --role admin --org ${FEEDBACK_ORGANIZATION:-demo})"
echo "  replace the worker: kill -9 ${PIDS[0]}; FEEDBACK_ROLE=worker dotnet $APP_DIR/FeedbackPlatform.dll --urls http://127.0.0.1:$WORKER_PORT"
wait
