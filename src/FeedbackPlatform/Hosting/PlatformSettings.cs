using System.Security.Cryptography;
using System.Text;

namespace FeedbackPlatform.Hosting;

/// <summary>What a process of the platform does (FEEDBACK_ROLE).</summary>
public enum PlatformRole
{
    /// <summary>Everything: the API and the background work. One process is a whole platform.</summary>
    All,
    /// <summary>Serves GraphQL, REST and live subscriptions; leaves projections, follow-ups and notifications to workers.</summary>
    Api,
    /// <summary>Runs the projection daemon, the scheduled follow-ups and the notifications; serves only health.</summary>
    Worker,
}

/// <summary>Configuration read once at start-up (environment variables as documented in the README).</summary>
public sealed class PlatformSettings
{
    /// <summary>FEEDBACK_DB: the PostgreSQL connection string.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>FEEDBACK_SCHEMA: the PostgreSQL schema holding the event store, read models and message storage.</summary>
    public string Schema { get; init; } = "feedback";

    /// <summary>FEEDBACK_SHARED_QUEUE_SCHEMA: the schema every deployment's background queues shared before they moved into each deployment's own (Hosting/SharedQueueMigration).</summary>
    public string SharedQueueSchema { get; init; } = "wolverine_queues";

    /// <summary>FEEDBACK_ROLE: all (default), api or worker.</summary>
    public PlatformRole Role { get; init; } = PlatformRole.All;

    public bool ServesApi => Role != PlatformRole.Worker;
    public bool RunsBackgroundWork => Role != PlatformRole.Api;

    /// <summary>FEEDBACK_ORGANIZATION: the organization (tenant) `seed-demo` fills; requests name theirs in the token's org claim.</summary>
    public string Organization { get; init; } = "demo";

    /// <summary>
    /// An advisory-lock id of this deployment's own (leader election of the projection daemon, schema migrations):
    /// derived from the schema, so that deployments sharing one database never hold, wait for or win each other's locks.
    /// </summary>
    public int LockId(string purpose) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"feedback-lock:{Schema}:{purpose}")), 0) & int.MaxValue;

    /// <summary>The id of an organization's own stream (its rule settings), derived from its key (the tenant id).</summary>
    public static Guid OrganizationIdOf(string organization) => new(MD5.HashData(Encoding.UTF8.GetBytes("organization:" + organization)));

    /// <summary>
    /// What the platform asks of its connections unless the connection string says otherwise: Npgsql prepares the
    /// statements sent again and again, and a pooled connection is handed back without DISCARD ALL, which would
    /// throw away those and PL/pgSQL's cached plans (Marten's append function) many times per command (nothing
    /// here leaves session state behind: no SET, no temporary tables, advisory locks only on connections held
    /// for them). Documents and events over 2 kB are compressed with lz4 rather than pglz, which cost
    /// PostgreSQL a tenth of its time for the episode snapshots rewritten by every fact.
    /// </summary>
    private static string Tuned(string connection)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 100;
            builder.AutoPrepareMinUsages = 2;
            builder.NoResetOnClose = true;
        }
        if (builder.Options?.Contains("default_toast_compression", StringComparison.Ordinal) != true)
            builder.Options = $"{builder.Options} -c default_toast_compression=lz4".Trim();
        return builder.ConnectionString;
    }

    public static PlatformSettings From(IConfiguration configuration)
    {
        var connection = configuration["FEEDBACK_DB"] ?? configuration.GetConnectionString("Feedback");
        if (string.IsNullOrWhiteSpace(connection))
            throw new InvalidOperationException("FEEDBACK_DB is not set: give the PostgreSQL connection string (./ops/postgres.sh prints one).");
        return new PlatformSettings
        {
            ConnectionString = Tuned(connection),
            Schema = configuration["FEEDBACK_SCHEMA"] is { Length: > 0 } schema ? schema : "feedback",
            SharedQueueSchema = configuration["FEEDBACK_SHARED_QUEUE_SCHEMA"] is { Length: > 0 } shared ? shared : "wolverine_queues",
            Organization = configuration["FEEDBACK_ORGANIZATION"] is { Length: > 0 } org ? org : "demo",
            Role = configuration["FEEDBACK_ROLE"] is { Length: > 0 } role
                ? Enum.TryParse<PlatformRole>(role, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(role, out _)
                    ? parsed
                    : throw new InvalidOperationException($"FEEDBACK_ROLE must be all, api or worker, not '{role}'.")
                : PlatformRole.All,
        };
    }
}
