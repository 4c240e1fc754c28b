using FeedbackPlatform.Access;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.ClientFeedback;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Ingestion;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.People;
using FeedbackPlatform.Privacy;
using JasperFx;
using JasperFx.MultiTenancy;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.OpenTelemetry;
using Marten;
using Marten.Exceptions;
using Weasel.Core;
using Weasel.Postgresql.Tables;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace FeedbackPlatform.Hosting;

public static class PlatformSetup
{
    public static WebApplicationBuilder AddFeedbackPlatform(this WebApplicationBuilder builder, bool serving = true)
    {
        var settings = PlatformSettings.From(builder.Configuration);
        var services = builder.Services;
        // FEEDBACK_URLS is where the platform listens, unless --urls was given.
        if (builder.Configuration["FEEDBACK_URLS"] is { Length: > 0 } urls && string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        services.AddSingleton(settings);
        services.AddSingleton(OffsetClock.From(builder.Configuration, builder.Environment));
        var notifications = NotificationSettings.From(builder.Configuration);
        services.AddSingleton(notifications);
        services.AddSingleton<WebhookChannel>();
        services.AddSingleton<EmailChannel>();
        services.AddSingleton<AlertLinks>();
        services.AddHttpClient(WebhookChannel.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));

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
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, json =>
                    json.TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.WithAddedModifier(json.TypeInfoResolver ?? new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
                        Episodes.EpisodeOfCareProjection.StoreOnlyState));
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.AppendMode = EventAppendMode.Quick;
                // Each organization is a tenant: every event and document carries its tenant id and every session
                // is opened for one organization, so no query, projection or handler can reach another's data.
                opts.Events.TenancyStyle = TenancyStyle.Conjoined;
                opts.Policies.AllDocumentsAreMultiTenanted();
                // A client's erasure overwrites free text in the events themselves (Privacy/EraseClientData).
                opts.AddErasureRules();
                // Spans per session/connection and counters of appended events, for the "Marten" source and meter.
                opts.OpenTelemetry.TrackConnections = TrackLevel.Normal;
                opts.OpenTelemetry.TrackEventCounters();

                // Write models: the clinical core's immutable aggregates, kept as inline snapshots so a
                // command reads one document instead of replaying its stream.
                opts.Projections.Add<EpisodeOfCareProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<SiteProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<TherapistProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<OrganizationRulesProjection>(ProjectionLifecycle.Inline);

                // The alert inbox: each alert's own stream, inline.
                opts.Projections.Add<AlertCaseProjection>(ProjectionLifecycle.Inline);
                opts.Schema.For<AlertCase>().Index(x => x.EpisodeId).Index(x => x.SiteId).Index(x => x.RaisedAt)
                    // The summary projection reads the open alerts of the sites a batch touched, not the resolved ones beside them.
                    .Index(x => x.SiteId, i => { i.Name = "mt_doc_alertcase_idx_open_site_id"; i.Predicate = "data ->> 'status' <> 'Resolved'"; });

                // Who hears about alerts, and every notification sent or failing.
                opts.Projections.Add<NotificationSubscriptionProjection>(ProjectionLifecycle.Inline);
                opts.Schema.For<NotificationDelivery>().Index(x => x.Status);
                opts.Schema.For<DigestItem>().Index(x => x.SubscriptionId);

                // Read model for dashboards, updated in the same transaction as the fact.
                opts.Projections.Add<EpisodeAllianceHealthProjection>(ProjectionLifecycle.Inline);
                // The history a dashboard draws, a row per session and per goal in the same transaction, read by episode
                // (a page of episodes in one query): the episode's own document stays small.
                opts.Projections.Add<EpisodeSessionProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<EpisodeGoalProjection>(ProjectionLifecycle.Inline);
                opts.Schema.For<EpisodeSession>().Duplicate(x => x.EpisodeId);
                opts.Schema.For<EpisodeGoal>().Duplicate(x => x.EpisodeId);
                // Site, therapist and arrival order are columns of their own (indexed, for the dashboards' lists); the
                // figures the summaries add up are unindexed columns, so the summary projection's reads of a site's or a
                // therapist's episodes read narrow columns instead of each episode's whole-history document, and an update
                // that changes no indexed column can stay on its page (no index expression over `data`).
                opts.Schema.For<EpisodeAllianceHealth>().Duplicate(x => x.SiteId).Duplicate(x => x.TherapistId).Duplicate(x => x.RecordedAt);
                opts.Policies.ForAllDocuments(mapping =>
                {
                    if (mapping.DocumentType != typeof(EpisodeAllianceHealth))
                        return;
                    foreach (var figure in EpisodeAllianceHealth.SummedFigures)
                        mapping.DuplicateField(figure);
                    // The summary projection reads the open episodes of the sites a batch touched, not the closed ones beside
                    // them (a therapist's it reads whole, by therapist_id: their closed episodes' open alerts count too).
                    // Only a closing changes the predicate's column.
                    mapping.Indexes.Add(new IndexDefinition("mt_doc_episodealliancehealth_idx_open_site_id") { Columns = ["site_id"], Predicate = "episode_status = 'Open'" });
                });
                opts.Advanced.DuplicatedFieldEnumStorage = EnumStorage.AsString;

                // Therapist, site and organization summaries with weekly series, kept by the projection daemon. An
                // api process does not register it: it then offers no projection agent, so Wolverine's capability-
                // matched distribution places the daemon's work on workers only. The api still reads the documents.
                if (settings.RunsBackgroundWork)
                    opts.Projections.Add(new AllianceSummaryProjection(), ProjectionLifecycle.Async, AllianceSummaryProjection.Name,
                        asyncOptions =>
                        {
                            // Each batch ends in a read of the sites and therapists it touched: when the daemon is
                            // behind (a bulk import, a rebuild) it takes large batches, so each scope is read rarely.
                            asyncOptions.BatchSize = 5000;
                            asyncOptions.MaximumHopperSize = 20000;
                            asyncOptions.DeleteViewTypeOnTeardown<AllianceSummary>();
                            asyncOptions.DeleteViewTypeOnTeardown<WeeklyFigures>();
                        });
                opts.Schema.For<AllianceSummary>();

                // Outcome and engagement figures: a row per episode and per session (Dashboards/OutcomeTables), kept by
                // the daemon like the summaries; every process reads them.
                opts.AddOutcomeTables();
                if (settings.RunsBackgroundWork)
                    opts.Projections.Add(new EpisodeOutcomeProjection(settings.Schema), ProjectionLifecycle.Async, EpisodeOutcomeProjection.Name,
                        asyncOptions =>
                        {
                            asyncOptions.BatchSize = 5000;
                            asyncOptions.MaximumHopperSize = 20000;
                            foreach (var table in OutcomeTables.All)
                                asyncOptions.DeleteDataInTableOnTeardown(OutcomeTables.QualifiedName(settings.Schema, table));
                        });
                opts.Schema.For<WeeklyFigures>().Index(x => x.ScopeId);

                // The compact timeline of the facts the alert rules read, replayed by simulateAlertRules (Alerts/RuleFacts).
                opts.AddRuleFactsTable();
                if (settings.RunsBackgroundWork)
                    opts.Projections.Add(new RuleFactsProjection(settings.Schema), ProjectionLifecycle.Async, RuleFactsProjection.Name,
                        asyncOptions =>
                        {
                            asyncOptions.BatchSize = 5000;
                            asyncOptions.MaximumHopperSize = 20000;
                            asyncOptions.DeleteDataInTableOnTeardown(RuleFacts.QualifiedName(settings.Schema));
                        });

                // Who read which episode: appended on every read, queried by admins (Access/AccessLogTable).
                opts.AddAccessLog();

                // The people of each organization (events, inline read model), their credentials, sessions, keys and security log.
                opts.AddPeople();

                // Client feedback: requests (a stream each, inline read model looked up by the link's hash) and the organization's settings.
                opts.AddClientFeedback();
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

        builder.Host.UseWolverine(opts =>
        {
            // Handlers and generated code live in this assembly, also when a test host starts it.
            opts.ApplicationAssembly = typeof(PlatformSetup).Assembly;
            opts.Policies.AutoApplyTransactions();
            // Scheduled checks and local work survive a crash: they live in PostgreSQL with the outbox.
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.AlwaysMakeScheduledMessagesDurable();
            opts.Durability.MessageStorageSchemaName = settings.Schema;
            // FEEDBACK_NODE_CHECK_SECONDS: how often nodes check on each other and rebalance agents (projections,
            // scheduled work); a dead node's work moves within about three of these. Wolverine's defaults otherwise.
            if (double.TryParse(builder.Configuration["FEEDBACK_NODE_CHECK_SECONDS"], System.Globalization.CultureInfo.InvariantCulture, out var check) && check > 0)
            {
                var period = TimeSpan.FromSeconds(check);
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
            // A receiver that is down gets the delivery again after each wait; after the last, it is dead-lettered.
            // A message naming what this deployment does not hold is kept, with its reason, in the dead letters.
            opts.OnException<UnplaceableMessage>().MoveToErrorQueue();
            opts.OnException<NotificationDeliveryFailed>().ScheduleRetry(notifications.RetryDelays).Then.MoveToErrorQueue();

            BackgroundWork.Route(opts, settings);
        });
        // What waited in the queues' old shared schema moves into this deployment's own.
        if (settings.RunsBackgroundWork)
            services.AddHostedService<SharedQueueMigration>();

        // REST ingestion: Wolverine HTTP endpoints, enums spelled as in GraphQL (ADULT, PLANNED), OpenAPI at /openapi/v1.json.
        services.AddWolverineHttp();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
            o.SerializerOptions.Converters.Add(new Ingestion.InstantJsonConverter());
            // Numbers as GraphQL reads them: never from a string, never an under- or overflowed literal.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new Ingestion.NumberJsonConverter());
        });
        services.AddOpenApi();
        services.AddSingleton<AlertFeed>();
        if (settings.ServesApi)
            services.AddHostedService<AlertFeedListener>();
        services.AddFeedbackGraphQL();
        // A worker serves no API, so it needs no token key.
        if (settings.ServesApi)
            services.AddPlatformAuthentication(builder.Configuration, builder.Environment, serving);
        services.AddScoped<RequestCaller>();
        services.AddHttpContextAccessor();
        services.AddSingleton(People.SignInSettings.From(builder.Configuration));
        services.AddSingleton<People.Passwords>();
        services.AddSingleton<People.SignInRateLimiter>();
        services.AddScoped<AccessLog>();
        services.AddSingleton<AccessLogWriter>();
        services.AddSingleton<OutcomeQueries>();
        services.AddScoped<CommandGate>();
        services.AddSingleton<MutationRateLimiter>();
        services.AddSingleton<CommandSlots>();
        services.AddSingleton<ClientLinkRateLimiter>();
        // The client's page path holds its link's token: no log line may carry it.
        services.AddClientLinkRedaction();
        services.AddPlatformHealth();
        builder.AddPlatformTelemetry();
        return builder;
    }

    public static WebApplication MapFeedbackPlatform(this WebApplication app)
    {
        app.UseBrowserProtections();
        app.MapPlatformHealth();
        if (!app.Services.GetRequiredService<PlatformSettings>().ServesApi)
            return app;
        app.UseClientLinkPage();
        app.UseDatabaseOutageAnswers();
        app.UseRequestLimits(app.Configuration);
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
