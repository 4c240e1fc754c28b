using System.Globalization;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// FEEDBACK_DEV_CLOCK_OFFSET, for Development only: the process's clock runs that far ahead of the system's (behind,
/// when negative). The shortest lifetime a client's link can have is an hour, so the browser tests open a link the
/// platform issued in a second process, on the same schema, whose clock is just under an hour ahead: there the link
/// expires seconds later, really, by that process's clock. Outside Development, setting it stops the start.
/// </summary>
public sealed class OffsetClock(TimeSpan offset) : TimeProvider
{
    public const string Setting = "FEEDBACK_DEV_CLOCK_OFFSET";
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(30);

    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    /// <summary>The system clock, or the offset one when Development asks for it (the setting's text, read by PlatformSettings).</summary>
    public static TimeProvider From(string? setting, IHostEnvironment environment)
    {
        if (setting is not { Length: > 0 } text)
            return System;
        if (!environment.IsDevelopment())
            throw new InvalidOperationException($"{Setting} is for Development only (ASPNETCORE_ENVIRONMENT=Development): unset it.");
        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var offset) || offset.Duration() > MaxOffset)
            throw new InvalidOperationException($"{Setting} must be a time span such as 00:59:30 or -2.00:00:00, at most 30 days.");
        return new OffsetClock(offset);
    }
}
