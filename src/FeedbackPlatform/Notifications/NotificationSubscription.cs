using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using MimeKit;

namespace FeedbackPlatform.Notifications;

public enum NotificationChannel
{
    Webhook,
    Email,
}

/// <summary>How often a subscription hears about alerts: each at once, or gathered per hour or per day.</summary>
public enum DigestMode
{
    Immediate,
    Hourly,
    Daily,
}

public sealed record NotificationSubscriptionCreated(
    Guid SubscriptionId, Guid? SiteId, NotificationChannel Channel, string Target, string? Secret,
    DigestMode Digest, AlertSeverity MinimumSeverity, DateTimeOffset CreatedAt);

public sealed record NotificationSubscriptionRemoved(Guid SubscriptionId, DateTimeOffset RemovedAt);

/// <summary>
/// Who hears about the alerts of a site (or of the whole organization when SiteId is null), how, and how often.
/// The webhook secret signs every delivery; it is shown once, when the subscription is created.
/// </summary>
public sealed record NotificationSubscription
{
    public Guid Id { get; init; }
    public Guid? SiteId { get; init; }
    public NotificationChannel Channel { get; init; }
    public string Target { get; init; } = "";
    public string? Secret { get; init; }
    public DigestMode Digest { get; init; }
    public AlertSeverity MinimumSeverity { get; init; }
    public bool Active { get; init; } = true;
    public DateTimeOffset CreatedAt { get; init; }

    public static NotificationSubscription From(NotificationSubscriptionCreated e) => new()
    {
        Id = e.SubscriptionId, SiteId = e.SiteId, Channel = e.Channel, Target = e.Target, Secret = e.Secret,
        Digest = e.Digest, MinimumSeverity = e.MinimumSeverity, CreatedAt = e.CreatedAt,
    };

    public NotificationSubscription When(object fact) => fact is NotificationSubscriptionRemoved ? this with { Active = false } : this;

    public bool Wants(AlertCase alert) => Active && (SiteId is null || SiteId == alert.SiteId) && alert.Severity >= MinimumSeverity;

    /// <summary>Checks the target before anything is stored: an absolute http(s) URL, or one e-mail address.</summary>
    public static string ValidTarget(NotificationChannel channel, string? target)
    {
        var value = target?.Trim() ?? "";
        switch (channel)
        {
            case NotificationChannel.Webhook:
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || value.Length > 2000)
                    throw ClinicalRejection.Invalid("target", "A webhook target must be an absolute http or https URL.");
                return uri.ToString();
            default:
                if (!MailboxAddress.TryParse(value, out var mailbox) || string.IsNullOrEmpty(mailbox.Address) || !mailbox.Address.Contains('@') || value.Length > 320)
                    throw ClinicalRejection.Invalid("target", "An e-mail target must be one e-mail address.");
                return mailbox.Address;
        }
    }
}
