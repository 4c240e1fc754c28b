namespace FeedbackPlatform.Notifications;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    /// <summary>Every retry failed: the message is dead-lettered; a person can retry it.</summary>
    Failed,
    /// <summary>The subscription was removed before delivery.</summary>
    Cancelled,
}

/// <summary>
/// One notification to one subscription. Its id is the idempotency key the receiver sees, so a receiver
/// can drop a repeat and we never send one that was delivered. The payload holds no client identity and no free text.
/// </summary>
public sealed class NotificationDelivery
{
    public string Id { get; set; } = "";
    public Guid SubscriptionId { get; set; }
    public string Key { get; set; } = "";
    public string Payload { get; set; } = "";
    public string Subject { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    public static string IdFor(Guid subscriptionId, string key) => $"{subscriptionId:N}:{key}";
}

/// <summary>An alert waiting for its subscription's next digest.</summary>
public sealed class DigestItem
{
    public string Id { get; set; } = "";
    public Guid SubscriptionId { get; set; }
    public string Key { get; set; } = "";
    public string AlertJson { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>Marks that the digest closing at a given time is scheduled, so it is scheduled once.</summary>
public sealed class DigestWindow
{
    public string Id { get; set; } = "";

    public static string IdFor(Guid subscriptionId, DateTimeOffset end) => $"{subscriptionId:N}:{end.UtcTicks}";

    public static DateTimeOffset EndAfter(DateTimeOffset now, DigestMode mode)
    {
        var utc = now.ToUniversalTime();
        return mode == DigestMode.Daily
            ? new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero).AddDays(1)
            : new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
    }
}
