namespace FeedbackPlatform.Notifications;

/// <summary>How deliveries are retried and where e-mail goes (read by Hosting/PlatformSettings; the variables are in the README).</summary>
public sealed class NotificationSettings
{
    /// <summary>FEEDBACK_NOTIFY_RETRY_SECONDS: the waits between attempts; after the last one the delivery is dead-lettered.</summary>
    public TimeSpan[] RetryDelays { get; init; } = [.. new[] { 10, 60, 300, 1800, 7200 }.Select(s => TimeSpan.FromSeconds(s))];
    public string SmtpHost { get; init; } = "localhost";
    public int SmtpPort { get; init; } = 25;
    /// <summary>none, starttls or ssl.</summary>
    public string SmtpSecurity { get; init; } = "none";
    public string? SmtpUser { get; init; }
    public string? SmtpPassword { get; init; }
    public string SmtpFrom { get; init; } = "FeedbackPlatform <alerts@feedback-platform.local>";
}

/// <summary>A delivery attempt that did not reach its receiver; Wolverine retries it with the configured waits.</summary>
public sealed class NotificationDeliveryFailed(string reason, Exception? inner = null) : Exception(reason, inner);
