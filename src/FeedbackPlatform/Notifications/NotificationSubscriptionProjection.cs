using JasperFx.Events;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.Notifications;

public partial class NotificationSubscriptionProjection : SingleStreamProjection<NotificationSubscription, Guid>
{
    // Only its own events, so that other streams' commands do not look the document up.
    public NotificationSubscriptionProjection()
    {
        IncludeType<NotificationSubscriptionCreated>();
        IncludeType<NotificationSubscriptionRemoved>();
    }

    public override NotificationSubscription? Evolve(NotificationSubscription? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is NotificationSubscriptionCreated created ? NotificationSubscription.From(created) : null : snapshot.When(e.Data);
}
