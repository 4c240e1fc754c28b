using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Goals;

public sealed record ReviseGoal : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "reviseGoal";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid GoalId { get; init; }
    public string? Description { get; init; }
    public bool AgreedByClient { get; init; }
    public bool AgreedByTherapist { get; init; }
}

public static class ReviseGoalHandler
{
    public static Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(ReviseGoal c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, c, episode =>
            EpisodeDecisions.ReviseGoal(episode, c.GoalId, c.Description, c.AgreedByClient, c.AgreedByTherapist, clock.GetUtcNow()), ct);
}

public sealed class ReviseGoalInput : InputObjectGraphType<ReviseGoal>
{
    public ReviseGoalInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("goalId");
        this.GoalAgreementFields();
    }
}

public sealed class ReviseGoalMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<ReviseGoal, ReviseGoalInput, NonNullGraphType<EpisodeGraphType>>(ReviseGoal.OperationName,
            "Revises a goal's wording and agreement.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}
