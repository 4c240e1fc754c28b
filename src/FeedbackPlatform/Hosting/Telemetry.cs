using System.Diagnostics;
using System.Diagnostics.Metrics;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using Marten;
using Marten.Services;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// The platform's own activity source and meter, both named FeedbackPlatform, beside the libraries' (Marten,
/// Wolverine, Npgsql, ASP.NET Core). Tags carry instruments, kinds, severities, outcomes and operation names:
/// never a person, a client id, a score or free text.
/// </summary>
public static class Telemetry
{
    public const string Name = "FeedbackPlatform";
    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> FeedbackReceived =
        Meter.CreateCounter<long>("feedback.received", "{rating}", "SRS, ORS and WAI-SR stored, by instrument.");
    public static readonly Counter<long> AlertsRaised =
        Meter.CreateCounter<long>("feedback.alerts.raised", "{alert}", "Alerts raised, by kind and severity.");
    public static readonly Histogram<double> AlertLatency =
        Meter.CreateHistogram<double>("feedback.alert.latency", "ms", "From the fact that raised an alert to the alert reaching notifications and live subscribers.");
    public static readonly Counter<long> NotificationDeliveries =
        Meter.CreateCounter<long>("feedback.notifications.deliveries", "{delivery}", "Webhook and e-mail delivery attempts, by channel and outcome.");

    public static readonly Counter<long> UnplaceableMessages =
        Meter.CreateCounter<long>("feedback.messages.unplaceable", "{message}", "Background messages naming something this deployment does not hold, dead-lettered, by message type.");

    public const string OpenAlertsGauge = "feedback.alerts.open";
    public const string ProjectionLagGauge = "feedback.projection.lag";

    /// <summary>Every instrument of the platform's meter (the Grafana dashboard is checked against these).</summary>
    public static IReadOnlyList<string> InstrumentNames =>
        [FeedbackReceived.Name, AlertsRaised.Name, AlertLatency.Name, NotificationDeliveries.Name, UnplaceableMessages.Name, OpenAlertsGauge, ProjectionLagGauge];

    // Gauges read what the background refresher last saw (PlatformGauges): callbacks must not query.
    private static volatile IReadOnlyDictionary<string, long> _openAlerts = new Dictionary<string, long>();
    private static long _projectionLag = -1;

    static Telemetry()
    {
        Meter.CreateObservableGauge(OpenAlertsGauge, () => _openAlerts.Select(k => new Measurement<long>(k.Value, new KeyValuePair<string, object?>("kind", k.Key))),
            "{alert}", "Alerts not yet resolved, by kind.");
        Meter.CreateObservableGauge(ProjectionLagGauge, () => Interlocked.Read(ref _projectionLag) is var lag and >= 0
                ? [new Measurement<long>(lag, new KeyValuePair<string, object?>("projection", "AllianceSummary"))]
                : Array.Empty<Measurement<long>>(),
            "{event}", "Events stored but not yet applied to the summaries.");
    }

    /// <summary>Enum values as the API spells them (LOW_ALLIANCE), so dashboards and the GraphQL API agree.</summary>
    public static string Label(Enum value) => System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString());

    internal static void Observed(IReadOnlyDictionary<string, long> openAlerts, long? projectionLag)
    {
        _openAlerts = openAlerts;
        if (projectionLag is { } lag)
            Interlocked.Exchange(ref _projectionLag, lag);
    }

    public static WebApplicationBuilder AddPlatformTelemetry(this WebApplicationBuilder builder, PlatformSettings settings)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName))
            .WithMetrics(m => m
                .AddMeter(Name, "Marten", "Wolverine", "Wolverine:*", "Npgsql")
                .AddAspNetCoreInstrumentation());

        // Exported over OTLP only when a collector is configured (standard OTEL_* variables). Spans cost objects
        // for every request, query and handler, so they are recorded only when something receives them: that
        // collector, or an exporter added in code (FEEDBACK_TRACING=true).
        var exported = settings.ExportsTelemetry;
        if (exported || settings.Tracing)
            otel.WithTracing(t => t
                .AddSource(Name, "Marten", "Wolverine", global::GraphQL.Telemetry.GraphQLTelemetryProvider.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx =>
                    !ctx.Request.Path.StartsWithSegments("/health") && !ClientFeedback.LinkRedaction.IsPage(ctx.Request.Path)) // the client's page path holds a token
                .AddNpgsql());
        if (exported)
            otel.UseOtlpExporter();
        builder.Services.AddHostedService<PlatformGauges>();
        return builder;
    }

    /// <summary>Counts what was committed, once, whichever transport or handler stored it.</summary>
    public sealed class CommittedFacts : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            foreach (var e in commit.GetEvents())
            {
                switch (e.Data)
                {
                    case SessionRatingSubmitted:
                        FeedbackReceived.Add(1, new KeyValuePair<string, object?>("instrument", "SRS"));
                        break;
                    case OutcomeRatingSubmitted:
                        FeedbackReceived.Add(1, new KeyValuePair<string, object?>("instrument", "ORS"));
                        break;
                    case AllianceInventorySubmitted:
                        FeedbackReceived.Add(1, new KeyValuePair<string, object?>("instrument", "WAI-SR"));
                        break;
                    // Raised alerts are recorded in the episode's stream and start the alert's own: count the latter.
                    case AlertRaised raised when e.StreamId == raised.AlertId:
                        AlertsRaised.Add(1, new KeyValuePair<string, object?>("kind", Label(raised.Kind)),
                            new KeyValuePair<string, object?>("severity", Label(raised.Severity)));
                        break;
                }
            }
            return Task.CompletedTask;
        }
    }
}

/// <summary>Refreshes the gauges (open alerts, projection lag) every few seconds on processes that do background work.</summary>
public sealed class PlatformGauges(IDocumentStore store, PlatformSettings settings, ILogger<PlatformGauges> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.RunsBackgroundWork)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var alerts = store.Options.Schema.For<AlertCase>();
                await using var session = store.QuerySession();
                var open = (await session.AdvancedSql.QueryAsync<Dictionary<string, long>>(
                    $"select coalesce(jsonb_object_agg(k.kind, k.n), '{{}}'::jsonb) from (select data->>'kind' as kind, count(*) as n from {alerts} where data->>'status' <> 'Resolved' group by 1) k",
                    stoppingToken)).Single();
                Telemetry.Observed(open.ToDictionary(x => Enum.TryParse<AlertKind>(x.Key, out var kind) ? Telemetry.Label(kind) : x.Key, x => x.Value), await ProjectionLag.Of(store, stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Telemetry must never take the platform down: log the kind of failure and try again.
                logger.LogWarning("Gauges not refreshed ({ExceptionType})", e.GetType().Name);
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>
/// How far the summaries are behind the events: the newest event's sequence number minus the projection's
/// position. (Not the daemon's high-water mark: a stopped daemon stops moving that too.)
/// </summary>
public static class ProjectionLag
{
    public static async Task<long?> Of(IDocumentStore store, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var session = store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<long>(
            $"select greatest(0, (select coalesce(max(seq_id), 0) from {schema}.mt_events) - " +
            $"coalesce((select max(last_seq_id) from {schema}.mt_event_progression where name like '{Dashboards.AllianceSummaryProjection.Name}%'), 0))", ct);
        return rows.Single();
    }
}
