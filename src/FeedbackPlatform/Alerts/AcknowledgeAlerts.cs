using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using JasperFx.Events;
using Marten;

namespace FeedbackPlatform.Alerts;

/// <summary>
/// A director works through the inbox: several alerts acknowledged at once, with one note for all of them. Each alert
/// is decided as acknowledgeAlert decides it; one refused (missing, another site's, already resolved) refuses the lot.
/// </summary>
public sealed record AcknowledgeAlerts : ApiCommand
{
    public const string OperationName = "acknowledgeAlerts";
    public const int MaxAlerts = 100;
    public override string Operation => OperationName;

    public Guid[]? AlertIds { get; init; }
    public string? Note { get; init; }
    /// <summary>Who acknowledged them: set by the API from the caller, never from the input.</summary>
    public string By { get; init; } = "";
}

public static class AcknowledgeAlertsHandler
{
    public static async Task<CommandOutcome> Handle(AcknowledgeAlerts c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var ids = c.AlertIds ?? [];
        if (ids.Length is 0 or > AcknowledgeAlerts.MaxAlerts)
            return CommandOutcome.Rejected(ClinicalRejection.Invalid("alertIds", $"alertIds must name 1 to {AcknowledgeAlerts.MaxAlerts} alerts."));
        // Each alert once, named by where it first appears; all of them for writing (each stream's version guards
        // against a change in between), in one round trip.
        var alerts = ids.Select((id, index) => (Id: id, Field: $"alertIds[{index}]")).DistinctBy(a => a.Id).ToList();
        var batch = session.CreateBatchQuery();
        var fetching = alerts.Select(a => batch.Events.FetchForWriting<AlertCase>(a.Id)).ToList();
        await batch.Execute(ct);
        var now = clock.GetUtcNow();
        var decided = new List<(IEventStream<AlertCase> Stream, IReadOnlyList<object> Events)>();
        for (var i = 0; i < alerts.Count; i++)
        {
            var stream = await fetching[i];
            // Another site's alert is answered exactly as a missing one, as the gate answers acknowledgeAlert.
            if (stream.Aggregate is { } alert && c.Caller is { } caller && !AccessPolicy.MayWorkAlert(caller, alert.SiteId))
                return CommandOutcome.Rejected(ClinicalRejection.NotFound(alerts[i].Field, "No such alert."));
            try
            {
                decided.Add((stream, AlertDecisions.Acknowledge(stream.Aggregate, c.By, c.Note, now)));
            }
            catch (ClinicalRejection rejection)
            {
                // Decided before anything is appended: a refusal leaves every alert as it was.
                return CommandOutcome.Rejected(rejection.Field == "alertId" ? new ClinicalRejection(rejection.Code, alerts[i].Field, rejection.Message) : rejection);
            }
        }
        foreach (var (stream, events) in decided)
            if (events.Count > 0)
                stream.AppendMany(events.ToArray());
        return CommandOutcome.Accepted;
    }
}

public sealed class AcknowledgeAlertsInput : InputObjectGraphType<AcknowledgeAlerts>
{
    public AcknowledgeAlertsInput()
    {
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("alertIds").Description($"1 to {AcknowledgeAlerts.MaxAlerts} alerts of the inbox.");
        Field<StringGraphType>("note").Description("One note, kept on each alert.");
    }
}

public sealed class AcknowledgeAlertsMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<AcknowledgeAlerts, AcknowledgeAlertsInput, NonNullGraphType<ListGraphType<NonNullGraphType<AlertGraphType>>>>(AcknowledgeAlerts.OperationName,
            "Says someone is on each of these alerts; stops their escalation clocks. One refused alert refuses them all.",
            async (c, x) =>
            {
                await using var session = c.QuerySession();
                var ids = x.AlertIds!.Distinct().ToList();
                var alerts = (await session.LoadManyAsync<AlertCase>(c.CancellationToken, ids)).ToDictionary(a => a.Id);
                return ids.Select(id => alerts[id]).ToList();
            },
            (c, x) => x with { By = c.CallerName() });
}
