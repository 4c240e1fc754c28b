using FeedbackPlatform.Access;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.ClientFeedback;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Ingestion;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.People;
using FeedbackPlatform.Privacy;
using System.Text.Json.Serialization.Metadata;
using JasperFx;
using JasperFx.MultiTenancy;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.OpenTelemetry;
using Marten;
using Weasel.Core;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// The platform as one composition: the settings, then each capability's own configuration (its documents and
/// projections, its messages' routes, its services: `Configure…`/`Add…` in the capability's folder) on the
/// platform-wide Marten and Wolverine set-up below.
/// </summary>
public static class PlatformSetup
{
    public static WebApplicationBuilder AddFeedbackPlatform(this WebApplicationBuilder builder, bool serving = true)
    {
        var settings = PlatformSettings.From(builder.Configuration, builder.Environment);
        if (settings.Urls is { } urls)
            builder.WebHost.UseUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(settings.Clock);
        services.AddNotifications(settings);

        builder.AddEventStore(settings, opts => opts
            .ConfigureEpisodes()
            .ConfigureDirectory()
            .ConfigureAlerts(settings)
            .ConfigureNotifications()
            .ConfigureDashboards(settings)
            .ConfigureAccess()
            .ConfigurePeople()
            .ConfigureClientFeedback());
        builder.AddMessaging(settings, opts => opts
            .ConfigureAlerts(settings)
            .ConfigureNotifications(settings));

        services.AddIngestion();
        services.AddAlerts(settings);
        services.AddFeedbackGraphQL();
        services.AddAccess(settings, builder.Environment, serving);
        services.AddPeople(settings);
        services.AddDashboards();
        services.AddClientFeedback();
        services.AddPlatformHealth();
        builder.AddPlatformTelemetry(settings);
        return builder;
    }

    /// <summary>Marten, for every capability alike: the deployment's schema and locks, tenancy, serialization, telemetry; then the capabilities' own.</summary>
    private static void AddEventStore(this WebApplicationBuilder builder, PlatformSettings settings, Action<StoreOptions> capabilities)
    {
        var services = builder.Services;
        // Development compiles Wolverine's handler adapters at runtime (WolverineFx.RuntimeCompilation is
        // referenced in Debug only); Production runs the code written by `codegen write` into Internal/Generated.
        services.CritterStackDefaults(x =>
        {
            x.Development.GeneratedCodeMode = TypeLoadMode.Dynamic;
            x.Development.ResourceAutoCreate = AutoCreate.CreateOrUpdate;
            x.Production.GeneratedCodeMode = TypeLoadMode.Static;
            // Production never changes the schema by itself: `resources setup` (or a DBA applying `db-patch`) migrates it
            // before the new version starts (ops/run.sh and the compose stack's migrate service do that).
            x.Production.ResourceAutoCreate = AutoCreate.None;
            x.Production.AssertAllPreGeneratedTypesExist = true;
        });

        services.AddSingleton<PrivateMartenLogger>();
        var marten = services.AddMarten(sp =>
            {
                var opts = new StoreOptions();
                opts.Logger(sp.GetRequiredService<PrivateMartenLogger>());
                opts.Listeners.Add(new Telemetry.CommittedFacts());
                opts.Connection(settings.ConnectionString);
                opts.DatabaseSchemaName = settings.Schema;
                // Several deployments may share one database, each in its own schema: its locks are its own too.
                opts.Projections.DaemonLockId = settings.LockId("daemon");
                opts.ApplyChangesLockId = settings.LockId("migration");
                // One serializer for every document and event; the write model's snapshot leaves out what it derives.
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, json => json.TypeInfoResolver =
                    JsonTypeInfoResolver.WithAddedModifier(json.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver(), EpisodeOfCareProjection.StoreOnlyState));
                // Enums in duplicated columns (an episode's status) as their names too, as in the documents.
                opts.Advanced.DuplicatedFieldEnumStorage = EnumStorage.AsString;
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.AppendMode = EventAppendMode.Quick;
                // Each organization is a tenant: every event and document carries its tenant id and every session
                // is opened for one organization, so no query, projection or handler can reach another's data.
                opts.Events.TenancyStyle = TenancyStyle.Conjoined;
                opts.Policies.AllDocumentsAreMultiTenanted();
                opts.ConfigurePrivacy();
                // Spans per session/connection and counters of appended events, for the "Marten" source and meter.
                opts.OpenTelemetry.TrackConnections = TrackLevel.Normal;
                opts.OpenTelemetry.TrackEventCounters();
                // The capabilities' documents and projections, inline ones in the order they run in a command's transaction.
                capabilities(opts);
                return opts;
            })
            .UseLightweightSessions();
        // Development brings the schema up to date when it starts; Production expects the migration step to have run.
        if (builder.Environment.IsDevelopment())
            marten.ApplyAllDatabaseChangesOnStartup();
        marten
            // Wolverine runs each async projection on exactly one node of the cluster and moves it when a node dies.
            .IntegrateWithWolverine(m =>
            {
                m.UseWolverineManagedEventSubscriptionDistribution = true;
                // The PostgreSQL queues of the background work (Hosting/BackgroundWork) live in the deployment's
                // schema beside its message storage (Durability.MessageStorageSchemaName below); Wolverine's default is
                // one schema shared by every deployment.
                m.TransportSchemaName = settings.Schema;
            });
    }

    /// <summary>Wolverine, for every command alike: transactions, durability, the cluster's clock, retries on a lost race; then the capabilities' own routes.</summary>
    private static void AddMessaging(this WebApplicationBuilder builder, PlatformSettings settings, Action<WolverineOptions> capabilities)
    {
        builder.Host.UseWolverine(opts =>
        {
            // Handlers and generated code live in this assembly, also when a test host starts it.
            opts.ApplicationAssembly = typeof(PlatformSetup).Assembly;
            opts.Policies.AutoApplyTransactions();
            // Scheduled checks and local work survive a crash: they live in PostgreSQL with the outbox.
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.AlwaysMakeScheduledMessagesDurable();
            opts.Durability.MessageStorageSchemaName = settings.Schema;
            // How often nodes check on each other and rebalance agents (FEEDBACK_NODE_CHECK_SECONDS).
            if (settings.NodeCheckPeriod is { } period)
            {
                opts.Durability.HealthCheckPollingTime = period;
                opts.Durability.CheckAssignmentPeriod = period;
                opts.Durability.NodeReassignmentPollingTime = period;
                opts.Durability.FirstHealthCheckExecution = period;
                opts.Durability.FirstNodeReassignmentExecution = period;
                opts.Durability.ScheduledJobPollingTime = period;
                opts.Durability.StaleNodeTimeout = period * 3;
            }
            // Two writers on one episode: the loser of the optimistic check retries on fresh state,
            // so concurrent ratings are never lost.
            // Each round of a race has one winner, so the ladder is long enough for a dozen writers at once.
            TimeSpan[] cooldowns = [.. new[] { 0, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500 }.Select(ms => TimeSpan.FromMilliseconds(ms))];
            opts.OnException<ConcurrencyException>().RetryWithCooldown(cooldowns);
            opts.OnException<EventStreamUnexpectedMaxEventIdException>().RetryWithCooldown(cooldowns);
            // A message naming what this deployment does not hold is kept, with its reason, in the dead letters.
            opts.OnException<UnplaceableMessage>().MoveToErrorQueue();
            capabilities(opts);
        });
        // What waited in the queues' old shared schema moves into this deployment's own.
        if (settings.RunsBackgroundWork)
            builder.Services.AddHostedService<SharedQueueMigration>();
    }

    public static WebApplication MapFeedbackPlatform(this WebApplication app)
    {
        app.UseBrowserProtections();
        app.MapPlatformHealth();
        if (!app.Services.GetRequiredService<PlatformSettings>().ServesApi)
            return app;
        app.UseClientLinkPage();
        app.UseDatabaseOutageAnswers();
        app.UseRequestLimits(app.Services.GetRequiredService<PlatformSettings>());
        // The web app's files and pages: public, before anyone is authenticated; its pages then call the API below.
        app.MapWebApp();
        app.UseAuthentication();
        app.UseSessionCsrfGuard();
        app.UseAuthorization();
        app.MapSignIn();
        app.MapSingleSignOn();
        app.MapFeedbackGraphQL();
        app.MapOutcomeExports();
        app.MapClientFeedback();
        // Every REST endpoint needs a caller; each then passes the same command gate as the mutations. A body that
        // does not bind is refused as GraphQL refuses it, with the code and the field.
        app.UseRestBodyRefusals();
        app.MapWolverineEndpoints(o => o.RequireAuthorizeOnAll());
        app.MapOpenApi();
        return app;
    }
}
