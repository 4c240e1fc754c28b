using System.Text.Json.Nodes;
using Npgsql;

namespace FeedbackPlatform.Bench;

/// <summary>
/// What one measured run cost: CPU of the platform, of PostgreSQL and of this load generator (from /proc), and what
/// PostgreSQL ran (pg_stat_statements and the database's transaction counter), each per request of the run.
/// pg_stat_statements is loaded by ops/postgres.sh; a cluster started before that gets CPU figures only.
/// </summary>
public sealed class Profile
{
    // Linux reports process times in clock ticks of USER_HZ, 100 on every architecture .NET runs on here.
    private const double TicksPerSecond = 100;
    private readonly string _connectionString;
    private readonly int? _platformPid;
    private readonly bool _statements;
    private readonly (long Platform, long Postgres, long Self, long Transactions) _before;

    private Profile(string connectionString, int? platformPid, bool statements, (long, long, long, long) before)
    {
        _connectionString = connectionString;
        _platformPid = platformPid;
        _statements = statements;
        _before = before;
    }

    /// <summary>Starts counting; the platform's process id comes from FEEDBACK_BENCH_PLATFORM_PID (bench.sh sets it).</summary>
    public static async Task<Profile> Start(string connectionString)
    {
        int? platformPid = int.TryParse(Environment.GetEnvironmentVariable("FEEDBACK_BENCH_PLATFORM_PID"), out var pid) ? pid : null;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var statements = false;
        try
        {
            await using var create = new NpgsqlCommand("create extension if not exists pg_stat_statements; select pg_stat_statements_reset()", connection);
            await create.ExecuteNonQueryAsync();
            statements = true;
        }
        catch (PostgresException)
        {
            // Not in shared_preload_libraries (a cluster started by an older postgres.sh): CPU figures only.
        }
        return new Profile(connectionString, platformPid, statements, await Counters(connection, platformPid));
    }

    public async Task<JsonObject> Stop(int requests)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var after = await Counters(connection, _platformPid);
        double PerRequest(long ticks) => requests == 0 ? double.NaN : ticks / TicksPerSecond * 1000 / requests;
        var result = new JsonObject
        {
            ["requests"] = requests,
            ["platformCpuMsPerRequest"] = _platformPid is null ? null : PerRequest(after.Platform - _before.Platform),
            ["postgresCpuMsPerRequest"] = PerRequest(after.Postgres - _before.Postgres),
            ["loadGeneratorCpuMsPerRequest"] = PerRequest(after.Self - _before.Self),
            ["transactionsPerRequest"] = requests == 0 ? null : (double)(after.Transactions - _before.Transactions) / requests,
        };
        if (!_statements)
            return result;
        // The statements of this database, busiest first; the profile's own queries are left out.
        const string Sql = """
            select calls, total_exec_time, regexp_replace(query, '\s+', ' ', 'g')
            from pg_stat_statements
            where dbid = (select oid from pg_database where datname = current_database())
              and query not like '%pg_stat_statements%' and query not like '%pg_stat_database%'
            order by calls desc
            """;
        await using var read = new NpgsqlCommand(Sql, connection);
        await using var reader = await read.ExecuteReaderAsync();
        var top = new JsonArray();
        long calls = 0;
        double ms = 0;
        while (await reader.ReadAsync())
        {
            var (n, time, query) = (reader.GetInt64(0), reader.GetDouble(1), reader.GetString(2));
            calls += n;
            ms += time;
            if (top.Count < 15)
                top.Add(new JsonObject
                {
                    ["perRequest"] = (double)n / requests, ["meanMs"] = time / n,
                    ["query"] = query.Length > 110 ? query[..110] + "…" : query,
                });
        }
        result["statementsPerRequest"] = (double)calls / requests;
        result["statementMsPerRequest"] = ms / requests;
        result["statements"] = top;
        return result;
    }

    private static async Task<(long Platform, long Postgres, long Self, long Transactions)> Counters(NpgsqlConnection connection, int? platformPid)
    {
        await using var xacts = new NpgsqlCommand("select xact_commit + xact_rollback from pg_stat_database where datname = current_database()", connection);
        var transactions = (long)(await xacts.ExecuteScalarAsync())!;
        return (platformPid is { } pid ? OwnTicks(pid) : 0, PostgresTicks(), OwnTicks(Environment.ProcessId), transactions);
    }

    /// <summary>Every postgres process's CPU; the postmaster's reaped children (backends that ended) count through it.</summary>
    private static long PostgresTicks()
    {
        long total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || Stat(pid) is not { } stat || stat.Comm != "postgres")
                continue;
            total += stat.Parent == 1 || Stat(stat.Parent)?.Comm != "postgres" ? stat.Own + stat.Children : stat.Own;
        }
        return total;
    }

    private static long OwnTicks(int pid) => Stat(pid)?.Own ?? 0;

    private sealed record ProcessStat(string Comm, int Parent, long Own, long Children);

    private static ProcessStat? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // comm is in parentheses and may hold spaces; the fields after it are space-separated.
            var open = text.IndexOf('(');
            var close = text.LastIndexOf(')');
            var fields = text[(close + 2)..].Split(' ');
            // After comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
            return new ProcessStat(text[(open + 1)..close], int.Parse(fields[1]),
                long.Parse(fields[11]) + long.Parse(fields[12]), long.Parse(fields[13]) + long.Parse(fields[14]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // the process ended meanwhile
        }
    }
}
