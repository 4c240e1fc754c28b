using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Tests.Support;
using Marten;

namespace FeedbackPlatform.Tests.Feedback;

public sealed class ClinicalFlowFixture : PlatformFixture;

/// <summary>The clinical rules working through the real command handlers, event store and read model.</summary>
public sealed class ClinicalFlowTests(ClinicalFlowFixture platform) : IClassFixture<ClinicalFlowFixture>
{
    [Fact]
    public async Task A_drop_and_its_repair_open_and_close_alerts_in_the_read_model()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();

        (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 0), 10, 10, 9.5, 9.5)).Read<EpisodeAnswer>("submitSessionRating"); // 39.0
        var dropped = (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 7), 9, 9, 9, 8.5)).Read<EpisodeAnswer>("submitSessionRating")!; // 35.5
        Assert.Equal(["ALLIANCE_DROP", "LOW_ALLIANCE"], dropped.Alerts!.Select(a => a.Kind).Order());
        Assert.All(dropped.Alerts!, a => Assert.Equal(2, a.SessionNumber));
        Assert.Equal("AT_RISK", dropped.AllianceHealth!.Status);

        var repaired = (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 14), 10, 10, 9.5, 9.5)).Read<EpisodeAnswer>("submitSessionRating")!; // 39.0
        var after = repaired.Alerts!.ToDictionary(a => a.Kind!);
        Assert.Equal("REPAIRED", after["ALLIANCE_DROP"].Resolution);
        Assert.Equal("RECOVERED", after["LOW_ALLIANCE"].Resolution);
        Assert.All([after["ALLIANCE_DROP"], after["LOW_ALLIANCE"]], a => Assert.Equal("RESOLVED", a.Status));
        // The third session also raised NO_GOAL_CONSENSUS (no agreed goal yet): one open low-severity alert.
        Assert.Equal("OPEN", after["NO_GOAL_CONSENSUS"].Status);
        Assert.Equal("WATCH", repaired.AllianceHealth!.Status);
    }

    [Fact]
    public async Task Outcome_ratings_give_intake_change_and_deterioration()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        (await clinic.SubmitOrs(episode, await clinic.RecordSession(episode, 0), 5, 5, 5, 5)).Read<EpisodeAnswer>("submitOutcomeRating"); // intake 20
        var worse = (await clinic.SubmitOrs(episode, await clinic.RecordSession(episode, 7), 4, 4, 4, 3)).Read<EpisodeAnswer>("submitOutcomeRating")!; // 15
        Assert.Equal(20.0, worse.AllianceHealth!.IntakeOrsTotal);
        Assert.Equal("RELIABLE_DETERIORATION", worse.AllianceHealth.OrsChange);
        Assert.Contains(worse.Alerts!, a => a.Kind == "OUTCOME_DETERIORATION");

        var better = (await clinic.SubmitOrs(episode, await clinic.RecordSession(episode, 14), 7, 6, 6, 6)).Read<EpisodeAnswer>("submitOutcomeRating")!; // 25: recovered
        Assert.Equal("RECOVERED", better.AllianceHealth!.OrsChange);
    }

    [Fact]
    public async Task The_alliance_inventory_is_scored_and_a_short_one_is_refused()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var session = await clinic.RecordSession(episode);
        const string mutation = "mutation($i: SubmitAllianceInventoryInput!) { submitAllianceInventory(input: $i) { allianceHealth { latestAllianceInventory { task goal bond total mean } } } }";

        var scored = await platform.GraphQL(mutation, new { i = new { episodeId = episode, sessionId = session, items = new[] { 4, 4, 5, 3, 4, 4, 5, 4, 3, 4, 5, 4 } } });
        var wai = scored.Read<EpisodeAnswer>("submitAllianceInventory")!.AllianceHealth!.LatestAllianceInventory!;
        Assert.Equal((16, 16, 17, 49, 4.08), (wai.Task, wai.Goal, wai.Bond, wai.Total, wai.Mean));

        var before = await platform.EventCount();
        var shortOne = await platform.GraphQL(mutation, new { i = new { episodeId = episode, sessionId = await clinic.RecordSession(episode, 7), items = new[] { 4, 4, 5 } } });
        Assert.Equal(new GraphQLError("VALIDATION_FAILED", "items"), shortOne.FirstError);
        Assert.Equal(before + 1, await platform.EventCount()); // only the session recorded for it
    }

    [Fact]
    public async Task The_same_rating_again_succeeds_once_and_a_different_one_is_a_conflict()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var session = await clinic.RecordSession(episode);
        (await clinic.SubmitSrs(episode, session, 9, 9, 9, 9)).Read<EpisodeAnswer>("submitSessionRating");
        var before = await platform.EventCount();

        var retry = await clinic.SubmitSrs(episode, session, 9, 9, 9, 9);
        Assert.False(retry.HasErrors);
        var different = await clinic.SubmitSrs(episode, session, 9, 9, 9, 8);
        Assert.Equal(new GraphQLError("CONFLICT", "sessionId"), different.FirstError);
        Assert.Equal(before, await platform.EventCount());
    }

    [Fact]
    public async Task A_closed_episode_takes_no_new_facts()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var session = await clinic.RecordSession(episode);
        (await platform.GraphQL("mutation($i: CloseEpisodeInput!) { closeEpisode(input: $i) { status closedAs } }",
            new { i = new { episodeId = episode, reason = "PLANNED" } })).Read<EpisodeAnswer>("closeEpisode");

        var late = await clinic.SubmitSrs(episode, session, 9, 9, 9, 9);
        Assert.Equal(new GraphQLError("CONFLICT", "episodeId"), late.FirstError);
    }

    [Fact]
    public async Task Goals_resolve_no_goal_consensus_at_the_third_session()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        await clinic.RecordSession(episode, 0);
        await clinic.RecordSession(episode, 7);
        await clinic.RecordSession(episode, 14);
        var read = await platform.GraphQL("query($id: ID!) { episode(id: $id) { alerts { kind status } } }", new { id = episode });
        Assert.Equal("NO_GOAL_CONSENSUS", read.Read<EpisodeAnswer>("episode")!.Alerts![0].Kind);

        var agreed = await platform.GraphQL(
            "mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { goals { agreed } alerts { kind status resolution } allianceHealth { hasAgreedGoal } } }",
            new { i = new { episodeId = episode, goalId = Guid.NewGuid(), description = "Manage panic at work", agreedByClient = true, agreedByTherapist = true } });
        var withGoal = agreed.Read<EpisodeAnswer>("recordGoalAgreement")!;
        Assert.True(withGoal.AllianceHealth!.HasAgreedGoal);
        Assert.Equal("RECOVERED", withGoal.Alerts![0].Resolution);
    }

    [Fact]
    public async Task Changed_alert_rules_apply_from_the_next_fact_and_bad_ones_are_refused()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var bad = await platform.GraphQL("mutation { updateAlertRules(input: { orsReliableChange: 0 }) { orsReliableChange } }");
        Assert.Equal(new GraphQLError("VALIDATION_FAILED", "orsReliableChange"), bad.FirstError);

        var changed = await platform.GraphQL("mutation { updateAlertRules(input: { srsClinicalCutoff: 34 }) { srsClinicalCutoff orsReliableChange } }");
        Assert.Equal(34.0, changed.Read<AlertRuleSettingsAnswer>("updateAlertRules")!.SrsClinicalCutoff);
        try
        {
            var rated = await clinic.SubmitSrs(episode, await clinic.RecordSession(episode), 9, 9, 8.5, 8.5); // 35: fine under 34
            Assert.Empty(rated.Read<EpisodeAnswer>("submitSessionRating")!.Alerts!);
        }
        finally
        {
            (await platform.GraphQL("mutation { updateAlertRules(input: {}) { srsClinicalCutoff } }")).Read<AlertRuleSettingsAnswer>("updateAlertRules");
        }
    }

    [Fact]
    public async Task Concurrent_ratings_for_one_episode_are_never_lost()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var sessions = new List<Guid>();
        for (var day = 0; day < 8; day++)
            sessions.Add(await clinic.RecordSession(episode, day));

        // Eight clients rate eight sessions of the same episode at once: every writer but one meets a stale
        // stream version and must retry on fresh state.
        var responses = await Task.WhenAll(sessions.Select(s => clinic.SubmitSrs(episode, s, 9, 9, 9, 9)));
        Assert.All(responses, r => Assert.False(r.HasErrors, r.Body.ToJsonString()));

        await using var session = platform.QuerySession();
        var stored = (await session.Events.FetchStreamAsync(episode, token: TestContext.Current.CancellationToken))
            .Select(e => e.Data).OfType<SessionRatingSubmitted>().ToList();
        Assert.Equal(8, stored.Count);
        Assert.Equal(sessions.Order(), stored.Select(s => s.SessionId).Order());
        var view = await session.LoadAsync<FeedbackPlatform.Dashboards.EpisodeAllianceHealth>(episode, TestContext.Current.CancellationToken);
        Assert.Equal(8, view!.SessionsWithSrs);
    }
}
