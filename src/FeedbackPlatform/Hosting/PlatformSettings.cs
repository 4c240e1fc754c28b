using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using FeedbackPlatform.Access;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.People;

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

/// <summary>
/// The platform's configuration, read once at start-up and only here: environment variables (or any other
/// configuration source: `Auth__SigningKey` is the key `Auth:SigningKey`), each documented in the README's table and
/// on its property below. Everything else asks this type (or the part of it that is a capability's own, such as
/// <see cref="Notifications"/>), never the configuration itself.
/// </summary>
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
    /// FEEDBACK_URLS: where the platform listens (`;`-separated); null when it is not set or `--urls` was given, which
    /// ASP.NET Core then applies itself.
    /// </summary>
    public string? Urls { get; init; }

    /// <summary>FEEDBACK_DEV_CLOCK_OFFSET: the process's clock (<see cref="OffsetClock"/>); the system's unless Development asks.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// FEEDBACK_NODE_CHECK_SECONDS: how often nodes check on each other and rebalance agents (projections, scheduled
    /// work); a dead node's work moves within about three of these. Null: Wolverine's defaults.
    /// </summary>
    public TimeSpan? NodeCheckPeriod { get; init; }

    /// <summary>FEEDBACK_COMMAND_CONCURRENCY: commands a process runs at once (Access/CommandSlots), four per core by default.</summary>
    public int CommandConcurrency { get; init; } = 4 * Environment.ProcessorCount;

    /// <summary>FEEDBACK_MUTATIONS_PER_MINUTE: changes per caller and minute (Access/MutationRateLimiter).</summary>
    public int MutationsPerMinute { get; init; } = 6000;

    /// <summary>FEEDBACK_MAX_BODY_BYTES: the largest request body read (Hosting/RequestLimits).</summary>
    public long MaxBodyBytes { get; init; } = RequestLimits.DefaultMaxBodyBytes;

    /// <summary>FEEDBACK_CLIENT_LINK_PER_ADDRESS_PER_MINUTE: requests to the client's link endpoints per client address and minute.</summary>
    public int ClientLinkRequestsPerAddressPerMinute { get; init; } = 60;

    /// <summary>FEEDBACK_CLIENT_LINK_PER_TOKEN_PER_MINUTE: requests to the client's link endpoints per link and minute.</summary>
    public int ClientLinkRequestsPerLinkPerMinute { get; init; } = 20;

    /// <summary>FEEDBACK_MAX_PROJECTION_LAG: events the summaries may be behind before a daemon process reports unready.</summary>
    public long MaxProjectionLag { get; init; } = 10_000;

    /// <summary>FEEDBACK_WEB_ROOT: the built web app to serve; null: looked for beside the build and in the repository (Hosting/WebApp).</summary>
    public string? WebRoot { get; init; }

    /// <summary>OTEL_SERVICE_NAME: the service name of traces and metrics.</summary>
    public string ServiceName { get; init; } = "feedback-platform";

    /// <summary>OTEL_EXPORTER_OTLP_ENDPOINT set: traces and metrics go to that collector (the other OTEL_* variables are the SDK's).</summary>
    public bool ExportsTelemetry { get; init; }

    /// <summary>FEEDBACK_TRACING: spans are recorded without a collector too (for an exporter added in code).</summary>
    public bool Tracing { get; init; }

    /// <summary>FEEDBACK_DEMO_PASSWORD: what the demo's people sign in with after `seed-demo`; null: they are not added.</summary>
    public string? DemoPassword { get; init; }

    /// <summary>Auth__SigningKey, Auth__Issuer, Auth__Audience, Auth__Authority: how bearer tokens are validated.</summary>
    public AuthSettings Auth { get; init; } = new(null, AuthSettings.DefaultName, AuthSettings.DefaultName, null);

    /// <summary>Auth__Sso__*: single sign-on, read by processes that serve the API; null when Auth__Sso__Authority is not set.</summary>
    public SingleSignOnSettings? SingleSignOn { get; init; }

    /// <summary>FEEDBACK_PUBLIC_URL, Auth__InvitationHours, Auth__SessionMaxDays, Auth__SignInsPerMinute.</summary>
    public SignInSettings SignIn { get; init; } = new(null, TimeSpan.FromHours(72), TimeSpan.FromDays(7), 20);

    /// <summary>FEEDBACK_NOTIFY_RETRY_SECONDS and FEEDBACK_SMTP_*: how deliveries are retried and where e-mail goes.</summary>
    public NotificationSettings Notifications { get; init; } = new();

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

    public static PlatformSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var connection = configuration["FEEDBACK_DB"] ?? configuration.GetConnectionString("Feedback");
        if (string.IsNullOrWhiteSpace(connection))
            throw new InvalidOperationException("FEEDBACK_DB is not set: give the PostgreSQL connection string (./ops/postgres.sh prints one).");
        var role = configuration["FEEDBACK_ROLE"] is { Length: > 0 } named
            ? Enum.TryParse<PlatformRole>(named, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(named, out _)
                ? parsed
                : throw new InvalidOperationException($"FEEDBACK_ROLE must be all, api or worker, not '{named}'.")
            : PlatformRole.All;
        var defaults = new PlatformSettings { ConnectionString = connection };
        return new PlatformSettings
        {
            ConnectionString = Tuned(connection),
            Schema = configuration["FEEDBACK_SCHEMA"] is { Length: > 0 } schema ? schema : defaults.Schema,
            SharedQueueSchema = configuration["FEEDBACK_SHARED_QUEUE_SCHEMA"] is { Length: > 0 } shared ? shared : defaults.SharedQueueSchema,
            Organization = configuration["FEEDBACK_ORGANIZATION"] is { Length: > 0 } org ? org : defaults.Organization,
            Role = role,
            Urls = ListeningUrlsFrom(configuration) is { } urls && string.IsNullOrEmpty(configuration["urls"]) ? urls : null,
            Clock = OffsetClock.From(configuration[OffsetClock.Setting], environment),
            NodeCheckPeriod = double.TryParse(configuration["FEEDBACK_NODE_CHECK_SECONDS"], CultureInfo.InvariantCulture, out var check) && check > 0
                ? TimeSpan.FromSeconds(check)
                : null,
            CommandConcurrency = int.TryParse(configuration["FEEDBACK_COMMAND_CONCURRENCY"], out var slots) && slots > 0 ? slots : defaults.CommandConcurrency,
            MutationsPerMinute = int.TryParse(configuration["FEEDBACK_MUTATIONS_PER_MINUTE"], out var changes) && changes > 0 ? changes : defaults.MutationsPerMinute,
            MaxBodyBytes = long.TryParse(configuration["FEEDBACK_MAX_BODY_BYTES"], out var bytes) && bytes > 0 ? bytes : defaults.MaxBodyBytes,
            ClientLinkRequestsPerAddressPerMinute = int.TryParse(configuration["FEEDBACK_CLIENT_LINK_PER_ADDRESS_PER_MINUTE"], out var perAddress) && perAddress > 0
                ? perAddress
                : defaults.ClientLinkRequestsPerAddressPerMinute,
            ClientLinkRequestsPerLinkPerMinute = int.TryParse(configuration["FEEDBACK_CLIENT_LINK_PER_TOKEN_PER_MINUTE"], out var perLink) && perLink > 0
                ? perLink
                : defaults.ClientLinkRequestsPerLinkPerMinute,
            MaxProjectionLag = long.TryParse(configuration["FEEDBACK_MAX_PROJECTION_LAG"], out var lag) && lag >= 0 ? lag : defaults.MaxProjectionLag,
            WebRoot = configuration[WebApp.RootSetting] is { Length: > 0 } root ? root : null,
            ServiceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } service ? service : defaults.ServiceName,
            ExportsTelemetry = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]),
            Tracing = configuration.GetValue<bool>("FEEDBACK_TRACING"),
            DemoPassword = configuration["FEEDBACK_DEMO_PASSWORD"] is { Length: > 0 } password ? password : null,
            Auth = AuthFrom(configuration),
            // Only a process that serves the API signs anyone in: a worker does not even read these.
            SingleSignOn = role != PlatformRole.Worker ? SingleSignOnFrom(configuration.GetSection("Auth:Sso"), environment) : null,
            SignIn = SignInFrom(configuration),
            Notifications = NotificationsFrom(configuration),
        };
    }

    /// <summary>FEEDBACK_URLS as given, for the `healthcheck` command too, which starts no host.</summary>
    public static string? ListeningUrlsFrom(IConfiguration configuration) =>
        configuration["FEEDBACK_URLS"] is { Length: > 0 } urls ? urls : null;

    /// <summary>The token settings alone, for `dev-token`, which needs no database.</summary>
    public static AuthSettings AuthFrom(IConfiguration configuration) => new(
        configuration["Auth:SigningKey"] is { Length: > 0 } key ? key : null,
        configuration["Auth:Issuer"] is { Length: > 0 } issuer ? issuer : AuthSettings.DefaultName,
        configuration["Auth:Audience"] is { Length: > 0 } audience ? audience : AuthSettings.DefaultName,
        configuration["Auth:Authority"] is { Length: > 0 } authority ? authority : null);

    private static SignInSettings SignInFrom(IConfiguration configuration)
    {
        static double Number(IConfiguration c, string key, double fallback) =>
            double.TryParse(c[key], CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
        var url = configuration["FEEDBACK_PUBLIC_URL"] is { Length: > 0 } u ? u.TrimEnd('/') : null;
        if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
            throw new InvalidOperationException($"FEEDBACK_PUBLIC_URL must be an absolute URL, not '{url}'.");
        return new SignInSettings(url,
            TimeSpan.FromHours(Number(configuration, "Auth:InvitationHours", 72)),
            TimeSpan.FromDays(Number(configuration, "Auth:SessionMaxDays", 7)),
            (int)Number(configuration, "Auth:SignInsPerMinute", 20));
    }

    private static SingleSignOnSettings? SingleSignOnFrom(IConfigurationSection sso, IHostEnvironment environment)
    {
        static string? Value(IConfigurationSection section, string key) => section[key] is { Length: > 0 } v ? v.Trim() : null;
        if (Value(sso, "Authority") is not { } authority)
            return null;
        if (!Uri.TryCreate(authority, UriKind.Absolute, out var authorityUri) || authorityUri.Scheme is not ("https" or "http"))
            throw new InvalidOperationException($"Auth__Sso__Authority must be the identity provider's absolute URL, not '{authority}'.");
        var loopback = authorityUri.IsLoopback || (IPAddress.TryParse(authorityUri.Host, out var ip) && IPAddress.IsLoopback(ip));
        // Plain HTTP only to a provider on this machine or in Development: the discovery document decides whose keys we trust.
        if (authorityUri.Scheme == "http" && !loopback && !environment.IsDevelopment())
            throw new InvalidOperationException("Auth__Sso__Authority must use https (plain http only for a provider on loopback or in Development).");
        var clientId = Value(sso, "ClientId") ?? throw new InvalidOperationException("Auth__Sso__ClientId must be set with Auth__Sso__Authority: the client id the identity provider gave the platform.");
        var organization = Value(sso, "Organization") ?? throw new InvalidOperationException("Auth__Sso__Organization must be set with Auth__Sso__Authority: the organization whose people sign in through the provider.");
        if (!Callers.IsOrganizationKey(organization))
            throw new InvalidOperationException($"Auth__Sso__Organization must be an organization's key, not '{organization}'.");
        var scopes = (Value(sso, "Scopes") ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        return new SingleSignOnSettings(authority, clientId, Value(sso, "ClientSecret"), organization, Value(sso, "OrganizationClaim"),
            Value(sso, "EmailClaim") ?? "email", Value(sso, "RoleClaim"), Value(sso, "SitesClaim"), Value(sso, "TherapistClaim"),
            ["openid", "email", "profile", .. scopes], RequireHttpsMetadata: authorityUri.Scheme == "https" || !(loopback || environment.IsDevelopment()));
    }

    private static NotificationSettings NotificationsFrom(IConfiguration configuration)
    {
        var defaults = new NotificationSettings();
        return new NotificationSettings
        {
            RetryDelays = configuration["FEEDBACK_NOTIFY_RETRY_SECONDS"] is { Length: > 0 } delays
                ? [.. delays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => TimeSpan.FromSeconds(double.Parse(d, CultureInfo.InvariantCulture)))]
                : defaults.RetryDelays,
            SmtpHost = configuration["FEEDBACK_SMTP_HOST"] is { Length: > 0 } host ? host : defaults.SmtpHost,
            SmtpPort = int.TryParse(configuration["FEEDBACK_SMTP_PORT"], out var port) ? port : defaults.SmtpPort,
            SmtpSecurity = configuration["FEEDBACK_SMTP_SECURITY"] is { Length: > 0 } security ? security : defaults.SmtpSecurity,
            SmtpUser = configuration["FEEDBACK_SMTP_USER"],
            SmtpPassword = configuration["FEEDBACK_SMTP_PASSWORD"],
            SmtpFrom = configuration["FEEDBACK_SMTP_FROM"] is { Length: > 0 } from ? from : defaults.SmtpFrom,
        };
    }
}
