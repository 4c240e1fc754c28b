using FeedbackPlatform.Clinical.Alerts;

namespace FeedbackPlatform.Clinical.Episodes;

/// <summary>A time-based rule's check, due when its clock runs out.</summary>
public enum FollowUpKind
{
    /// <summary>Has this session's SRS arrived? (MISSING_FEEDBACK)</summary>
    FeedbackDue,
    /// <summary>Has this open episode had a session since? (DISENGAGEMENT_RISK)</summary>
    ContactDue,
    /// <summary>Has anyone acknowledged this alert? (escalation)</summary>
    AcknowledgementDue,
}

public sealed record FollowUp(FollowUpKind Kind, Guid EpisodeId, Guid? SessionId, Guid? AlertId, DateTimeOffset DueAt);

/// <summary>An alert fact that is news for the people subscribed to it: "raised" or "resolved".</summary>
public sealed record AlertNews(Guid AlertId, string Change, DateTimeOffset At);

/// <summary>One of the rules' decisions, recorded in the alert's own stream too; the first one starts it.</summary>
public sealed record AlertStreamFact(Guid AlertId, object Fact, bool StartsStream);

/// <summary>
/// Everything one command on an episode causes, decided by the core and applied by the host in one transaction:
/// the episode's facts, the same alert decisions for the alerts' own streams, the checks whose clocks the facts
/// started (with their due times) and the alert news to send. The simulation of other thresholds schedules its checks
/// from the same value, so when a clock starts is written once.
/// </summary>
public sealed record EpisodeDecision(
    IReadOnlyList<object> Events, IReadOnlyList<AlertStreamFact> AlertStreams, IReadOnlyList<FollowUp> FollowUps, IReadOnlyList<AlertNews> News)
{
    public static readonly EpisodeDecision Nothing = new([], [], [], []);

    /// <summary>The whole decision of the facts one decision returned (in order), under the rules in force.</summary>
    public static EpisodeDecision Of(IReadOnlyList<object> events, AlertRuleSettings rules)
    {
        if (events.Count == 0)
            return Nothing;
        // Most ratings cause nothing but their fact (the simulation folds tens of thousands of them per call).
        if (!StartsOrSettles(events))
            return new EpisodeDecision(events, [], [], []);
        // An alert one command both raised and resolved (a past drop in an imported history) is history, not news:
        // recorded in full, nobody notified, no escalation clock.
        var settled = AlertDecisions.RaisedAndResolved(events);
        var alertStreams = new List<AlertStreamFact>();
        var news = new List<AlertNews>();
        var followUps = new List<FollowUp>();
        // Several facts of one command (an imported history) start the contact clock once, at the latest of them;
        // a session rated in the same command needs no check that its SRS arrived.
        // (A command's facts are of one episode or a few: a list, in the order the episodes came.)
        var contact = new List<(Guid EpisodeId, DateTimeOffset ClockStart)>(1);
        void ContactFrom(Guid episodeId, DateTimeOffset clockStart)
        {
            for (var i = 0; i < contact.Count; i++)
            {
                if (contact[i].EpisodeId != episodeId)
                    continue;
                if (clockStart > contact[i].ClockStart)
                    contact[i] = (episodeId, clockStart);
                return;
            }
            contact.Add((episodeId, clockStart));
        }
        bool Rated(Guid sessionId)
        {
            for (var i = 0; i < events.Count; i++)
                if (events[i] is SessionRatingSubmitted r && r.SessionId == sessionId)
                    return true;
            return false;
        }

        foreach (var e in events)
        {
            switch (e)
            {
                case EpisodeOpened opened:
                    ContactFrom(opened.EpisodeId, opened.OpenedAt > opened.RecordedAt ? opened.OpenedAt : opened.RecordedAt);
                    break;
                case SessionRecorded session:
                    var clockStart = session.HeldAt > session.RecordedAt ? session.HeldAt : session.RecordedAt;
                    if (!Rated(session.SessionId))
                        followUps.Add(new FollowUp(FollowUpKind.FeedbackDue, session.EpisodeId, session.SessionId, null, clockStart + rules.MissingFeedbackAfter));
                    ContactFrom(session.EpisodeId, clockStart);
                    break;
                case AlertRaised raised:
                    alertStreams.Add(new AlertStreamFact(raised.AlertId, raised, StartsStream: true));
                    if (!settled.Contains(raised.AlertId))
                    {
                        news.Add(new AlertNews(raised.AlertId, "raised", raised.RaisedAt));
                        followUps.Add(new FollowUp(FollowUpKind.AcknowledgementDue, raised.EpisodeId, null, raised.AlertId, raised.RaisedAt + rules.EscalateUnacknowledgedAfter));
                    }
                    break;
                case AlertOccurrenceAdded occurred:
                    alertStreams.Add(new AlertStreamFact(occurred.AlertId, occurred, StartsStream: false));
                    break;
                case AlertResolved resolved:
                    alertStreams.Add(new AlertStreamFact(resolved.AlertId, resolved, StartsStream: false));
                    if (!settled.Contains(resolved.AlertId))
                        news.Add(new AlertNews(resolved.AlertId, "resolved", resolved.ResolvedAt));
                    break;
            }
        }
        foreach (var (episodeId, clockStart) in contact)
            followUps.Add(new FollowUp(FollowUpKind.ContactDue, episodeId, null, null, clockStart + rules.DisengagementAfter));
        return new EpisodeDecision(events, alertStreams, followUps, news);
    }

    private static bool StartsOrSettles(IReadOnlyList<object> events)
    {
        for (var i = 0; i < events.Count; i++)
            if (events[i] is EpisodeOpened or SessionRecorded or AlertRaised or AlertOccurrenceAdded or AlertResolved)
                return true;
        return false;
    }
}
