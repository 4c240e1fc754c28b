#!/usr/bin/env bash
# The benchmark: ./ops/bench.sh [--quick | --scale N]. Not part of ./ops/test.sh.
# Starts PostgreSQL and the platform like run.sh (Release, pre-generated code) on a fresh schema, then measures:
# loading the data set through the commands, submitSessionRating over loopback HTTP at 16 and 64 connections,
# alert latency under that load, dashboard queries, the web app (a director's overview and alert worklist ready
# in headless Chromium, the main bundle gzipped), pgbench's one-JSON-row-per-transaction limit at the same
# concurrency, a rebuild of every read model and the platform's peak memory. Writes docs/benchmarks.md and ends
# with the `bench: ...` line. --quick uses a twentieth of the data.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# --quick (a twentieth of the data) or --scale N (a 1/N data set, to try a change out; not a reportable run).
SIZE=()
[[ "${1:-}" == "--quick" ]] && SIZE=(--quick)
[[ "${1:-}" == "--scale" ]] && SIZE=(--scale "${2:?--scale needs N}")
# Only a quick or a full run is reported in docs/benchmarks.md; a trial's table stays in .local/bench.
REPORT="$ROOT/docs/benchmarks.md"
[[ "${1:-}" == "--scale" ]] && REPORT="$ROOT/.local/bench/benchmarks.md"
say() { echo "bench.sh: $*" >&2; }
PORT=${FEEDBACK_BENCH_PORT:-5090}
OUT="$ROOT/.local/bench"
mkdir -p "$OUT"
export FEEDBACK_SCHEMA=${FEEDBACK_BENCH_SCHEMA:-bench}
. "$ROOT/ops/lib/measuring.sh"
# pgbench's own table, beside the platform's schema (so two benchmarks on one cluster keep apart).
PGBENCH_SCHEMA="${FEEDBACK_SCHEMA}_pg"
psql -q -c "drop schema if exists $PGBENCH_SCHEMA cascade" >/dev/null 2>&1

# The web app the platform serves (web/dist, found from the repository): built unless it is newer than its sources.
# Without a recent enough Node.js its figures are reported as not measured, and the rest of the benchmark runs.
WEB_MISSING=""
. "$ROOT/ops/lib/debian.sh"
debian_install bench.sh npm "the web app's build and timing" nodejs npm
debian_install bench.sh chromium "the web app's timing" chromium
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  WEB_MISSING="Node.js and npm are not installed"
elif ! NODE_CHECK=$(node web/scripts/check-node.mjs 2>&1); then
  WEB_MISSING=$NODE_CHECK
elif [[ ! -f web/dist/index.html || -n $(find web/src web/index.html web/package-lock.json web/vite.config.ts -newer web/dist/index.html -print -quit) ]]; then
  say "building the web app (web/dist)"
  (cd web && npm ci --no-audit --no-fund --silent && npm run build --silent -- --logLevel warn) >"$OUT/web-build.log" 2>&1 \
    || WEB_MISSING="the web app did not build (.local/bench/web-build.log)"
fi

cd "$APP_DIR"
export ASPNETCORE_ENVIRONMENT=Production FEEDBACK_ORGANIZATION=bench FEEDBACK_MUTATIONS_PER_MINUTE=1000000000 Logging__LogLevel__Default=Warning
dotnet FeedbackPlatform.dll --urls "http://127.0.0.1:$PORT" > "$OUT/platform.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 $PID 2>/dev/null || { say "the platform exited; see $OUT/platform.log"; exit 1; }
  sleep 1
done
TOKEN=$(dotnet FeedbackPlatform.dll dev-token --role admin --org bench --sub bench 2>/dev/null | tail -1)

RESULTS="$OUT/results.json"
FEEDBACK_BENCH_PLATFORM_PID=$PID $BENCH measure "http://127.0.0.1:$PORT" "$TOKEN" "$FEEDBACK_DB" "$FEEDBACK_SCHEMA" "$RESULTS" "${SIZE[@]}"
RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
$BENCH set "$RESULTS" rssMiB "$((RSS_KB / 1024))"

# The web app on the full data set, in headless Chromium (not a test): a director's overview and alert worklist
# ready (network idle), and the main bundle gzipped. A failure here is reported, not fatal.
if [[ -z "$WEB_MISSING" ]]; then
  say "web app: the director's overview and alert worklist in headless Chromium"
  if node "$ROOT/web/scripts/bench-timing.mjs" "http://127.0.0.1:$PORT" bench "$TOKEN" 5 >"$OUT/web-timing.json" 2>"$OUT/web-timing.log"; then
    web() { node -e "const r = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); console.log($1)" "$OUT/web-timing.json"; }
    $BENCH set "$RESULTS" web.overviewMs "$(web r.overview.medianMs)"
    $BENCH set "$RESULTS" web.overviewMaxMs "$(web r.overview.maxMs)"
    $BENCH set "$RESULTS" web.worklistMs "$(web r.worklist.medianMs)"
    $BENCH set "$RESULTS" web.worklistMaxMs "$(web r.worklist.maxMs)"
    $BENCH set "$RESULTS" web.runs "$(web r.overview.runs.length)"
    $BENCH set "$RESULTS" web.mainBundleGzipBytes "$(web r.mainBundle.gzipBytes)"
    $BENCH set "$RESULTS" web.mainBundleFile "$(web r.mainBundle.file)"
    grep '^web-timing:' "$OUT/web-timing.log" | sed 's/^web-timing: /  /' >&2 || true
  else
    WEB_MISSING="the timing script failed (.local/bench/web-timing.log)"
  fi
fi
if [[ -n "$WEB_MISSING" ]]; then
  say "web app not measured: $WEB_MISSING"
  $BENCH set "$RESULTS" web.missing "$WEB_MISSING"
fi

say "pgbench: one JSON row per transaction"
psql -q -v ON_ERROR_STOP=1 -c "create schema $PGBENCH_SCHEMA; create table $PGBENCH_SCHEMA.ratings (id bigserial primary key, data jsonb not null)" >/dev/null
cat > "$OUT/pgbench.sql" <<SQL
\\set n random(1, 1000000000)
insert into $PGBENCH_SCHEMA.ratings (data) values (jsonb_build_object('episodeId', :n, 'relationship', 9.5, 'goalsAndTopics', 9.1, 'approachOrMethod', 8.9, 'overall', 9.3));
SQL
for c in 16 64; do
  TPS=$("$PG_BIN/pgbench" -n -c "$c" -j 2 -T 20 -f "$OUT/pgbench.sql" 2>/dev/null | awk '/^tps = / {print $3}' | tail -1)
  say "  $c connections: $TPS tps"
  $BENCH set "$RESULTS" "pgbench.$c" "$TPS"
done
psql -q -c "drop schema $PGBENCH_SCHEMA cascade" >/dev/null

say "stopping the platform, then rebuilding every read model"
kill -TERM $PID; wait $PID 2>/dev/null || true
trap - EXIT
EVENTS=$(psql -At -c "select count(*) from \"$FEEDBACK_SCHEMA\".mt_events")
START=$(date +%s%N)
dotnet FeedbackPlatform.dll projections rebuild --shard-timeout 60m > "$OUT/rebuild.log" 2>&1 || { say "rebuild failed; see $OUT/rebuild.log"; exit 1; }
MS=$(( ($(date +%s%N) - START) / 1000000 ))
$BENCH set "$RESULTS" rebuild.events "$EVENTS"
$BENCH set "$RESULTS" rebuild.seconds "$((MS / 1000))"
$BENCH set "$RESULTS" rebuild.eventsPerSecond "$((EVENTS * 1000 / MS))"
$BENCH set "$RESULTS" machine "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), .NET $(dotnet --version)"
$BENCH set "$RESULTS" ranAt "$(date -u +%Y-%m-%dT%H:%MZ)"
cd "$ROOT"
$BENCH report "$RESULTS" "$REPORT"
