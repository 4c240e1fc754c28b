using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Hosting;
using Marten;

namespace FeedbackPlatform.Episodes;

/// <summary>
/// The one way a command touches an episode: fetch its state for writing (optimistic concurrency on the
/// stream version), let the clinical core decide, append what it decided. Wolverine commits the session.
/// </summary>
public static class EpisodeStream
{
    public static Task<CommandOutcome> Decide(IDocumentSession session, Guid episodeId, Func<EpisodeOfCare?, IReadOnlyList<object>> decide, CancellationToken ct) =>
        Decide<EpisodeOfCare>(session, episodeId, decide, ct);

    /// <summary>The same for any stream whose state is an aggregate of the clinical core (sites, therapists, rules).</summary>
    public static async Task<CommandOutcome> Decide<TState>(IDocumentSession session, Guid streamId, Func<TState?, IReadOnlyList<object>> decide, CancellationToken ct)
        where TState : class
    {
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
            // The core decides before anything is appended: a rejection leaves the session empty.
            return CommandOutcome.Rejected(rejection);
        }
    }

    /// <summary>The organization's alert rules in force now; the spec's defaults until an admin changed them.</summary>
    public static async Task<AlertRuleSettings> RulesInForce(IQuerySession session, PlatformSettings platform, CancellationToken ct) =>
        (await session.LoadAsync<OrganizationRules>(platform.OrganizationId, ct))?.Settings ?? AlertRuleSettings.Defaults;
}
