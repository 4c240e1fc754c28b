using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.Alerts;

/// <summary>How many alerts of each kind a history would have raised under some settings.</summary>
public sealed record SimulationResult(IReadOnlyDictionary<AlertKind, int> Raised, int Episodes, int Facts)
{
    public int Total => Raised.Values.Sum();
}

/// <summary>
/// Replays an organization's clinical facts under other thresholds, so a clinic can see the alert load
/// before it switches. A discrete-event simulation: facts in time order, and the time-based checks (missing
/// feedback, contact) run at the moment they fall due. Alerts recorded in the history are ignored and
/// decided afresh; nobody resolves an alert by hand in a simulation.
/// </summary>
public static class AlertSimulation
{
    // A value, not an object: a site's year queues tens of thousands of checks, and a queue of values is one array the
    // garbage collector need not trace.
    private readonly record struct Check(DateTimeOffset Due, Guid EpisodeId, Guid? SessionId);

    public static SimulationResult Run(IEnumerable<(DateTimeOffset At, object Fact)> history, AlertRuleSettings settings, DateTimeOffset from, DateTimeOffset to)
    {
        var raised = Enum.GetValues<AlertKind>().ToDictionary(k => k, _ => 0);
        var (episodes, facts) = Replay(history, settings, to, r =>
        {
            if (r.RaisedAt >= from && r.RaisedAt <= to)
                raised[r.Kind]++;
        });
        return new SimulationResult(raised, episodes, facts);
    }

    /// <summary>Every alert the rules imply for a history up to a moment, with the ids the platform gives them.</summary>
    public static IReadOnlyList<AlertRaised> AlertsImplied(IEnumerable<(DateTimeOffset At, object Fact)> history, AlertRuleSettings settings, DateTimeOffset to)
    {
        var raised = new List<AlertRaised>();
        Replay(history, settings, to, raised.Add);
        return raised;
    }

    private static (int Episodes, int Facts) Replay(IEnumerable<(DateTimeOffset At, object Fact)> history, AlertRuleSettings settings, DateTimeOffset to, Action<AlertRaised> onRaised)
    {
        var episodes = new Dictionary<Guid, EpisodeOfCare>();
        var checks = new PriorityQueue<Check, DateTimeOffset>();
        var facts = 0;

        // The checks a decision's facts start, as the platform schedules them (escalations raise nothing: left out).
        void Schedule(IReadOnlyList<object> events)
        {
            foreach (var followUp in EpisodeDecision.Of(events, settings).FollowUps)
            {
                if (followUp.Kind != FollowUpKind.AcknowledgementDue)
                    checks.Enqueue(new Check(followUp.DueAt, followUp.EpisodeId, followUp.SessionId), followUp.DueAt);
            }
        }

        void ApplyDecision(Guid episodeId, IReadOnlyList<object> events)
        {
            foreach (var e in events)
            {
                episodes[episodeId] = episodes[episodeId].When(e);
                if (e is AlertRaised r)
                    onRaised(r);
            }
            Schedule(events);
        }

        void RunChecksUntil(DateTimeOffset now)
        {
            while (checks.TryPeek(out var check, out var due) && due <= now)
            {
                checks.Dequeue();
                if (!episodes.TryGetValue(check.EpisodeId, out var state))
                    continue;
                ApplyDecision(check.EpisodeId, check.SessionId is { } session
                    ? EpisodeDecisions.CheckFeedbackDue(state, session, due, settings)
                    : EpisodeDecisions.CheckContactDue(state, due, settings));
            }
        }

        foreach (var (at, fact) in history)
        {
            if (at > to)
                break;
            RunChecksUntil(at);
            facts++;
            switch (fact)
            {
                case EpisodeOpened opened:
                    episodes[opened.EpisodeId] = EpisodeOfCare.From(opened);
                    Schedule([opened]);
                    break;
                case SessionRecorded s when episodes.TryGetValue(s.EpisodeId, out var before):
                    var session = new CareSession(s.SessionId, s.SessionNumber, s.HeldAt, s.RecordedAt);
                    ApplyDecision(s.EpisodeId, EpisodeDecisions.FactAndAlertEvents(before, s, AlertRules.OnSessionRecorded(before, session, settings), at));
                    break;
                case SessionRatingSubmitted srs when episodes.TryGetValue(srs.EpisodeId, out var before) && before.Session(srs.SessionId) is { } rated:
                    ApplyDecision(srs.EpisodeId, EpisodeDecisions.FactAndAlertEvents(before, srs, AlertRules.OnSessionRating(before, rated, srs.Rating, settings), at));
                    break;
                case OutcomeRatingSubmitted ors when episodes.TryGetValue(ors.EpisodeId, out var before) && before.Session(ors.SessionId) is { } measured:
                    ApplyDecision(ors.EpisodeId, EpisodeDecisions.FactAndAlertEvents(before, ors, AlertRules.OnOutcomeRating(before, measured, ors.Rating, settings), at));
                    break;
                case GoalAgreementRecorded or GoalRevised when episodes.TryGetValue(((IEpisodeFact)fact).EpisodeId, out var before):
                    var after = before.When(fact);
                    episodes[after.Id] = after;
                    ApplyDecision(after.Id, EpisodeDecisions.FactAndAlertEvents(after, null, AlertRules.OnGoalsChanged(after), at));
                    break;
                case AlertRaised or AlertOccurrenceAdded or AlertResolved or AlertAcknowledged or AlertEscalated:
                    break; // decided afresh, not replayed
                default:
                    if (fact is IEpisodeFact { EpisodeId: var id } && episodes.TryGetValue(id, out var state))
                        episodes[id] = state.When(fact);
                    break;
            }
        }
        RunChecksUntil(to);
        return (episodes.Count, facts);
    }
}
