using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical.Episodes;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Episodes;

public sealed record CloseEpisode : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "closeEpisode";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public EpisodeClosure Reason { get; init; }
}

public static class CloseEpisodeHandler
{
    public static Task<CommandOutcome> Handle(CloseEpisode command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, command, episode => EpisodeDecisions.Close(episode, command.Reason, clock.GetUtcNow()), ct);
}
