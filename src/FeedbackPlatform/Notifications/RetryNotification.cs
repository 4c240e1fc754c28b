using FeedbackPlatform.Clinical;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.GraphQL;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Notifications;

/// <summary>Sends a failed delivery again, after its receiver was fixed.</summary>
public sealed record RetryNotification : ApiCommand
{
    public const string OperationName = "retryNotification";
    public override string Operation => OperationName;

    public string DeliveryId { get; init; } = "";
}

public static class RetryNotificationHandler
{
    public static async Task<CommandOutcome> Handle(RetryNotification c, IDocumentSession session, IMessageContext bus, CancellationToken ct)
    {
        var delivery = await session.LoadAsync<NotificationDelivery>(c.DeliveryId, ct);
        if (delivery is null)
            return CommandOutcome.Rejected(ClinicalRejection.NotFound("deliveryId", "No such delivery."));
        if (delivery.Status == DeliveryStatus.Delivered)
            return CommandOutcome.Accepted;
        delivery.Status = DeliveryStatus.Pending;
        session.Store(delivery);
        await bus.PublishAsync(new DeliverNotification(delivery.Id));
        return CommandOutcome.Accepted;
    }
}

public sealed class RetryNotificationInput : InputObjectGraphType<RetryNotification>
{
    public RetryNotificationInput() => Field("deliveryId", UuidGraphType.NonNullTextId());
}

public sealed class RetryNotificationMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RetryNotification, RetryNotificationInput, NonNullGraphType<NotificationDeliveryGraphType>>(
            RetryNotification.OperationName, "Sends a failed delivery again.",
            async (c, x) =>
            {
                await using var session = c.QuerySession();
                return await session.LoadAsync<NotificationDelivery>(x.DeliveryId, c.CancellationToken);
            });
}
