using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;
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
    public static Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(SubmitOutcomeRating command, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, command, (episode, rules) =>
        {
            var rating = OutcomeRating.Read(command.Individual, command.Interpersonal, command.Social, command.Overall);
            return EpisodeDecisions.SubmitOutcomeRating(episode, command.SessionId, rating, clock.GetUtcNow(), rules);
        }, ct);
}

public sealed class SubmitOutcomeRatingInput : InputObjectGraphType<SubmitOutcomeRating>
{
    public SubmitOutcomeRatingInput()
    {
        Description = "The client's Outcome Rating Scale: four items from 0.0 to 10.0, one decimal.";
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("sessionId");
        this.OutcomeRatingItems();
    }
}

public sealed class SubmitOutcomeRatingMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<SubmitOutcomeRating, SubmitOutcomeRatingInput, NonNullGraphType<EpisodeGraphType>>(SubmitOutcomeRating.OperationName,
            "Submits the client's ORS for a session.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}

public static class SubmitOutcomeRatingEndpoint
{
    [WolverinePost("/api/outcome-ratings"), Tags(RestCommand.Tag), EndpointSummary("Submit an Outcome Rating Scale (ORS)")]
    public static Task<IResult> Post(SubmitOutcomeRating command, HttpContext http, CommandGate gate, CancellationToken ct) => RestCommand.Send(http, gate, command, ct);
}
