using System.Security.Cryptography;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Notifications;

public sealed record CreateNotificationSubscription : ApiCommand
{
    public const string OperationName = "createNotificationSubscription";
    public override string Operation => OperationName;

    public Guid SubscriptionId { get; init; }
    /// <summary>Null: every site of the organization.</summary>
    public Guid? SiteId { get; init; }
    public NotificationChannel Channel { get; init; }
    public string? Target { get; init; }
    public DigestMode Digest { get; init; }
    public AlertSeverity MinimumSeverity { get; init; } = AlertSeverity.Low;
}

public sealed record RemoveNotificationSubscription : ApiCommand
{
    public const string OperationName = "removeNotificationSubscription";
    public override string Operation => OperationName;

    public Guid SubscriptionId { get; init; }
}

/// <summary>Sends a failed delivery again, after its receiver was fixed.</summary>
public sealed record RetryNotification : ApiCommand
{
    public const string OperationName = "retryNotification";
    public override string Operation => OperationName;

    public string DeliveryId { get; init; } = "";
}

public static class NotificationSubscriptionHandler
{
    public static async Task<CommandOutcome> Handle(CreateNotificationSubscription c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var site = c.SiteId is { } siteId ? await session.LoadAsync<Site>(siteId, ct) : null;
        return await EpisodeStream.Decide<NotificationSubscription>(session, c.SubscriptionId, existing =>
        {
            var target = NotificationSubscription.ValidTarget(c.Channel, c.Target);
            if (c.SiteId is not null && site is not { Active: true })
                throw ClinicalRejection.NotFound("siteId", "No such active site.");
            if (existing is not null)
            {
                return existing.SiteId == c.SiteId && existing.Channel == c.Channel && existing.Target == target
                       && existing.Digest == c.Digest && existing.MinimumSeverity == c.MinimumSeverity
                    ? []
                    : throw ClinicalRejection.Conflict("subscriptionId", "A subscription with this id exists with other settings.");
            }
            var secret = c.Channel == NotificationChannel.Webhook ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : null;
            return [new NotificationSubscriptionCreated(c.SubscriptionId, c.SiteId, c.Channel, target, secret, c.Digest, c.MinimumSeverity, clock.GetUtcNow())];
        }, ct);
    }

    public static Task<CommandOutcome> Handle(RemoveNotificationSubscription c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<NotificationSubscription>(session, c.SubscriptionId, existing => existing switch
        {
            null => throw ClinicalRejection.NotFound("subscriptionId", "No such subscription."),
            { Active: false } => [],
            _ => [new NotificationSubscriptionRemoved(c.SubscriptionId, clock.GetUtcNow())],
        }, ct);

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
