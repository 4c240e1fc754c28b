using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.Alerts;

/// <summary>The alert inbox: one document per alert stream, current in the transaction that changed it.</summary>
/// <remarks>
/// The rules' decisions are also recorded in the episode's stream; only the alert's own stream (whose id is
/// the alert id) shapes the alert case.
/// </remarks>
public partial class AlertCaseProjection : SingleStreamProjection<AlertCase, Guid>
{
    public AlertCaseProjection()
    {
        IncludeType<AlertRaised>();
        IncludeType<AlertOccurrenceAdded>();
        IncludeType<AlertAcknowledged>();
        IncludeType<AlertEscalated>();
        IncludeType<AlertResolved>();
    }

    public override AlertCase? Evolve(AlertCase? snapshot, Guid id, IEvent e) => e.Data switch
    {
        AlertRaised raised when raised.AlertId == id => snapshot ?? AlertCase.From(raised),
        _ when snapshot is null || snapshot.Id != id => snapshot,
        _ => snapshot.When(e.Data),
    };
}
