using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Alerts;

/// <summary>A person closes the alert (MANUAL) with a note.</summary>
public sealed record ResolveAlert : ApiCommand, Access.IAlertCommand
{
    public const string OperationName = "resolveAlert";
    public override string Operation => OperationName;

    public Guid AlertId { get; init; }
    public string? Note { get; init; }
    public string By { get; init; } = "";
}

public static class ResolveAlertHandler
{
    /// <summary>
    /// The resolution goes to the alert's stream and to its episode's stream, under the episode's version
    /// check: the rules, which read open alerts from the episode, can never add to an alert a person closed.
    /// </summary>
    public static async Task<(CommandOutcome, Wolverine.OutgoingMessages)> Handle(ResolveAlert c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var alert = await session.Events.FetchForWriting<AlertCase>(c.AlertId, ct);
        IReadOnlyList<object> events;
        try
        {
            events = AlertDecisions.ResolveManually(alert.Aggregate, c.By, c.Note, clock.GetUtcNow());
        }
        catch (ClinicalRejection rejection)
        {
            return (CommandOutcome.Rejected(rejection), []);
        }
        if (events.Count == 0)
            return (CommandOutcome.Accepted, []);
        alert.AppendMany(events.ToArray());
        var episode = await session.Events.FetchForWriting<EpisodeOfCare>(alert.Aggregate!.EpisodeId, ct);
        episode.AppendMany(events.ToArray());
        return (CommandOutcome.Accepted, [new Notifications.AlertNotice(c.AlertId, "resolved", ((AlertResolved)events[0]).ResolvedAt)]);
    }
}

public sealed class ResolveAlertInput : InputObjectGraphType<ResolveAlert>
{
    public ResolveAlertInput()
    {
        Field<NonNullGraphType<IdGraphType>>("alertId");
        Field<NonNullGraphType<StringGraphType>>("note").Description("Why the alert is closed.");
    }
}

public sealed class ResolveAlertMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<ResolveAlert, ResolveAlertInput, NonNullGraphType<AlertGraphType>>(ResolveAlert.OperationName,
            "Closes the alert by hand (MANUAL), with a note.", async (c, x) => await c.Load<AlertCase>(x.AlertId),
            (c, x) => x with { By = c.CallerName() });
}
