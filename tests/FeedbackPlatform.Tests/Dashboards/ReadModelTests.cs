using FeedbackPlatform.Alerts;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Tests.Support;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedbackPlatform.Tests.Dashboards;

public sealed class ReadModelFixture : PlatformFixture;

public sealed class ReadModelTests(ReadModelFixture platform) : IClassFixture<ReadModelFixture>
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(30);

    /// <summary>A site with three episodes: one at risk (a drop), one healthy, one closed.</summary>
    private async Task<Clinic> ClinicWithHistory()
    {
        var clinic = await new Clinic(platform).Register();
        var atRisk = await clinic.OpenEpisode();
        (await clinic.SubmitSrs(atRisk, await clinic.RecordSession(atRisk, 0), 10, 10, 10, 9)).Read<EpisodeAnswer>("submitSessionRating");  // 39
        (await clinic.SubmitSrs(atRisk, await clinic.RecordSession(atRisk, 7), 9, 9, 9, 9)).Read<EpisodeAnswer>("submitSessionRating");    // 36: a drop
        (await clinic.SubmitOrs(atRisk, await clinic.RecordSession(atRisk, 14), 5, 5, 5, 5)).Read<EpisodeAnswer>("submitOutcomeRating");   // intake 20

        var healthy = await clinic.OpenEpisode();
        (await clinic.SubmitSrs(healthy, await clinic.RecordSession(healthy, 0), 10, 10, 10, 10)).Read<EpisodeAnswer>("submitSessionRating"); // 40
        (await clinic.SubmitOrs(healthy, await clinic.RecordSession(healthy, 1), 6, 6, 6, 6)).Read<EpisodeAnswer>("submitOutcomeRating");   // 24

        var closed = await clinic.OpenEpisode();
        (await clinic.SubmitSrs(closed, await clinic.RecordSession(closed, 0), 5, 5, 5, 5)).Read<EpisodeAnswer>("submitSessionRating");
        (await platform.GraphQL("mutation($i: CloseEpisodeInput!) { closeEpisode(input: $i) { id } }", new { i = new { episodeId = closed, reason = "DROPOUT" } })).Read<EpisodeAnswer>("closeEpisode");
        return clinic;
    }

    [Fact]
    public async Task The_daemon_keeps_site_and_therapist_summaries_with_weekly_series()
    {
        var clinic = await ClinicWithHistory();
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);

        var response = await platform.GraphQL("""
            query($site: ID!, $therapist: ID!) {
              site(id: $site) {
                summary { activeEpisodes episodesAtRisk shareAtRisk meanLatestSrs meanLatestOrs feedbackCompletion openAlerts openAlertsByKind { kind open } }
                weeklySeries(weeks: 52) { weekStart meanSrs srsCount meanOrs orsCount alertsRaised alertsResolved }
                therapists { id }
              }
              therapist(id: $therapist) { summary { activeEpisodes } }
              organization { summary { activeEpisodes } sites { id } }
            }
            """, new { site = clinic.SiteId, therapist = clinic.TherapistId });

        var site = response.Read<SiteAnswer>("site")!;
        var summary = site.Summary!;
        Assert.Equal(2, summary.ActiveEpisodes);           // the closed one no longer counts
        Assert.Equal(1, summary.EpisodesAtRisk);
        Assert.Equal(0.5, summary.ShareAtRisk);
        Assert.Equal(38.0, summary.MeanLatestSrs);       // (36 + 40) / 2
        Assert.Equal(22.0, summary.MeanLatestOrs);       // (20 + 24) / 2
        Assert.Equal(0.6, summary.FeedbackCompletion);   // 3 SRS over 5 sessions held
        var openByKind = summary.OpenAlertsByKind!.ToDictionary(k => k.Kind!, k => k.Open!.Value);
        Assert.Equal(1, openByKind["ALLIANCE_DROP"]);
        Assert.Equal(1, openByKind["NO_GOAL_CONSENSUS"]);

        var weeks = site.WeeklySeries!;
        Assert.Equal(4, weeks.Sum(w => w.SrsCount!.Value));       // every SRS, the closed episode's too
        Assert.Equal(2, weeks.Sum(w => w.OrsCount!.Value));
        Assert.True(weeks.Sum(w => w.AlertsRaised!.Value) >= 3);   // drop, low alliance of the closed episode, no goal consensus
        Assert.Equal(2, response.Read<TherapistAnswer>("therapist")!.Summary!.ActiveEpisodes);
        Assert.Contains(response.Read<OrganizationAnswer>("organization")!.Sites!, s => s.Id == clinic.SiteId.ToString());
    }

    [Fact]
    public async Task Rebuilding_every_read_model_from_the_events_gives_what_live_processing_gave()
    {
        var clinic = await ClinicWithHistory();
        // The history rows' own cases: goals recorded and revised, a cancelled session.
        var withGoals = await clinic.OpenEpisode();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var goal in new[] { first, second })
            (await platform.GraphQL("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }",
                new { i = new { episodeId = withGoals, goalId = goal, description = "Sleep through the night", agreedByClient = true, agreedByTherapist = false } })).Read<EpisodeAnswer>("recordGoalAgreement");
        (await platform.GraphQL("mutation($i: ReviseGoalInput!) { reviseGoal(input: $i) { id } }",
            new { i = new { episodeId = withGoals, goalId = first, description = "Sleep six hours", agreedByClient = true, agreedByTherapist = true } })).Read<EpisodeAnswer>("reviseGoal");
        var cancelled = await clinic.RecordSession(withGoals, 3);
        (await platform.GraphQL("mutation($i: CancelSessionInput!) { cancelSession(input: $i) { id } }",
            new { i = new { episodeId = withGoals, sessionId = cancelled } })).Read<EpisodeAnswer>("cancelSession");
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);
        var live = await Snapshot();
        Assert.True(live["mt_doc_episodesession"].Count >= 7 && live["mt_doc_episodegoal"].Count >= 2);
        Assert.True(live["mt_doc_alliancesummary"].Count > 0 && live["mt_doc_weeklyfigures"].Count > 0 && live["mt_doc_alertcase"].Count > 0);
        // This history's three episodes and six sessions at least (the class's other test may have added its own).
        Assert.True(live[OutcomeTables.Episodes].Count >= 3 && live[OutcomeTables.Sessions].Count >= 6);
        Assert.True(live[RuleFacts.Table].Count >= 14);
        Assert.True(live[OutcomeTables.SiteDays].Count > 0 && live[OutcomeTables.TherapistDays].Count > 0 && live[OutcomeTables.CountedUnder].Count > 0);
        Assert.True(live[OutcomeTables.SiteMonths].Count > 0 && live[OutcomeTables.TherapistMonths].Count > 0);

        // Wipe the read models so that nothing of the live run can survive into the comparison.
        await using (var connection = new NpgsqlConnection(PlatformFixture.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            foreach (var table in live.Keys)
                await new NpgsqlCommand($"delete from \"{platform.Schema}\".{table}", connection).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            // A stale row no event explains: the outcome projection's teardown must take it away.
            await new NpgsqlCommand($"insert into \"{platform.Schema}\".{OutcomeTables.Episodes} (tenant_id, episode_id, site_id, therapist_id, population, ors_count, sessions_held, srs_count) " +
                                    $"values ('{platform.Organization}', gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'Adult', 0, 0, 0)", connection).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // One at a time, in the order they are registered, as `projections rebuild` does (PlatformSetup caps it at one):
        // the summaries read the episodes' rebuilt read models.
        Assert.Equal(1, ((JasperFx.Events.IEventStore)platform.Store).MaxConcurrentRebuildsPerDatabase);
        using var daemon = await platform.Store.BuildProjectionDaemonAsync();
        foreach (var projection in ((DocumentStore)platform.Store).Options.Projections.All)
            await daemon.RebuildProjectionAsync(projection.Name, CatchUp, TestContext.Current.CancellationToken);

        var rebuilt = await Snapshot();
        foreach (var (table, rows) in live)
            Assert.Equal(rows, rebuilt[table]);
    }

    /// <summary>Every row of every read model, as the JSON PostgreSQL holds, by table.</summary>
    private async Task<Dictionary<string, List<string>>> Snapshot()
    {
        var documents = new[] { "mt_doc_episodeofcare", "mt_doc_episodealliancehealth", "mt_doc_episodesession", "mt_doc_episodegoal", "mt_doc_alertcase", "mt_doc_alliancesummary", "mt_doc_weeklyfigures", "mt_doc_summaryshare" };
        // The outcome tables are rows of real columns: the whole row, in key order.
        var tables = documents.Select(t => (t, $"select id::text || ' ' || data::text from \"{platform.Schema}\".{t} order by id"))
            .Append((OutcomeTables.Episodes, $"select r::text from \"{platform.Schema}\".{OutcomeTables.Episodes} r order by tenant_id, episode_id"))
            .Append((OutcomeTables.Sessions, $"select r::text from \"{platform.Schema}\".{OutcomeTables.Sessions} r order by tenant_id, session_id"))
            .Append((OutcomeTables.SiteDays, $"select r::text from \"{platform.Schema}\".{OutcomeTables.SiteDays} r order by tenant_id, site_id, day"))
            .Append((OutcomeTables.TherapistDays, $"select r::text from \"{platform.Schema}\".{OutcomeTables.TherapistDays} r order by tenant_id, site_id, therapist_id, day"))
            .Append((OutcomeTables.SiteMonths, $"select r::text from \"{platform.Schema}\".{OutcomeTables.SiteMonths} r order by tenant_id, site_id, month"))
            .Append((OutcomeTables.TherapistMonths, $"select r::text from \"{platform.Schema}\".{OutcomeTables.TherapistMonths} r order by tenant_id, site_id, therapist_id, month"))
            .Append((OutcomeTables.CountedUnder, $"select r::text from \"{platform.Schema}\".{OutcomeTables.CountedUnder} r order by tenant_id"))
            .Append((RuleFacts.Table, $"select r::text from \"{platform.Schema}\".{RuleFacts.Table} r order by tenant_id, seq_id"));
        var result = new Dictionary<string, List<string>>();
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var (table, select) in tables)
        {
            var rows = new List<string>();
            await using var command = new NpgsqlCommand(select, connection);
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
                rows.Add(reader.GetString(0));
            result[table] = rows;
        }
        return result;
    }
}
