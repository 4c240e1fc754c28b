# Sourced by ops/bench.sh and ops/chaos.sh: the repository, the local PostgreSQL (its connection string in
# FEEDBACK_DB, libpq's variables for psql and pgbench), a fresh schema FEEDBACK_SCHEMA prepared like run.sh does
# (Release build, pre-generated code, migrated, no demo data), the token key, and the built load generator in $BENCH.
# The caller sets ROOT, FEEDBACK_SCHEMA and say().
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
. "$ROOT/ops/lib/runtime.sh"
FEEDBACK_DB=$("$ROOT/ops/postgres.sh")
export FEEDBACK_DB
value() { echo "$FEEDBACK_DB" | tr ';' '\n' | grep -i "^$1=" | head -1 | cut -d= -f2-; }
export PGHOST=$(value Host) PGPORT=$(value Port) PGDATABASE=$(value Database) PGUSER=$(value Username) PGPASSWORD=$(value Password)
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

say "fresh schema $FEEDBACK_SCHEMA"
psql -q -v ON_ERROR_STOP=1 -c "drop schema if exists \"$FEEDBACK_SCHEMA\" cascade" >/dev/null 2>&1
FEEDBACK_SEED_DEMO=false "$ROOT/ops/run.sh" --prepare-only
export Auth__SigningKey=${Auth__SigningKey:-$(cat "$ROOT/.local/signing-key")}
say "building the load generator"
dotnet build "$ROOT/ops/bench/FeedbackPlatform.Bench/FeedbackPlatform.Bench.csproj" -c Release -nologo -v quiet >/dev/null
BENCH="dotnet $ROOT/ops/bench/FeedbackPlatform.Bench/bin/Release/net10.0/FeedbackPlatform.Bench.dll"
APP_DIR=$ROOT/src/FeedbackPlatform/bin/Release/net10.0
