using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Hosting;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Postgresql;

namespace FeedbackPlatform.Alerts;

/// <summary>What the alerts capability registers with the platform: the inbox, the rules' replayable facts, the follow-up checks' route, the live feed.</summary>
public static class AlertsConfiguration
{
    public static StoreOptions ConfigureAlerts(this StoreOptions opts, PlatformSettings settings)
    {
        // The alert inbox: each alert's own stream, inline.
        opts.Projections.Add<AlertCaseProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<AlertCase>().Index(x => x.EpisodeId).Index(x => x.SiteId).Index(x => x.RaisedAt)
            // The summary projection reads the open alerts of the sites a batch touched, not the resolved ones beside them.
            .Index(x => x.SiteId, i => { i.Name = "mt_doc_alertcase_idx_open_site_id"; i.Predicate = "data ->> 'status' <> 'Resolved'"; });

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
        return opts;
    }

    /// <summary>The scheduled checks (missing feedback, contact, escalation) go where the background work runs (Hosting/BackgroundWork).</summary>
    public static WolverineOptions ConfigureAlerts(this WolverineOptions opts, PlatformSettings settings)
    {
        if (BackgroundWork.TravelsThroughQueues(settings))
        {
            opts.PublishMessage<CheckFeedbackDue>().ToPostgresqlQueue(BackgroundWork.FollowUpQueue);
            opts.PublishMessage<CheckContactDue>().ToPostgresqlQueue(BackgroundWork.FollowUpQueue);
            opts.PublishMessage<EscalateUnacknowledgedAlert>().ToPostgresqlQueue(BackgroundWork.FollowUpQueue);
        }
        if (settings.RunsBackgroundWork)
            opts.ListenToPostgresqlQueue(BackgroundWork.FollowUpQueue);
        return opts;
    }

    /// <summary>The live alert feed (alertRaised); only a process that serves the API listens for its notifications.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, PlatformSettings settings)
    {
        services.AddSingleton<AlertFeed>();
        services.AddSingleton<RuleFactCache>();
        if (settings.ServesApi)
            services.AddHostedService<AlertFeedListener>();
        return services;
    }
}
