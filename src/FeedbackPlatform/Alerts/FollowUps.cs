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
/// fact that starts their clock (the outbox), so a crash can neither lose nor double them. When a clock starts and
/// when it runs out is the core's decision (<see cref="EpisodeDecision.FollowUps"/>). A check that finds its
/// condition gone decides nothing.
/// </summary>
public static class FollowUps
{
    public static ClinicCommand MessageFor(FollowUp followUp) => followUp.Kind switch
    {
        FollowUpKind.FeedbackDue => new CheckFeedbackDue(followUp.EpisodeId, followUp.SessionId!.Value),
        FollowUpKind.ContactDue => new CheckContactDue(followUp.EpisodeId),
        FollowUpKind.AcknowledgementDue => new EscalateUnacknowledgedAlert(followUp.AlertId!.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(followUp), followUp.Kind, "Unknown follow-up"),
    };
}

public static class CheckFeedbackDueHandler
{
    public static Task<(EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(CheckFeedbackDue check, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, check, (episode, rules) =>
            episode is null ? throw UnplaceableMessage.Of(check, "episode", check.EpisodeId, session.TenantId) : EpisodeDecisions.CheckFeedbackDue(episode, check.SessionId, clock.GetUtcNow(), rules), ct).WithoutOutcome();
}

public static class CheckContactDueHandler
{
    public static Task<(EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(CheckContactDue check, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, check, (episode, rules) =>
            episode is null ? throw UnplaceableMessage.Of(check, "episode", check.EpisodeId, session.TenantId) : EpisodeDecisions.CheckContactDue(episode, clock.GetUtcNow(), rules), ct).WithoutOutcome();
}

public static class EscalateUnacknowledgedAlertHandler
{
    public static async Task<(StreamFacts<AlertCase>, OutgoingMessages)> Handle(EscalateUnacknowledgedAlert check, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var rules = await StreamDecisions.RulesInForce(session, ct);
        var now = clock.GetUtcNow();
        var (_, facts) = await StreamDecisions.Decide<AlertCase>(session, check.AlertId, alert =>
            AlertDecisions.EscalateIfUnacknowledged(alert ?? throw UnplaceableMessage.Of(check, "alert", check.AlertId, session.TenantId), now, rules), ct);
        return (facts, facts.Changed ? [new Notifications.AlertNotice(check.AlertId, "escalated", now)] : []);
    }
}
