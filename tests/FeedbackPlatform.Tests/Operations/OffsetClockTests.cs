using FeedbackPlatform.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FeedbackPlatform.Tests.Operations;

/// <summary>FEEDBACK_DEV_CLOCK_OFFSET: a clock ahead in Development, and no start at all anywhere else.</summary>
public sealed class OffsetClockTests
{
    private static IConfiguration Configured(string? offset) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["FEEDBACK_DB"] = "Host=unused", [OffsetClock.Setting] = offset }).Build();

    /// <summary>The clock as the platform's settings read it at start-up.</summary>
    private static TimeProvider ClockOf(IConfiguration configuration, IHostEnvironment environment) => PlatformSettings.From(configuration, environment).Clock;

    private static IHostEnvironment In(string environment) =>
        new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment };

    [Fact]
    public void Development_runs_the_clock_that_far_ahead_and_without_the_setting_the_clock_is_the_system_s()
    {
        var clock = ClockOf(Configured("00:59:30"), In(Environments.Development));
        var ahead = clock.GetUtcNow() - DateTimeOffset.UtcNow;
        Assert.InRange(ahead, TimeSpan.FromSeconds(3560), TimeSpan.FromSeconds(3571));
        Assert.Same(TimeProvider.System, ClockOf(Configured(null), In(Environments.Production)));
        Assert.Same(TimeProvider.System, ClockOf(Configured(""), In(Environments.Development)));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_Development_the_setting_stops_the_start(string environment)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ClockOf(Configured("01:00:00"), In(environment)));
        Assert.Contains("Development only", refused.Message);
    }

    [Theory]
    [InlineData("an hour")]
    [InlineData("31.00:00:00")]
    [InlineData("-31.00:00:00")]
    public void An_offset_that_is_no_time_span_or_over_30_days_is_refused(string offset)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ClockOf(Configured(offset), In(Environments.Development)));
        Assert.Contains(OffsetClock.Setting, refused.Message);
    }
}
