using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>An imported history is decided exactly as the same facts sent one by one: same facts, same alerts.</summary>
public class EpisodeHistoryImportTests
{
    private static readonly DateTimeOffset Now = EpisodeScenario.Start;
    private static readonly AlertRuleSettings Rules = AlertRuleSettings.Defaults;

    private static EpisodeOpened Opening(Guid episodeId) =>
        new(episodeId, EpisodeScenario.SiteId, EpisodeScenario.TherapistId, "client-7", Population.Adult, Now.AddDays(-90), Now);

    // Ten weekly sessions, the ORS improving; the SRS falls below the clinical cutoff at the fourth and fifth.
    private static List<SessionHistory> Sessions(int count = 10) => Enumerable.Range(1, count).Select(i => new SessionHistory(
        Guid.NewGuid(), Now.AddDays(-90 + 7 * i),
        EpisodeScenario.SrsOf(i is 4 or 5 ? 30m : 38m),
        EpisodeScenario.OrsOf(Math.Min(38m, 20m + 3 * i)))).ToList();

    private static readonly GoalHistory[] Goals = [new(Guid.NewGuid(), "Sleep through the night", true, true)];

    [Fact]
    public void An_import_decides_the_same_facts_and_alerts_as_the_commands_one_by_one()
    {
        var episodeId = Guid.NewGuid();
        var sessions = Sessions();
        var imported = EpisodeDecisions.ImportHistory(null, Opening(episodeId), Goals, sessions, EpisodeClosure.Planned, Now, Rules);

        var oneByOne = new List<object>();
        EpisodeOfCare? state = null;
        void Take(IReadOnlyList<object> events)
        {
            foreach (var e in events)
            {
                oneByOne.Add(e);
                state = state is null ? EpisodeOfCare.From((EpisodeOpened)e) : state.When(e);
            }
        }
        Take(EpisodeDecisions.Open(null, Opening(episodeId), Now));
        Take(EpisodeDecisions.RecordGoalAgreement(state, Goals[0].GoalId, Goals[0].Description, true, true, Now));
        foreach (var s in sessions)
        {
            Take(EpisodeDecisions.RecordSession(state, s.SessionId, s.HeldAt, Now, Rules));
            Take(EpisodeDecisions.SubmitSessionRating(state, s.SessionId, s.SessionRating!, Now, Rules));
            Take(EpisodeDecisions.SubmitOutcomeRating(state, s.SessionId, s.OutcomeRating!, Now, Rules));
        }
        Take(EpisodeDecisions.Close(state, EpisodeClosure.Planned, Now));

        // Facts hold lists (flagged items), so they are compared as what would be stored: type and JSON.
        static string Stored(object e) => e.GetType().Name + System.Text.Json.JsonSerializer.Serialize(e, e.GetType());
        Assert.Equal(oneByOne.Select(Stored), imported.Select(Stored));
        // 1 opening + 1 goal + 10 x (session, SRS, ORS) + the low-alliance alert raised and resolved + closing.
        // The SRS falls to 30 at the fourth session (low alliance and a drop), stays there at the fifth, recovers at the sixth.
        Assert.Equal("raised LowAlliance 4, raised AllianceDrop 4, again LowAlliance 5, resolved LowAlliance, resolved AllianceDrop",
            string.Join(", ", imported.Select(e => e switch
            {
                AlertRaised r => $"raised {r.Kind} {r.SessionNumber}",
                AlertOccurrenceAdded o => $"again {o.Kind} {o.SessionNumber}",
                AlertResolved r => $"resolved {r.Kind}",
                _ => null,
            }).OfType<string>()));
        Assert.Equal(Enumerable.Range(1, 10), imported.OfType<SessionRecorded>().Select(s => s.SessionNumber));
    }

    [Fact]
    public void The_same_import_again_decides_nothing_open_or_closed()
    {
        var episodeId = Guid.NewGuid();
        var sessions = Sessions(4);
        foreach (var closedAs in new EpisodeClosure?[] { null, EpisodeClosure.Dropout })
        {
            var first = EpisodeDecisions.ImportHistory(null, Opening(episodeId), Goals, sessions, closedAs, Now, Rules);
            var state = first.Skip(1).Aggregate(EpisodeOfCare.From((EpisodeOpened)first[0]), (s, e) => s.When(e));
            Assert.Empty(EpisodeDecisions.ImportHistory(state, Opening(episodeId), Goals, sessions, closedAs, Now.AddMinutes(5), Rules));
        }
    }

    [Fact]
    public void A_history_that_extends_an_episode_decides_only_what_is_new_and_a_closed_one_takes_nothing_new()
    {
        var episodeId = Guid.NewGuid();
        var sessions = Sessions(6);
        var first = EpisodeDecisions.ImportHistory(null, Opening(episodeId), Goals, sessions[..4], null, Now, Rules);
        var state = first.Skip(1).Aggregate(EpisodeOfCare.From((EpisodeOpened)first[0]), (s, e) => s.When(e));

        var more = EpisodeDecisions.ImportHistory(state, Opening(episodeId), Goals, sessions, EpisodeClosure.Planned, Now, Rules);
        Assert.Equal([5, 6], more.OfType<SessionRecorded>().Select(s => s.SessionNumber));
        Assert.Single(more.OfType<EpisodeClosed>());

        var closed = more.Aggregate(state, (s, e) => s.When(e));
        var rejection = Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.ImportHistory(closed, Opening(episodeId), Goals, Sessions(7), EpisodeClosure.Planned, Now, Rules));
        Assert.Equal((ErrorCodes.Conflict, "episodeId"), (rejection.Code, rejection.Field));
    }

    [Fact]
    public void A_rejection_names_the_item_of_the_history_it_is_about()
    {
        var episodeId = Guid.NewGuid();
        var sessions = Sessions(5);

        var early = sessions.ToList();
        early[2] = early[2] with { HeldAt = Now.AddDays(-120) };
        var rejection = Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.ImportHistory(null, Opening(episodeId), Goals, early, null, Now, Rules));
        Assert.Equal((ErrorCodes.ValidationFailed, "sessions[2].heldAt"), (rejection.Code, rejection.Field));

        var beforeOpening = sessions.Select(s => s with { HeldAt = s.HeldAt.AddDays(-200) }).ToList();
        rejection = Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.ImportHistory(null, Opening(episodeId), Goals, beforeOpening, null, Now, Rules));
        Assert.Equal("sessions[0].heldAt", rejection.Field);

        var future = sessions.ToList();
        future[4] = future[4] with { HeldAt = Now.AddDays(2) };
        rejection = Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.ImportHistory(null, Opening(episodeId), Goals, future, null, Now, Rules));
        Assert.Equal("sessions[4].heldAt", rejection.Field);

        var twice = sessions.ToList();
        twice[3] = twice[3] with { SessionId = twice[1].SessionId };
        rejection = Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.ImportHistory(null, Opening(episodeId), Goals, twice, null, Now, Rules));
        Assert.Equal((ErrorCodes.Conflict, "sessions[3].sessionId"), (rejection.Code, rejection.Field));

        rejection = Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.ImportHistory(null, Opening(episodeId), [new GoalHistory(Guid.NewGuid(), "  ", true, true)], sessions, null, Now, Rules));
        Assert.Equal("goals[0].description", rejection.Field);

        rejection = Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.ImportHistory(null, Opening(episodeId) with { ClientId = "Jane Doe" }, Goals, sessions, null, Now, Rules));
        Assert.Equal("clientId", rejection.Field);

        rejection = Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.ImportHistory(null, Opening(episodeId), Goals, Sessions(EpisodeDecisions.MaxImportedSessions + 1), null, Now, Rules));
        Assert.Equal("sessions", rejection.Field);
        rejection = Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.ImportHistory(null, Opening(episodeId),
            Enumerable.Range(0, EpisodeDecisions.MaxImportedGoals + 1).Select(_ => Goals[0] with { GoalId = Guid.NewGuid() }).ToList(), sessions, null, Now, Rules));
        Assert.Equal("goals", rejection.Field);
    }

    [Fact]
    public void An_item_read_as_part_of_a_history_is_named_with_its_path()
    {
        var rejection = Assert.Throws<ClinicalRejection>(() =>
            ClinicalRejection.NamingPath("sessions[1].sessionRating", () => Scoring.SessionRating.Read(9, 9, 10.5, 9)));
        Assert.Equal((ErrorCodes.ValidationFailed, "sessions[1].sessionRating.approachOrMethod"), (rejection.Code, rejection.Field));
    }
}
