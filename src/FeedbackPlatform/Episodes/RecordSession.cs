using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

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
    public static async Task<CommandOutcome> Handle(RecordSession command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        (EpisodeOfCare Before, SessionRecorded Recorded)? recorded = null;
        var outcome = await EpisodeStream.Decide(session, bus, command, (episode, rules) =>
        {
            var events = EpisodeDecisions.RecordSession(episode, command.SessionId, command.HeldAt, now, rules);
            recorded = events.OfType<SessionRecorded>().FirstOrDefault() is { } fact ? (episode!, fact) : null;
            return events;
        }, ct);
        // A session newly recorded may open the client's SRS request, in the same transaction (ClientFeedback/RequestFeedback).
        if (outcome.IsAccepted && recorded is { } r)
            await ClientFeedback.RequestFeedbackHandler.RequestAutomatically(session, r.Before, r.Recorded, now, ct);
        return outcome;
    }
}
