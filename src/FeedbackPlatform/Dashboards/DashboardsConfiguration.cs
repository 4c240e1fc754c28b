using FeedbackPlatform.Hosting;
using JasperFx.Events.Projections;
using Marten;
using Weasel.Postgresql.Tables;

namespace FeedbackPlatform.Dashboards;

/// <summary>What the dashboards register with the platform: the read models, inline and async, and the outcome figures.</summary>
public static class DashboardsConfiguration
{
    public static StoreOptions ConfigureDashboards(this StoreOptions opts, PlatformSettings settings)
    {
        // Read model for dashboards, updated in the same transaction as the fact.
        opts.Projections.Add<EpisodeAllianceHealthProjection>(ProjectionLifecycle.Inline);
        // A mutation answers with the episode its commit stored (no second read).
        opts.Listeners.Add(new CommittedEpisodes());
        // The history a dashboard draws, a row per session and per goal in the same transaction, read by episode
        // (a page of episodes in one query): the episode's own document stays small.
        opts.Projections.Add<EpisodeSessionProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<EpisodeGoalProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<EpisodeSession>().Duplicate(x => x.EpisodeId);
        opts.Schema.For<EpisodeGoal>().Duplicate(x => x.EpisodeId);
        // Site, therapist and arrival order are columns of their own (indexed, for the dashboards' lists), and so are
        // the statuses the site's episode list filters on (unindexed), so an update that changes no indexed column can
        // stay on its page (no index expression over `data`).
        opts.Schema.For<EpisodeAllianceHealth>().Duplicate(x => x.SiteId).Duplicate(x => x.TherapistId).Duplicate(x => x.RecordedAt);
        opts.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType != typeof(EpisodeAllianceHealth))
                return;
            foreach (var status in EpisodeAllianceHealth.FilteredStatuses)
                mapping.DuplicateField(status);
            // The open episodes of a site (the list's default filter), not the closed ones beside them. Only a
            // closing changes the predicate's column.
            mapping.Indexes.Add(new IndexDefinition("mt_doc_episodealliancehealth_idx_open_site_id") { Columns = ["site_id"], Predicate = "episode_status = 'Open'" });
        });

        // Therapist, site and organization summaries with weekly series, kept by the projection daemon. An
        // api process does not register it: it then offers no projection agent, so Wolverine's capability-
        // matched distribution places the daemon's work on workers only. The api still reads the documents.
        // The summaries read the episodes' inline read models, so a rebuild of everything (`projections rebuild`) must
        // rebuild those first: it rebuilds one projection at a time, in the order registered (these come after them).
        // In parallel, the summaries' rebuild read read models still being rebuilt and stored wrong figures.
        opts.Projections.MaxConcurrentRebuildsPerDatabase = 1;
        if (settings.RunsBackgroundWork)
            opts.Projections.Add(new AllianceSummaryProjection(), ProjectionLifecycle.Async, AllianceSummaryProjection.Name,
                asyncOptions =>
                {
                    // Each batch reads the shares of the episodes it touched and the summaries of their scopes: when
                    // the daemon is behind (a bulk import, a rebuild) it takes large batches, so each is read rarely.
                    asyncOptions.BatchSize = 5000;
                    asyncOptions.MaximumHopperSize = 20000;
                    asyncOptions.DeleteViewTypeOnTeardown<AllianceSummary>();
                    asyncOptions.DeleteViewTypeOnTeardown<WeeklyFigures>();
                    asyncOptions.DeleteViewTypeOnTeardown<SummaryShare>();
                });
        opts.Schema.For<AllianceSummary>();
        opts.Schema.For<SummaryShare>();

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
        return opts;
    }

    public static IServiceCollection AddDashboards(this IServiceCollection services)
    {
        services.AddSingleton<OutcomeQueries>();
        services.AddScoped<OutcomeReads>();
        return services;
    }
}
