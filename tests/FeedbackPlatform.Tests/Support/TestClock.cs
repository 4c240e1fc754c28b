namespace FeedbackPlatform.Tests.Support;

/// <summary>A clock the test moves by hand, so that 24 hours or 21 days pass in no time at all.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}
