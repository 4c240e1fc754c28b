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
    public static Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(SubmitSessionRating command, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, command, (episode, rules) =>
        {
            var rating = SessionRating.Read(command.Relationship, command.GoalsAndTopics, command.ApproachOrMethod, command.Overall);
            return EpisodeDecisions.SubmitSessionRating(episode, command.SessionId, rating, clock.GetUtcNow(), rules);
        }, ct);
}

public sealed class SubmitSessionRatingInput : InputObjectGraphType<SubmitSessionRating>
{
    public SubmitSessionRatingInput()
    {
        Description = "The client's Session Rating Scale: four items from 0.0 to 10.0, one decimal.";
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("sessionId");
        this.SessionRatingItems();
    }
}

public sealed class SubmitSessionRatingMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<SubmitSessionRating, SubmitSessionRatingInput, NonNullGraphType<EpisodeGraphType>>(SubmitSessionRating.OperationName,
            "Submits the client's SRS for a session.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}

public static class SubmitSessionRatingEndpoint
{
    [WolverinePost("/api/session-ratings"), Tags(RestCommand.Tag), EndpointSummary("Submit a Session Rating Scale (SRS)")]
    public static Task<IResult> Post(SubmitSessionRating command, HttpContext http, CommandGate gate, CancellationToken ct) => RestCommand.Send(http, gate, command, ct);
}
