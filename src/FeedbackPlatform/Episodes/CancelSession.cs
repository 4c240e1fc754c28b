using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
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
    public static Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(CancelSession command, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, command, episode => EpisodeDecisions.CancelSession(episode, command.SessionId, clock.GetUtcNow()), ct);
}

public sealed class CancelSessionInput : InputObjectGraphType<CancelSession>
{
    public CancelSessionInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("sessionId");
    }
}

public sealed class CancelSessionMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<CancelSession, CancelSessionInput, NonNullGraphType<EpisodeGraphType>>(CancelSession.OperationName,
            "Marks a recorded session as not held.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}
