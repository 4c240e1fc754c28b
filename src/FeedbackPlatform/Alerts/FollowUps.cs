using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Alerts;

/// <summary>Is the SRS of this session in? Scheduled for when MISSING_FEEDBACK would be due.</summary>
public sealed record CheckFeedbackDue(Guid EpisodeId, Guid SessionId) : ClinicCommand, Access.IEpisodeCommand;

/// <summary>Has this open episode still had a session? Scheduled for when DISENGAGEMENT_RISK would be due.</summary>
public sealed record CheckContactDue(Guid EpisodeId) : ClinicCommand, Access.IEpisodeCommand;

/// <summary>Has anyone acknowledged this alert? Scheduled for the end of the acknowledgement window.</summary>
public sealed record EscalateUnacknowledgedAlert(Guid AlertId) : ClinicCommand;

/// <summary>
/// The time-based rules, as durable Wolverine scheduled messages: scheduled in the same transaction as the
/// fact that starts their clock (the outbox), so a crash can neither lose nor double them. A check that
/// finds its condition gone decides nothing.
/// </summary>
public static class FollowUps
{
    /// <param name="settled">Alerts the same command raised and resolved: no escalation for them.</param>
    public static async Task ScheduleFor(IReadOnlyList<object> events, IReadOnlySet<Guid> settled, IMessageContext bus, AlertRuleSettings rules)
    {
        // Several facts of one command (an imported history) start the contact clock once, at the latest of
        // them; a session rated in the same command needs no check that its SRS arrived.
        var contact = new Dictionary<Guid, DateTimeOffset>();
        var rated = events.OfType<SessionRatingSubmitted>().Select(r => r.SessionId).ToHashSet();
        void ContactFrom(Guid episodeId, DateTimeOffset clockStart) =>
            contact[episodeId] = contact.TryGetValue(episodeId, out var later) && later > clockStart ? later : clockStart;
        foreach (var e in events)
        {
            switch (e)
            {
                case EpisodeOpened opened:
                    ContactFrom(opened.EpisodeId, opened.OpenedAt > opened.RecordedAt ? opened.OpenedAt : opened.RecordedAt);
                    break;
                case SessionRecorded session:
                    var clockStart = session.HeldAt > session.RecordedAt ? session.HeldAt : session.RecordedAt;
                    if (!rated.Contains(session.SessionId))
                        await bus.ScheduleAsync(new CheckFeedbackDue(session.EpisodeId, session.SessionId), clockStart + rules.MissingFeedbackAfter);
                    ContactFrom(session.EpisodeId, clockStart);
                    break;
                case AlertRaised raised when !settled.Contains(raised.AlertId):
                    await bus.ScheduleAsync(new EscalateUnacknowledgedAlert(raised.AlertId), raised.RaisedAt + rules.EscalateUnacknowledgedAfter);
                    break;
            }
        }
        foreach (var (episodeId, clockStart) in contact)
            await bus.ScheduleAsync(new CheckContactDue(episodeId), clockStart + rules.DisengagementAfter);
    }

    public static bool NeedsScheduling(IReadOnlyList<object> events) =>
        events.Any(e => e is EpisodeOpened or SessionRecorded or AlertRaised);
}

public static class CheckFeedbackDueHandler
{
    public static Task Handle(CheckFeedbackDue check, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, check, (episode, rules) =>
            episode is null ? throw UnplaceableMessage.Of(check, "episode", check.EpisodeId, session.TenantId) : EpisodeDecisions.CheckFeedbackDue(episode, check.SessionId, clock.GetUtcNow(), rules), ct);
}

public static class CheckContactDueHandler
{
    public static Task Handle(CheckContactDue check, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, check, (episode, rules) =>
            episode is null ? throw UnplaceableMessage.Of(check, "episode", check.EpisodeId, session.TenantId) : EpisodeDecisions.CheckContactDue(episode, clock.GetUtcNow(), rules), ct);
}

public static class EscalateUnacknowledgedAlertHandler
{
    public static async Task Handle(EscalateUnacknowledgedAlert check, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct)
    {
        var rules = await EpisodeStream.RulesInForce(session, ct);
        var now = clock.GetUtcNow();
        var escalated = false;
        await EpisodeStream.Decide<AlertCase>(session, check.AlertId, alert =>
        {
            var events = AlertDecisions.EscalateIfUnacknowledged(alert ?? throw UnplaceableMessage.Of(check, "alert", check.AlertId, session.TenantId), now, rules);
            escalated = events.Count > 0;
            return events;
        }, ct);
        if (escalated)
            await bus.PublishAsync(new Notifications.AlertNotice(check.AlertId, "escalated", now));
    }
}
