using System.Text.Json;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>The write model holds what decisions read: fixed-size entries, no free text, the same retry rules.</summary>
public class WriteModelTests
{
    private static readonly DateTimeOffset Now = EpisodeScenario.Start;
    private static readonly AlertRuleSettings Rules = AlertRuleSettings.Defaults;

    private static EpisodeOfCare Episode(string goal, decimal srsTotal, int sessions)
    {
        var episodeId = new Guid("e0e0e0e0-0000-4000-8000-000000000001");
        var state = EpisodeOfCare.From(new EpisodeOpened(episodeId, EpisodeScenario.SiteId, EpisodeScenario.TherapistId, "client-7", Population.Adult, Now.AddDays(-200), Now));
        EpisodeOfCare Take(IReadOnlyList<object> events) => events.Aggregate(state, (s, e) => s.When(e));
        state = Take(EpisodeDecisions.RecordGoalAgreement(state, new Guid("90a10000-0000-4000-8000-000000000001"), goal, true, true, Now));
        for (var i = 1; i <= sessions; i++)
        {
            var sessionId = new Guid($"5e550000-0000-4000-8000-{i:D12}");
            state = Take(EpisodeDecisions.RecordSession(state, sessionId, Now.AddDays(-200 + 7 * i), Now, Rules));
            state = Take(EpisodeDecisions.SubmitSessionRating(state, sessionId, EpisodeScenario.SrsOf(srsTotal), Now, Rules));
            state = Take(EpisodeDecisions.SubmitOutcomeRating(state, sessionId, EpisodeScenario.OrsOf(25m), Now, Rules));
        }
        return state;
    }

    [Fact]
    public void The_write_model_keeps_no_free_text_and_its_size_does_not_depend_on_the_content()
    {
        var shortGoal = Episode("Sleep", 38m, 10);
        var longGoal = Episode("Sleep through the night " + new string('x', 1900), 39m, 10);

        var json = JsonSerializer.Serialize(longGoal);
        Assert.DoesNotContain("Sleep", json);
        Assert.Equal(JsonSerializer.Serialize(shortGoal).Length, json.Length);
        // A session with its SRS and ORS adds one fixed-size entry (ids, times, two packed ratings); with the ratings
        // themselves as objects it was over 500 characters.
        var perSession = (JsonSerializer.Serialize(Episode("Sleep", 38m, 20)).Length - JsonSerializer.Serialize(shortGoal).Length) / 10.0;
        Assert.True(perSession < 400, $"{perSession} characters per session");
    }

    [Fact]
    public void The_same_rating_sent_again_decides_nothing_and_a_different_one_is_a_conflict()
    {
        var state = Episode("Sleep", 38m, 1);
        var sessionId = new Guid("5e550000-0000-4000-8000-000000000001");
        var same = EpisodeScenario.SrsOf(38m);
        // 9.5 and 9.50 are the same item value.
        var scaled = new SessionRating(same.Relationship * 1.00m, same.GoalsAndTopics, same.ApproachOrMethod, same.Overall);
        Assert.Empty(EpisodeDecisions.SubmitSessionRating(state, sessionId, scaled, Now, Rules));
        var other = same with { Overall = same.Overall - 0.1m };
        Assert.Equal("CONFLICT", Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.SubmitSessionRating(state, sessionId, other, Now, Rules)).Code);
        Assert.Equal("CONFLICT", Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.SubmitOutcomeRating(state, sessionId, EpisodeScenario.OrsOf(26m), Now, Rules)).Code);
        Assert.Empty(EpisodeDecisions.SubmitOutcomeRating(state, sessionId, EpisodeScenario.OrsOf(25m), Now, Rules));
    }

    [Fact]
    public void A_goal_sent_again_with_the_same_text_decides_nothing_and_with_other_text_is_a_conflict()
    {
        var state = Episode("Sleep through the night", 38m, 0);
        var goalId = new Guid("90a10000-0000-4000-8000-000000000001");
        Assert.Empty(EpisodeDecisions.RecordGoalAgreement(state, goalId, "  Sleep through the night ", true, true, Now));
        Assert.Equal("CONFLICT", Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.RecordGoalAgreement(state, goalId, "Sleep through the day", true, true, Now)).Code);
        Assert.Empty(EpisodeDecisions.ReviseGoal(state, goalId, "Sleep through the night", true, true, Now));
        Assert.Single(EpisodeDecisions.ReviseGoal(state, goalId, "Sleep through the night, most nights", true, true, Now).OfType<GoalRevised>());
    }

    [Fact]
    public void Fingerprints_tell_every_item_apart()
    {
        var rating = new SessionRating(9.5m, 8m, 7.3m, 10m);
        Assert.Equal(Fingerprint.Of(rating), Fingerprint.Of(new SessionRating(9.50m, 8.0m, 7.30m, 10.0m)));
        Assert.NotEqual(Fingerprint.Of(rating), Fingerprint.Of(rating with { Relationship = 8m, GoalsAndTopics = 9.5m }));
        Assert.NotEqual(Fingerprint.Of(rating), Fingerprint.Of(rating with { Overall = 9.9m }));
        Assert.NotEqual(Fingerprint.Of(new SessionRating(0m, 0m, 0m, 10m)), Fingerprint.Of(new SessionRating(0m, 0m, 0m, 0m)));
        Assert.NotEqual(Fingerprint.OfGoal("Sleep through the night"), Fingerprint.OfGoal("Sleep through the night."));
        Assert.NotEqual(Fingerprint.Of([1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2]), Fingerprint.Of([1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 2, 1]));
    }
}
