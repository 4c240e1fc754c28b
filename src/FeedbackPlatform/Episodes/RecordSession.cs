using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Ingestion;
using GraphQL.Types;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace FeedbackPlatform.Episodes;

/// <summary>SessionId is the caller's, so a retried call records the session once.</summary>
public sealed record RecordSession : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "recordSession";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid SessionId { get; init; }
    public DateTimeOffset HeldAt { get; init; }
}

public static class RecordSessionHandler
{
    public static async Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(RecordSession command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        (EpisodeOfCare Before, SessionRecorded Recorded)? recorded = null;
        var decided = await StreamDecisions.Decide(session, command, (episode, rules) =>
        {
            var events = EpisodeDecisions.RecordSession(episode, command.SessionId, command.HeldAt, now, rules);
            recorded = events.OfType<SessionRecorded>().FirstOrDefault() is { } fact ? (episode!, fact) : null;
            return events;
        }, ct);
        // A session newly recorded may open the client's SRS request, in the same transaction (ClientFeedback/RequestFeedback).
        if (decided.Outcome.IsAccepted && recorded is { } r)
            await ClientFeedback.RequestFeedbackHandler.RequestAutomatically(session, r.Before, r.Recorded, now, ct);
        return decided;
    }
}

public sealed class RecordSessionInput : InputObjectGraphType<RecordSession>
{
    public RecordSessionInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("sessionId");
        Field<NonNullGraphType<InstantGraphType>>("heldAt");
    }
}

public sealed class RecordSessionMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RecordSession, RecordSessionInput, NonNullGraphType<EpisodeGraphType>>(RecordSession.OperationName,
            "Records a session held; numbers are assigned in order.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}

public static class RecordSessionEndpoint
{
    [WolverinePost("/api/sessions"), Tags(RestCommand.Tag), EndpointSummary("Record a session held")]
    public static Task<IResult> Post(RecordSession command, HttpContext http, CommandGate gate, CancellationToken ct) => RestCommand.Send(http, gate, command, ct);
}
