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

namespace FeedbackPlatform.Goals;

/// <summary>A goal of the episode and who has agreed to it; agreed when both client and therapist have.</summary>
public sealed record RecordGoalAgreement : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "recordGoalAgreement";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid GoalId { get; init; }
    public string? Description { get; init; }
    public bool AgreedByClient { get; init; }
    public bool AgreedByTherapist { get; init; }
}

public static class RecordGoalAgreementHandler
{
    public static Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(RecordGoalAgreement c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, c, episode =>
            EpisodeDecisions.RecordGoalAgreement(episode, c.GoalId, c.Description, c.AgreedByClient, c.AgreedByTherapist, clock.GetUtcNow()), ct);
}

public sealed class RecordGoalAgreementInput : InputObjectGraphType<RecordGoalAgreement>
{
    public RecordGoalAgreementInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("goalId");
        this.GoalAgreementFields();
    }
}

public sealed class RecordGoalAgreementMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RecordGoalAgreement, RecordGoalAgreementInput, NonNullGraphType<EpisodeGraphType>>(RecordGoalAgreement.OperationName,
            "Records a goal and who agreed to it.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}

public static class RecordGoalAgreementEndpoint
{
    [WolverinePost("/api/goal-agreements"), Tags(RestCommand.Tag), EndpointSummary("Record a goal and who agreed to it")]
    public static Task<IResult> Post(RecordGoalAgreement command, HttpContext http, CommandGate gate, CancellationToken ct) => RestCommand.Send(http, gate, command, ct);
}
