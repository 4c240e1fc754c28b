using FeedbackPlatform.Alerts;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Episodes;

/// <summary>
/// The one way a command touches an event stream (an episode, and also a site, therapist, alert, subscription or
/// feedback request): fetch its state for writing (optimistic concurrency on the stream version), let the clinical
/// core decide, and return what it decided for Wolverine to apply in the transaction it commits.
/// </summary>
public static class StreamDecisions
{
    /// <summary>
    /// Fetches the episode for writing and lets the core decide. What the decision causes comes back as the
    /// handler's return values, for Wolverine to apply in the one transaction it commits: the episode's new facts,
    /// the alerts' own streams started or extended, the alert news and the follow-up checks at their due times.
    /// </summary>
    public static Task<(CommandOutcome Outcome, EpisodeFacts Facts, AlertStreamFacts Alerts, OutgoingMessages Messages)> Decide(IDocumentSession session,
        Access.IEpisodeCommand command, Func<EpisodeOfCare?, IReadOnlyList<object>> decide, CancellationToken ct) =>
        Decide(session, command, (episode, _) => decide(episode), ct);

    /// <summary>The same for decisions that need the organization's alert rules in force.</summary>
    public static async Task<(CommandOutcome Outcome, EpisodeFacts Facts, AlertStreamFacts Alerts, OutgoingMessages Messages)> Decide(IDocumentSession session,
        Access.IEpisodeCommand command, Func<EpisodeOfCare?, AlertRuleSettings, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var episodeId = command.EpisodeId;
        if (episodeId == Guid.Empty)
            return Refused(ClinicalRejection.Invalid("episodeId", "episodeId is required (a UUID)."));
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
            return Refused(refusal);
        IReadOnlyList<object> events;
        try
        {
            events = decide(stream.Aggregate, rules);
        }
        catch (ClinicalRejection rejection)
        {
            // The core decides before anything is appended: a rejection returns nothing to apply.
            activity?.SetTag("feedback.rejection", rejection.Code);
            return Refused(rejection);
        }
        activity?.SetTag("feedback.events", events.Count);
        var decision = EpisodeDecision.Of(events, rules);
        foreach (var alert in decision.AlertStreams)
            if (alert is { StartsStream: true, Fact: AlertRaised raised })
                activity?.AddEvent(new System.Diagnostics.ActivityEvent("alert.raised", tags: new System.Diagnostics.ActivityTagsCollection
                {
                    ["alert.kind"] = Hosting.Telemetry.Label(raised.Kind),
                    ["alert.severity"] = Hosting.Telemetry.Label(raised.Severity),
                }));
        return (CommandOutcome.Accepted, new EpisodeFacts(stream, decision.Events), new AlertStreamFacts(decision.AlertStreams), EpisodeMessages.Of(decision));
    }

    private static (CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages) Refused(ClinicalRejection rejection) =>
        Nothing(CommandOutcome.Rejected(rejection));

    /// <summary>An answer that causes nothing: a refusal, before anything was decided.</summary>
    public static (CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages) Nothing(CommandOutcome outcome) =>
        (outcome, EpisodeFacts.None, AlertStreamFacts.None, []);

    /// <summary>A follow-up check's changes: the platform's own message, nobody waits for an outcome.</summary>
    public static async Task<(EpisodeFacts, AlertStreamFacts, OutgoingMessages)> WithoutOutcome(
        this Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> deciding)
    {
        var (_, facts, alerts, messages) = await deciding;
        return (facts, alerts, messages);
    }

    /// <summary>
    /// The same for any stream whose state is an aggregate of the clinical core (sites, therapists, rules, alerts,
    /// people): its new facts come back for Wolverine to append in the command's transaction.
    /// </summary>
    public static async Task<(CommandOutcome Outcome, StreamFacts<TState> Facts)> Decide<TState>(IDocumentSession session, Guid streamId,
        Func<TState?, IReadOnlyList<object>> decide, CancellationToken ct)
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
            return (CommandOutcome.Rejected(ClinicalRejection.Invalid(field, $"{field} is required (a UUID).")), StreamFacts<TState>.None);
        }
        var stream = await session.Events.FetchForWriting<TState>(streamId, ct);
        try
        {
            return (CommandOutcome.Accepted, new StreamFacts<TState>(stream, decide(stream.Aggregate)));
        }
        catch (ClinicalRejection rejection)
        {
            return (CommandOutcome.Rejected(rejection), StreamFacts<TState>.None);
        }
    }

    /// <summary>The alert rules in force now in the session's organization; the spec's defaults until an admin changed them.</summary>
    public static async Task<AlertRuleSettings> RulesInForce(IQuerySession session, CancellationToken ct) =>
        (await session.LoadAsync<OrganizationRules>(PlatformSettings.OrganizationIdOf(session.TenantId), ct))?.Settings ?? AlertRuleSettings.Defaults;
}
