using System.Globalization;

namespace FeedbackPlatform.Notifications;

/// <summary>How deliveries are retried and where e-mail goes (environment variables in the README).</summary>
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

    public static NotificationSettings From(IConfiguration configuration)
    {
        var defaults = new NotificationSettings();
        return new NotificationSettings
        {
            RetryDelays = configuration["FEEDBACK_NOTIFY_RETRY_SECONDS"] is { Length: > 0 } delays
                ? [.. delays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => TimeSpan.FromSeconds(double.Parse(d, CultureInfo.InvariantCulture)))]
                : defaults.RetryDelays,
            SmtpHost = configuration["FEEDBACK_SMTP_HOST"] is { Length: > 0 } host ? host : defaults.SmtpHost,
            SmtpPort = int.TryParse(configuration["FEEDBACK_SMTP_PORT"], out var port) ? port : defaults.SmtpPort,
            SmtpSecurity = configuration["FEEDBACK_SMTP_SECURITY"] is { Length: > 0 } security ? security : defaults.SmtpSecurity,
            SmtpUser = configuration["FEEDBACK_SMTP_USER"],
            SmtpPassword = configuration["FEEDBACK_SMTP_PASSWORD"],
            SmtpFrom = configuration["FEEDBACK_SMTP_FROM"] is { Length: > 0 } from ? from : defaults.SmtpFrom,
        };
    }
}

/// <summary>A delivery attempt that did not reach its receiver; Wolverine retries it with the configured waits.</summary>
public sealed class NotificationDeliveryFailed(string reason, Exception? inner = null) : Exception(reason, inner);
