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
    public static Task<CommandOutcome> Handle(RecordSession command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, command.EpisodeId,
            (episode, rules) => EpisodeDecisions.RecordSession(episode, command.SessionId, command.HeldAt, clock.GetUtcNow(), rules), ct);
}
