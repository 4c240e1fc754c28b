using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Notifications;

/// <summary>Something happened to an alert that subscribers hear about: raised, escalated or resolved.</summary>
public sealed record AlertNotice(Guid AlertId, string Event, DateTimeOffset At) : ClinicCommand
{
    /// <summary>Each of these happens once in an alert's life: the key is the receiver's idempotency key.</summary>
    public string Key => $"{AlertId:N}:{Event}";
}

public sealed record DeliverNotification(string DeliveryId) : ClinicCommand;

public sealed record SendDigest(Guid SubscriptionId, DateTimeOffset WindowEnd) : ClinicCommand;

/// <summary>Fans an alert notice out to the subscriptions that want it, at once or into their next digest.</summary>
public static class AlertNoticeHandler
{
    public static async Task Handle(AlertNotice notice, IDocumentSession session, IMessageContext bus, PlatformSettings platform, AlertLinks links, TimeProvider clock, CancellationToken ct)
    {
        var alert = await session.LoadAsync<AlertCase>(notice.AlertId, ct);
        if (alert is null)
            throw UnplaceableMessage.Of(notice, "alert", notice.AlertId, session.TenantId);
        if (notice.Event == "raised")
            Telemetry.AlertLatency.Record(Math.Max(0, (clock.GetUtcNow() - notice.At).TotalMilliseconds),
                new KeyValuePair<string, object?>("kind", Telemetry.Label(alert.Kind)), new KeyValuePair<string, object?>("severity", Telemetry.Label(alert.Severity)));
        // Every node's live subscribers hear of it once this transaction commits.
        if (notice.Event == "raised")
            session.QueueSqlCommand("select pg_notify(?, ?)", Alerts.AlertFeed.Channel(platform), Alerts.AlertFeed.Payload(session.TenantId, alert.Id));
        var subscriptions = (await session.Query<NotificationSubscription>().Where(s => s.Active).ToListAsync(ct)).Where(s => s.Wants(alert)).ToList();
        if (subscriptions.Count == 0)
            return;
        // The site's name, so that an e-mail can say where without an id; the link opens the alert's page.
        var site = await session.LoadAsync<Site>(alert.SiteId, ct);
        var payload = Payloads.AlertEvent(notice.Key, notice.Event, alert, notice.At, site?.Name, links.ForAlert(alert.Id));
        foreach (var subscription in subscriptions)
        {
            if (subscription.Digest == DigestMode.Immediate)
            {
                var id = NotificationDelivery.IdFor(subscription.Id, notice.Key);
                if (await session.LoadAsync<NotificationDelivery>(id, ct) is not null)
                    continue; // the same notice twice: one delivery
                session.Store(new NotificationDelivery
                {
                    Id = id, SubscriptionId = subscription.Id, Key = notice.Key, Payload = payload,
                    Subject = Payloads.Subject(notice.Event, alert), Status = DeliveryStatus.Pending, CreatedAt = notice.At,
                });
                await bus.PublishAsync(new DeliverNotification(id));
                continue;
            }

            session.Store(new DigestItem { Id = $"{subscription.Id:N}:{notice.Key}", SubscriptionId = subscription.Id, Key = notice.Key, AlertJson = payload, At = notice.At });
            var end = DigestWindow.EndAfter(notice.At, subscription.Digest);
            var window = DigestWindow.IdFor(subscription.Id, end);
            if (await session.LoadAsync<DigestWindow>(window, ct) is null)
            {
                session.Store(new DigestWindow { Id = window });
                await bus.ScheduleAsync(new SendDigest(subscription.Id, end), end);
            }
        }
    }
}

/// <summary>Gathers a subscription's waiting alerts into one delivery when its digest window closes.</summary>
public static class SendDigestHandler
{
    public static async Task Handle(SendDigest digest, IDocumentSession session, IMessageContext bus, AlertLinks links, CancellationToken ct)
    {
        var items = (await session.Query<DigestItem>().Where(i => i.SubscriptionId == digest.SubscriptionId).ToListAsync(ct))
            .Where(i => i.At < digest.WindowEnd).OrderBy(i => i.At).ToList();
        if (items.Count == 0)
            return;
        var key = $"digest:{digest.SubscriptionId:N}:{digest.WindowEnd.UtcTicks}";
        var id = NotificationDelivery.IdFor(digest.SubscriptionId, key);
        if (await session.LoadAsync<NotificationDelivery>(id, ct) is null)
        {
            session.Store(new NotificationDelivery
            {
                Id = id, SubscriptionId = digest.SubscriptionId, Key = key,
                Payload = Payloads.Digest(key, digest.WindowEnd, items.Select(i => i.AlertJson), links.Worklist()),
                Subject = $"[FeedbackPlatform] {items.Count} alert event(s) until {digest.WindowEnd:yyyy-MM-dd HH:mm} UTC",
                Status = DeliveryStatus.Pending, CreatedAt = digest.WindowEnd,
            });
            await bus.PublishAsync(new DeliverNotification(id));
        }
        foreach (var item in items)
            session.Delete(item);
    }
}

/// <summary>
/// Sends one delivery. Its outcome is recorded in its own session, so that a failed attempt is visible even
/// though the exception makes Wolverine retry (and, after the last wait, dead-letter) the message.
/// </summary>
public static class DeliverNotificationHandler
{
    /// <summary>The longest a send may take; a second handler of the same delivery waits for it that long at most.</summary>
    public static readonly TimeSpan SendLimit = TimeSpan.FromSeconds(60);

    private static void Delivered(string outcome, NotificationChannel? channel) =>
        Telemetry.NotificationDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("channel", channel is { } c ? Telemetry.Label(c) : "NONE"));

    public static async Task Handle(DeliverNotification message, Envelope envelope, IDocumentStore store, WebhookChannel webhooks,
        EmailChannel email, NotificationSettings settings, TimeProvider clock, CancellationToken ct)
    {
        // The delivery belongs to the organization of the alert; the envelope carries it from the notice. A command of this
        // session may wait while another handler sends the same delivery (below): hence a timeout longer than a send.
        var options = new Marten.Services.SessionOptions { Timeout = (int)(SendLimit.TotalSeconds + 30) };
        if (envelope.TenantId is { Length: > 0 } organization)
            options.TenantId = organization;
        await using var session = store.LightweightSession(options);
        // The delivery's row stays locked from this read until its outcome is committed. Two handlers of one delivery (a
        // notice handled twice, or a message recovered from a node taken for dead while it was still sending) cannot
        // both find it pending: the second waits, then finds it delivered, or finds the first attempt's failure and
        // tries again. A crash mid-send rolls back and releases the row, and the recovered message sends.
        await session.BeginTransactionAsync(ct);
        await session.AdvancedSql.QueryAsync<int>(
            $"select 1 from {store.Options.Schema.For<NotificationDelivery>()} where tenant_id = ? and id = ? for update", ct, session.TenantId, message.DeliveryId);
        var delivery = await session.LoadAsync<NotificationDelivery>(message.DeliveryId, ct);
        if (delivery is null)
            throw UnplaceableMessage.Of(message, "delivery", message.DeliveryId, session.TenantId);
        if (delivery.Status is DeliveryStatus.Delivered or DeliveryStatus.Cancelled)
            return; // never send twice what was delivered
        var subscription = await session.LoadAsync<NotificationSubscription>(delivery.SubscriptionId, ct);
        delivery.Attempts++;
        delivery.LastAttemptAt = clock.GetUtcNow();
        if (subscription is not { Active: true })
        {
            delivery.Status = DeliveryStatus.Cancelled;
            Delivered("cancelled", subscription?.Channel);
            session.Store(delivery);
            await session.SaveChangesAsync(ct);
            return;
        }
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(SendLimit);
            if (subscription.Channel == NotificationChannel.Webhook)
                await webhooks.Send(subscription, delivery, limit.Token);
            else
                await email.Send(subscription, delivery, limit.Token);
            delivery.Status = DeliveryStatus.Delivered;
            Delivered("delivered", subscription.Channel);
            delivery.DeliveredAt = clock.GetUtcNow();
            delivery.LastError = null;
        }
        catch (NotificationDeliveryFailed failure)
        {
            delivery.LastError = failure.Message;
            // The first attempt plus one per configured wait: after that Wolverine dead-letters the message.
            if (envelope.Attempts > settings.RetryDelays.Length)
                delivery.Status = DeliveryStatus.Failed;
            Delivered(delivery.Status == DeliveryStatus.Failed ? "dead_lettered" : "failed_will_retry", subscription.Channel);
            session.Store(delivery);
            await session.SaveChangesAsync(ct);
            throw;
        }
        session.Store(delivery);
        await session.SaveChangesAsync(ct);
    }
}
