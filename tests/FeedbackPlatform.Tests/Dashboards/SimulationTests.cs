using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Tests.Support;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace FeedbackPlatform.Tests.Dashboards;

public sealed class SimulationFixture : PlatformFixture;

public sealed class SimulationTests(SimulationFixture platform) : IClassFixture<SimulationFixture>
{
    // The timeline the simulation replays is kept by the projection daemon: a test waits for it to catch up.
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(30);

    private const string Query = """
        query($s: AlertRuleSettingsInput!, $site: ID) {
          simulateAlertRules(settings: $s, siteId: $site) { episodes totalCurrent totalProposed kinds { kind current proposed difference } } }
        """;

    [Fact]
    public async Task Simulating_other_thresholds_over_a_sites_history_shows_the_alerts_it_would_have_raised()
    {
        var clinic = await new Clinic(platform).Register();
        for (var i = 0; i < 2; i++)
        {
            var episode = await clinic.OpenEpisode();
            (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 0), 9, 9, 9, 8.5)).Read<EpisodeAnswer>("submitSessionRating"); // 35.5
        }
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);
        var result = await platform.GraphQL(Query, new { s = new { srsClinicalCutoff = 35.0 }, site = clinic.SiteId });
        var simulation = result.Read<AlertRuleSimulationAnswer>("simulateAlertRules")!;
        Assert.Equal(2, simulation.Episodes);
        var low = simulation.Kinds!.Single(k => k.Kind == "LOW_ALLIANCE");
        Assert.Equal((2, 0, -2), (low.Current, low.Proposed, low.Difference));
    }

    [Fact]
    public async Task A_what_if_asked_again_counts_the_facts_since_and_never_facts_the_timeline_lost()
    {
        var clinic = await new Clinic(platform).Register();
        async Task<(int Episodes, int Current)> Simulate()
        {
            var simulation = (await platform.GraphQL(Query, new { s = new { srsClinicalCutoff = 35.0 }, site = clinic.SiteId }))
                .Read<AlertRuleSimulationAnswer>("simulateAlertRules")!;
            return (simulation.Episodes!.Value, simulation.Kinds!.Single(k => k.Kind == "LOW_ALLIANCE").Current!.Value);
        }
        async Task LowSrsInANewEpisode()
        {
            var episode = await clinic.OpenEpisode();
            (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 0), 9, 9, 9, 8.5)).Read<EpisodeAnswer>("submitSessionRating"); // 35.5
            await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);
        }

        await LowSrsInANewEpisode();
        Assert.Equal((1, 1), await Simulate());
        Assert.Equal((1, 1), await Simulate()); // kept: nothing new
        await LowSrsInANewEpisode();
        Assert.Equal((2, 2), await Simulate()); // the kept timeline and the fact since

        // A rebuild empties the timeline before it fills it again: what was kept is not replayed meanwhile. The rows are
        // put back afterwards (the other tests replay the whole organization).
        var (table, parked) = ($"\"{platform.Schema}\".feedback_rule_facts", $"\"{platform.Schema}\".parked_{clinic.SiteId:N}");
        await Sql($"create table {parked} as select * from {table} where site_id = @site; delete from {table} where site_id = @site");
        Assert.Equal((0, 0), await Simulate());
        await Sql($"insert into {table} select * from {parked}; drop table {parked}");
        Assert.Equal((2, 2), await Simulate());

        async Task Sql(string sql)
        {
            await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("site", clinic.SiteId);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Meaningless_proposed_settings_are_refused_naming_the_setting()
    {
        var invalid = await platform.GraphQL(Query, new { s = new { orsReliableChange = 0 }, site = (Guid?)null });
        Assert.Equal(new GraphQLError("VALIDATION_FAILED", "orsReliableChange"), invalid.FirstError);
    }

    [Fact]
    public async Task The_timeline_replays_to_exactly_what_the_stored_events_replay()
    {
        var clinic = await new Clinic(platform).Register();
        var colleague = Guid.NewGuid();
        (await platform.GraphQL("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }",
            new { i = new { therapistId = colleague, siteId = clinic.SiteId, displayName = "Therapist B" } })).Read<TherapistAnswer>("registerTherapist");

        // A drop, its repair, a low SRS, an ORS intake, a deterioration and a recovery; a goal agreed only on revision;
        // a reassignment; a session left without its SRS.
        var first = await clinic.OpenEpisode();
        var goal = Guid.NewGuid();
        await Mutate("recordGoalAgreement", "RecordGoalAgreementInput", new { episodeId = first, goalId = goal, description = "Sleep through the night", agreedByClient = false, agreedByTherapist = true });
        var s1 = await clinic.RecordSession(first, 0);
        (await clinic.SubmitSrs(first, s1, 10, 10, 9.5, 9.5)).Read<EpisodeAnswer>("submitSessionRating");   // 39
        (await clinic.SubmitOrs(first, s1, 5, 5, 5, 5)).Read<EpisodeAnswer>("submitOutcomeRating");         // intake 20
        (await clinic.SubmitSrs(first, await clinic.RecordSession(first, 7), 9, 9, 9, 9)).Read<EpisodeAnswer>("submitSessionRating");  // 36: a drop
        var s3 = await clinic.RecordSession(first, 14);                                   // no agreed goal by session 3
        (await clinic.SubmitSrs(first, s3, 10, 10, 9.5, 9.5)).Read<EpisodeAnswer>("submitSessionRating");   // 39: repaired
        (await clinic.SubmitOrs(first, s3, 3.5, 3.5, 3.5, 3.5)).Read<EpisodeAnswer>("submitOutcomeRating"); // 14: deteriorated
        await Mutate("reassignTherapist", "ReassignTherapistInput", new { episodeId = first, therapistId = colleague });
        await Mutate("reviseGoal", "ReviseGoalInput", new { episodeId = first, goalId = goal, description = "Sleep six hours", agreedByClient = true, agreedByTherapist = true });
        var s4 = await clinic.RecordSession(first, 21);
        (await clinic.SubmitSrs(first, s4, 8, 8, 8, 9)).Read<EpisodeAnswer>("submitSessionRating");         // 33: low, and a drop
        (await clinic.SubmitOrs(first, s4, 7, 7, 6.5, 6.5)).Read<EpisodeAnswer>("submitOutcomeRating");     // 27: recovered
        await Mutate("markGoalAchieved", "MarkGoalAchievedInput", new { episodeId = first, goalId = goal });
        await clinic.RecordSession(first, 28);                                            // its SRS never comes

        // An adolescent's episode with a cancelled session, ORS not on track, closed as a dropout.
        var second = await clinic.OpenEpisode("ADOLESCENT");
        var t1 = await clinic.RecordSession(second, 0);
        (await clinic.SubmitSrs(second, t1, 7, 7, 7, 7)).Read<EpisodeAnswer>("submitSessionRating");        // 28: low
        (await clinic.SubmitOrs(second, t1, 5, 5, 5, 5)).Read<EpisodeAnswer>("submitOutcomeRating");
        await Mutate("cancelSession", "CancelSessionInput", new { episodeId = second, sessionId = await clinic.RecordSession(second, 7) });
        var t3 = await clinic.RecordSession(second, 14);
        (await clinic.SubmitOrs(second, t3, 5.5, 5, 5, 5)).Read<EpisodeAnswer>("submitOutcomeRating");
        var t4 = await clinic.RecordSession(second, 21);
        (await clinic.SubmitSrs(second, t4, 9, 9, 9, 9)).Read<EpisodeAnswer>("submitSessionRating");
        (await clinic.SubmitOrs(second, t4, 5.5, 5.5, 5, 5)).Read<EpisodeAnswer>("submitOutcomeRating");   // the third ORS, still not on track
        await Mutate("closeEpisode", "CloseEpisodeInput", new { episodeId = second, reason = "DROPOUT" });

        // A child's episode left open with no session since its opening, and another site's episode.
        await clinic.OpenEpisode("CHILD");
        var elsewhere = await new Clinic(platform).Register();
        var other = await elsewhere.OpenEpisode();
        (await elsewhere.SubmitSrs(other, await elsewhere.RecordSession(other, 0), 5, 5, 5, 5)).Read<EpisodeAnswer>("submitSessionRating");
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);

        // The stored events as the simulation used to read them, replayed by the core.
        await using var session = platform.QuerySession();
        var stored = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(typeof(EpisodeOpened), typeof(TherapistReassigned), typeof(SessionRecorded), typeof(SessionCancelled),
                typeof(SessionRatingSubmitted), typeof(OutcomeRatingSubmitted), typeof(GoalAgreementRecorded), typeof(GoalRevised),
                typeof(GoalAchieved), typeof(EpisodeClosed)))
            .OrderBy(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken);
        var siteEpisodes = stored.Select(e => e.Data).OfType<EpisodeOpened>().Where(o => o.SiteId == clinic.SiteId).Select(o => o.EpisodeId).ToHashSet();
        Assert.Equal(3, siteEpisodes.Count);

        // From a year ago to 60 days ahead: every clock of these facts (24 hours, 21 days) runs out within it.
        var (from, to) = (DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddDays(60));
        var proposals = new (object Input, AlertRuleSettings Settings)[]
        {
            (new { }, AlertRuleSettings.Defaults),
            (new { srsClinicalCutoff = 38.0, srsDropPoints = 3.0 }, AlertRuleSettings.Defaults with { SrsClinicalCutoff = 38.0m, SrsDropPoints = 3.0m }),
            (new { orsReliableChange = 2.0, notOnTrackFromOrs = 2, goalConsensusBySession = 1, orsCutoffAdolescent = 20.0 },
                AlertRuleSettings.Defaults with { OrsReliableChange = 2.0m, NotOnTrackFromOrs = 2, GoalConsensusBySession = 1, OrsCutoffAdolescent = 20.0m }),
            (new { missingFeedbackAfterHours = 12.0, disengagementAfterDays = 90.0, srsCutoffInclusive = true },
                AlertRuleSettings.Defaults with { MissingFeedbackAfter = TimeSpan.FromHours(12), DisengagementAfter = TimeSpan.FromDays(90), SrsCutoffInclusive = true }),
        };
        var raisedAnything = new HashSet<string>();
        foreach (var (scope, history) in new[]
                 {
                     ((Guid?)clinic.SiteId, stored.Where(e => siteEpisodes.Contains(e.StreamId)).Select(e => (e.Timestamp, e.Data)).ToList()),
                     (null, stored.Select(e => (e.Timestamp, e.Data)).ToList()),
                 })
        {
            var current = AlertSimulation.Run(history, AlertRuleSettings.Defaults, from, to);
            foreach (var (input, settings) in proposals)
            {
                var expected = AlertSimulation.Run(history, settings, from, to);
                var result = (await platform.GraphQL("""
                    query($s: AlertRuleSettingsInput!, $site: ID, $from: DateTime, $to: DateTime) {
                      simulateAlertRules(settings: $s, siteId: $site, from: $from, to: $to) { episodes facts kinds { kind current proposed } } }
                    """, new { s = input, site = scope, from, to })).Read<AlertRuleSimulationAnswer>("simulateAlertRules")!;
                Assert.Equal((expected.Episodes, expected.Facts), (result.Episodes!.Value, result.Facts!.Value));
                var kinds = result.Kinds!.ToDictionary(k => k.Kind!, k => (Current: k.Current!.Value, Proposed: k.Proposed!.Value));
                foreach (var kind in Enum.GetValues<AlertKind>())
                {
                    var (answeredCurrent, answeredProposed) = kinds.Single(k => k.Key.Replace("_", "").Equals(kind.ToString(), StringComparison.OrdinalIgnoreCase)).Value;
                    Assert.Equal((kind, current.Raised[kind], expected.Raised[kind]), (kind, answeredCurrent, answeredProposed));
                    if (answeredProposed > 0)
                        raisedAnything.Add($"{kind}");
                }
            }
        }
        // The history raises every kind under one setting or another: the comparison is not of zeros.
        Assert.Equal(Enum.GetValues<AlertKind>().Select(k => k.ToString()).Order(), raisedAnything.Order());
    }

    private async Task Mutate(string mutation, string inputType, object input) =>
        (await platform.GraphQL($"mutation($i: {inputType}!) {{ {mutation}(input: $i) {{ id }} }}", new { i = input })).Read<EpisodeAnswer>(mutation);
}
