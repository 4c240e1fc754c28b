using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Notifications;
using Marten;
using JasperFx.Events;
using Wolverine;
using Wolverine.Marten;

namespace FeedbackPlatform.Episodes;

/// <summary>
/// A stream's new facts, as a handler returns them: Wolverine appends them to the stream fetched for writing, so the
/// commit fails if another command changed the stream since it was read.
/// </summary>
public class StreamFacts<TState>(IEventStream<TState>? stream, IReadOnlyList<object> events) : IMartenOp where TState : class
{
    public static readonly StreamFacts<TState> None = new(null, []);

    /// <summary>Whether the decision changed anything (a repeated command often changes nothing).</summary>
    public bool Changed => stream is not null && events.Count > 0;

    public void Execute(IDocumentSession session)
    {
        if (Changed)
            stream!.AppendMany(events.ToArray());
    }
}

/// <summary>The episode's new facts.</summary>
public sealed class EpisodeFacts(IEventStream<EpisodeOfCare>? stream, IReadOnlyList<object> events) : StreamFacts<EpisodeOfCare>(stream, events)
{
    public static new readonly EpisodeFacts None = new(null, []);
}

/// <summary>
/// What the rules decided for alerts, each on the alert's own stream (a raised alert starts it), as a handler
/// returns it: Wolverine applies it to the command's session, in the episode's transaction.
/// </summary>
public sealed class AlertStreamFacts(IReadOnlyList<AlertStreamFact> facts) : IMartenOp
{
    public static readonly AlertStreamFacts None = new([]);

    public void Execute(IDocumentSession session)
    {
        foreach (var alert in facts)
        {
            if (alert.StartsStream)
                session.Events.StartStream<AlertCase>(alert.AlertId, alert.Fact);
            else
                session.Events.Append(alert.AlertId, alert.Fact);
        }
    }
}

/// <summary>The messages a decision sends: the alert news now, each follow-up check at its due time (the outbox, in the same transaction).</summary>
public static class EpisodeMessages
{
    public static OutgoingMessages Of(EpisodeDecision decision)
    {
        var messages = new OutgoingMessages();
        foreach (var news in decision.News)
            messages.Add(new AlertNotice(news.AlertId, news.Change, news.At));
        foreach (var followUp in decision.FollowUps)
            messages.Schedule(Alerts.FollowUps.MessageFor(followUp), followUp.DueAt);
        return messages;
    }
}
