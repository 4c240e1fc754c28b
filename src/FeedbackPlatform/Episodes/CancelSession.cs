using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical.Episodes;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Episodes;

public sealed record CancelSession : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "cancelSession";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid SessionId { get; init; }
}

public static class CancelSessionHandler
{
    public static Task<CommandOutcome> Handle(CancelSession command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, command, episode => EpisodeDecisions.CancelSession(episode, command.SessionId, clock.GetUtcNow()), ct);
}
