#!/usr/bin/env bash
# Fault injection: ./ops/chaos.sh [--quick]. Not part of ./ops/test.sh.
# Real platform processes (Release, pre-generated code) and the real local PostgreSQL cluster, on a fresh `chaos`
# schema, loopback only. Four scenarios, each bounded in time and traffic:
#   1. kill -9 the platform during sustained ingestion, restart it;
#   2. stop PostgreSQL for 10 s during ingestion (503 and unready meanwhile, recovery by itself);
#   3. a webhook receiver that is down for a while, then returns;
#   4. an API and two workers, kill -9 the worker running the projections (the other must take over within 30 s).
# Then every acknowledged fact must be in the event store, and every alert the clinical core computes from the
# stored facts must have been raised exactly once. Ends with the `chaos: ...` line; exits non-zero on any loss,
# duplicate, missed alert, undelivered webhook or failed scenario. --quick shortens the phases (6 s instead of 20 s).
# It stops and starts the local cluster (ops/postgres.sh), so it never uses a FEEDBACK_DB given from outside.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
QUICK=""
[[ "${1:-}" == "--quick" ]] && QUICK="--quick"
say() { echo "chaos.sh: $*" >&2; }
OUT="$ROOT/.local/chaos"
rm -rf "$OUT"
mkdir -p "$OUT"
unset FEEDBACK_DB
export FEEDBACK_SCHEMA=${FEEDBACK_CHAOS_SCHEMA:-chaos}
. "$ROOT/ops/lib/measuring.sh"

# Whatever happens, no platform process outlives the run and the cluster is left running.
cleanup() {
  for offset in 0 1 2 3; do pkill -9 -f "FeedbackPlatform.dll --urls http://127.0.0.1:$(( ${FEEDBACK_CHAOS_PORT:-5100} + offset ))" 2>/dev/null || true; done
  FEEDBACK_DB= "$ROOT/ops/postgres.sh" >/dev/null || true
}
trap cleanup EXIT
set +e
$BENCH chaos "$ROOT" "$APP_DIR" "$FEEDBACK_DB" "$FEEDBACK_SCHEMA" "$OUT" $QUICK | tee "$OUT/result.txt"
STATUS=${PIPESTATUS[0]}
set -e
say "platform logs in $OUT"
exit "$STATUS"
