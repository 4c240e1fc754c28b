using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Ingestion;
using GraphQL.Types;
using Marten;
using Wolverine;
using Wolverine.Http;

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
    public static Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(SubmitAllianceInventory command, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, command,
            episode => EpisodeDecisions.SubmitAllianceInventory(episode, command.SessionId, command.Items, clock.GetUtcNow()), ct);
}

public sealed class SubmitAllianceInventoryInput : InputObjectGraphType<SubmitAllianceInventory>
{
    public SubmitAllianceInventoryInput()
    {
        Description = "The WAI-SR: 12 answers from 1 (seldom) to 5 (always), in the instrument's order.";
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("sessionId");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("items");
    }
}

public sealed class SubmitAllianceInventoryMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<SubmitAllianceInventory, SubmitAllianceInventoryInput, NonNullGraphType<EpisodeGraphType>>(SubmitAllianceInventory.OperationName,
            "Submits a WAI-SR for a session.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}

public static class SubmitAllianceInventoryEndpoint
{
    [WolverinePost("/api/alliance-inventories"), Tags(RestCommand.Tag), EndpointSummary("Submit a Working Alliance Inventory (WAI-SR)")]
    public static Task<IResult> Post(SubmitAllianceInventory command, HttpContext http, CommandGate gate, CancellationToken ct) => RestCommand.Send(http, gate, command, ct);
}
