using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
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
    public static Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(CloseEpisode command, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, command, episode => EpisodeDecisions.Close(episode, command.Reason, clock.GetUtcNow()), ct);
}

public sealed class CloseEpisodeInput : InputObjectGraphType<CloseEpisode>
{
    public CloseEpisodeInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<EpisodeClosureGraphType>>("reason");
    }
}

public sealed class CloseEpisodeMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<CloseEpisode, CloseEpisodeInput, NonNullGraphType<EpisodeGraphType>>(CloseEpisode.OperationName,
            "Closes the episode; no further facts are taken.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}
