using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Goals;

public sealed record MarkGoalAchieved : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "markGoalAchieved";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid GoalId { get; init; }
}

public static class MarkGoalAchievedHandler
{
    public static Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(MarkGoalAchieved c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, c, episode => EpisodeDecisions.MarkGoalAchieved(episode, c.GoalId, clock.GetUtcNow()), ct);
}

public sealed class MarkGoalAchievedInput : InputObjectGraphType<MarkGoalAchieved>
{
    public MarkGoalAchievedInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("goalId");
    }
}

public sealed class MarkGoalAchievedMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<MarkGoalAchieved, MarkGoalAchievedInput, NonNullGraphType<EpisodeGraphType>>(MarkGoalAchieved.OperationName,
            "Marks a goal as achieved.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}
