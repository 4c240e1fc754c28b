using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical.Episodes;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Episodes;

public sealed record CancelSession : ClinicCommand
{
    public Guid EpisodeId { get; init; }
    public Guid SessionId { get; init; }
}

public static class CancelSessionHandler
{
    public static Task<CommandOutcome> Handle(CancelSession command, IDocumentSession session, IMessageContext bus, PlatformSettings platform, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, platform, command.EpisodeId, episode => EpisodeDecisions.CancelSession(episode, command.SessionId, clock.GetUtcNow()), ct);
}
