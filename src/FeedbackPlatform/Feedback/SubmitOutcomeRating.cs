using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Feedback;

/// <summary>The client's ORS for one session; the first of the episode is its intake.</summary>
public sealed record SubmitOutcomeRating : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "submitOutcomeRating";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid SessionId { get; init; }
    public double? Individual { get; init; }
    public double? Interpersonal { get; init; }
    public double? Social { get; init; }
    public double? Overall { get; init; }
}

public static class SubmitOutcomeRatingHandler
{
    public static Task<CommandOutcome> Handle(SubmitOutcomeRating command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, bus, command, (episode, rules) =>
        {
            var rating = OutcomeRating.Read(command.Individual, command.Interpersonal, command.Social, command.Overall);
            return EpisodeDecisions.SubmitOutcomeRating(episode, command.SessionId, rating, clock.GetUtcNow(), rules);
        }, ct);
}
