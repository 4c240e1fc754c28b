using FeedbackPlatform.Alerts;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Notifications;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Episodes;

/// <summary>
/// The one way a command touches an event stream (an episode, and also a site, therapist, alert, subscription or
/// feedback request): fetch its state for writing (optimistic concurrency on the stream version), let the clinical
/// core decide, append what it decided. Wolverine commits the session.
/// </summary>
public static class StreamDecisions
{
    /// <summary>
    /// Applies the core's <see cref="EpisodeDecision"/>: appends the episode's new facts, starts or extends each
    /// alert's own stream with the rules' decisions, schedules the checks whose clocks the facts started and publishes
    /// the alert news; all in the one transaction Wolverine commits.
    /// </summary>
    public static Task<CommandOutcome> Decide(IDocumentSession session, IMessageContext bus,
        Access.IEpisodeCommand command, Func<EpisodeOfCare?, IReadOnlyList<object>> decide, CancellationToken ct) =>
        Decide(session, bus, command, (episode, _) => decide(episode), ct);

    /// <summary>The same for decisions that need the organization's alert rules in force.</summary>
    public static async Task<CommandOutcome> Decide(IDocumentSession session, IMessageContext bus,
        Access.IEpisodeCommand command, Func<EpisodeOfCare?, AlertRuleSettings, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var episodeId = command.EpisodeId;
        if (episodeId == Guid.Empty)
            return CommandOutcome.Rejected(ClinicalRejection.Invalid("episodeId", "episodeId is required (a UUID)."));
        // One span per decision: what was decided, in kinds and counts (no ids, no scores).
        using var activity = Hosting.Telemetry.Source.StartActivity("episode.decide");
        // The episode (for writing) and the rules in force in one round trip to the database.
        var batch = session.CreateBatchQuery();
        var fetching = batch.Events.FetchForWriting<EpisodeOfCare>(episodeId);
        var loadingRules = batch.Load<OrganizationRules>(PlatformSettings.OrganizationIdOf(session.TenantId));
        await batch.Execute(ct);
        var stream = await fetching;
        var rules = (await loadingRules)?.Settings ?? AlertRuleSettings.Defaults;
        // The caller's scope on the state fetched for writing: no separate read of the episode in the gate.
        if (stream.Aggregate is { } existing && Access.EpisodeScopeCheck.Refusal(command.Caller, existing.SiteId, existing.TherapistId) is { } refusal)
            return CommandOutcome.Rejected(refusal);
        IReadOnlyList<object> events;
        try
        {
            events = decide(stream.Aggregate, rules);
        }
        catch (ClinicalRejection rejection)
        {
            // The core decides before anything is appended: a rejection leaves the session empty.
            activity?.SetTag("feedback.rejection", rejection.Code);
            return CommandOutcome.Rejected(rejection);
        }
        activity?.SetTag("feedback.events", events.Count);
        if (events.Count == 0)
            return CommandOutcome.Accepted;

        // The core's whole decision; the host only applies it, all in the one transaction Wolverine commits.
        var decision = EpisodeDecision.Of(events, rules);
        stream.AppendMany(decision.Events.ToArray());
        foreach (var alert in decision.AlertStreams)
        {
            if (!alert.StartsStream)
            {
                session.Events.Append(alert.AlertId, alert.Fact);
                continue;
            }
            var raised = (AlertRaised)alert.Fact;
            activity?.AddEvent(new System.Diagnostics.ActivityEvent("alert.raised", tags: new System.Diagnostics.ActivityTagsCollection
            {
                ["alert.kind"] = Hosting.Telemetry.Label(raised.Kind),
                ["alert.severity"] = Hosting.Telemetry.Label(raised.Severity),
            }));
            session.Events.StartStream<AlertCase>(alert.AlertId, raised);
        }
        foreach (var news in decision.News)
            await bus.PublishAsync(new AlertNotice(news.AlertId, news.Change, news.At));
        foreach (var followUp in decision.FollowUps)
            await bus.ScheduleAsync(FollowUps.MessageFor(followUp), followUp.DueAt);
        return CommandOutcome.Accepted;
    }

    /// <summary>The same for any stream whose state is an aggregate of the clinical core (sites, therapists, rules, alerts).</summary>
    public static async Task<CommandOutcome> Decide<TState>(IDocumentSession session, Guid streamId, Func<TState?, IReadOnlyList<object>> decide, CancellationToken ct)
        where TState : class
    {
        if (streamId == Guid.Empty)
        {
            var field = typeof(TState).Name switch
            {
                "Site" => "siteId",
                "Therapist" => "therapistId",
                "AlertCase" => "alertId",
                "NotificationSubscription" => "subscriptionId",
                "FeedbackRequest" => "requestId",
                _ => "id",
            };
            return CommandOutcome.Rejected(ClinicalRejection.Invalid(field, $"{field} is required (a UUID)."));
        }
        var stream = await session.Events.FetchForWriting<TState>(streamId, ct);
        try
        {
            var events = decide(stream.Aggregate);
            if (events.Count > 0)
                stream.AppendMany(events.ToArray());
            return CommandOutcome.Accepted;
        }
        catch (ClinicalRejection rejection)
        {
            return CommandOutcome.Rejected(rejection);
        }
    }

    /// <summary>The alert rules in force now in the session's organization; the spec's defaults until an admin changed them.</summary>
    public static async Task<AlertRuleSettings> RulesInForce(IQuerySession session, CancellationToken ct) =>
        (await session.LoadAsync<OrganizationRules>(PlatformSettings.OrganizationIdOf(session.TenantId), ct))?.Settings ?? AlertRuleSettings.Defaults;
}
