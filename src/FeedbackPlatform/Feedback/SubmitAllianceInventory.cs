using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Episodes;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Feedback;

/// <summary>A WAI-SR for one session: 12 answers from 1 to 5, in the instrument's order.</summary>
public sealed record SubmitAllianceInventory : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "submitAllianceInventory";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid SessionId { get; init; }
    public int[]? Items { get; init; }
}

public static class SubmitAllianceInventoryHandler
{
    public static Task<CommandOutcome> Handle(SubmitAllianceInventory command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, command,
            episode => EpisodeDecisions.SubmitAllianceInventory(episode, command.SessionId, command.Items, clock.GetUtcNow()), ct);
}
