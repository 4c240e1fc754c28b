using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Alerts;

/// <summary>A director or clinician has seen the alert and is on it; stops the escalation clock.</summary>
public sealed record AcknowledgeAlert : ApiCommand, Access.IAlertCommand
{
    public const string OperationName = "acknowledgeAlert";
    public override string Operation => OperationName;

    public Guid AlertId { get; init; }
    public string? Note { get; init; }
    /// <summary>Who acknowledged it: set by the API from the caller, never from the input.</summary>
    public string By { get; init; } = "";
}

public static class AcknowledgeAlertHandler
{
    public static Task<(CommandOutcome, StreamFacts<AlertCase>)> Handle(AcknowledgeAlert c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide<AlertCase>(session, c.AlertId, alert => AlertDecisions.Acknowledge(alert, c.By, c.Note, clock.GetUtcNow()), ct);
}

public sealed class AcknowledgeAlertInput : InputObjectGraphType<AcknowledgeAlert>
{
    public AcknowledgeAlertInput()
    {
        Field<NonNullGraphType<IdGraphType>>("alertId");
        Field<StringGraphType>("note");
    }
}

public sealed class AcknowledgeAlertMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<AcknowledgeAlert, AcknowledgeAlertInput, NonNullGraphType<AlertGraphType>>(AcknowledgeAlert.OperationName,
            "Says someone is on the alert; stops its escalation clock.", async (c, x) => await c.Load<AlertCase>(x.AlertId),
            (c, x) => x with { By = c.CallerName() });
}
