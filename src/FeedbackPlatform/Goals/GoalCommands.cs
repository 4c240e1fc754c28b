using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Episodes;
using Marten;
using Wolverine;

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

public sealed record MarkGoalAchieved : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "markGoalAchieved";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid GoalId { get; init; }
}

public static class RecordGoalAgreementHandler
{
    public static Task<CommandOutcome> Handle(RecordGoalAgreement c, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, c, episode =>
            EpisodeDecisions.RecordGoalAgreement(episode, c.GoalId, c.Description, c.AgreedByClient, c.AgreedByTherapist, clock.GetUtcNow()), ct);
}

public static class ReviseGoalHandler
{
    public static Task<CommandOutcome> Handle(ReviseGoal c, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, c, episode =>
            EpisodeDecisions.ReviseGoal(episode, c.GoalId, c.Description, c.AgreedByClient, c.AgreedByTherapist, clock.GetUtcNow()), ct);
}

public static class MarkGoalAchievedHandler
{
    public static Task<CommandOutcome> Handle(MarkGoalAchieved c, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, c, episode => EpisodeDecisions.MarkGoalAchieved(episode, c.GoalId, clock.GetUtcNow()), ct);
}
