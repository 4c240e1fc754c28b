using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Feedback;

/// <summary>The client's SRS for one session. Items arrive as the transport's numbers and are checked by the core.</summary>
public sealed record SubmitSessionRating : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "submitSessionRating";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid SessionId { get; init; }
    public double? Relationship { get; init; }
    public double? GoalsAndTopics { get; init; }
    public double? ApproachOrMethod { get; init; }
    public double? Overall { get; init; }
}

public static class SubmitSessionRatingHandler
{
    public static Task<CommandOutcome> Handle(SubmitSessionRating command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, command, (episode, rules) =>
        {
            var rating = SessionRating.Read(command.Relationship, command.GoalsAndTopics, command.ApproachOrMethod, command.Overall);
            return EpisodeDecisions.SubmitSessionRating(episode, command.SessionId, rating, clock.GetUtcNow(), rules);
        }, ct);
}
