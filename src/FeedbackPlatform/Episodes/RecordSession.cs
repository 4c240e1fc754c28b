using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Episodes;

/// <summary>SessionId is the caller's, so a retried call records the session once.</summary>
public sealed record RecordSession : ClinicCommand, Access.IEpisodeCommand
{
    public Guid EpisodeId { get; init; }
    public Guid SessionId { get; init; }
    public DateTimeOffset HeldAt { get; init; }
}

public static class RecordSessionHandler
{
    public static async Task<CommandOutcome> Handle(RecordSession command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct)
    {
        var rules = await EpisodeStream.RulesInForce(session, ct);
        return await EpisodeStream.Decide(session, bus, command.EpisodeId,
            episode => EpisodeDecisions.RecordSession(episode, command.SessionId, command.HeldAt, clock.GetUtcNow(), rules), ct, rules);
    }
}
