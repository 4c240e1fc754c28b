namespace FeedbackPlatform.Demo;

/// <summary>The clock of a seeding run: the seeder walks it through the past so the demo has a history.</summary>
public sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
}
