using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>The episode's status at each boundary: how many alerts are open, how severe, a flagged SRS item.</summary>
public sealed class AllianceHealthTests
{
    private static AllianceHealthStatus Of(int flagged, params AlertSeverity[] open) => AllianceHealth.StatusOf(open, flagged);

    [Fact]
    public void Nothing_open_and_nothing_flagged_is_healthy() =>
        Assert.Equal(AllianceHealthStatus.Healthy, Of(0));

    [Fact]
    public void One_flagged_item_on_the_latest_srs_is_watch() =>
        Assert.Equal(AllianceHealthStatus.Watch, Of(1));

    [Theory]
    [InlineData(AlertSeverity.Low)]
    [InlineData(AlertSeverity.Medium)]
    public void One_open_alert_below_high_severity_is_watch(AlertSeverity severity)
    {
        Assert.Equal(AllianceHealthStatus.Watch, Of(0, severity));
        // A flagged item on top of it does not make it worse: only a second alert or a high one does.
        Assert.Equal(AllianceHealthStatus.Watch, Of(4, severity));
    }

    [Fact]
    public void One_open_alert_of_high_severity_is_at_risk_on_its_own() =>
        Assert.Equal(AllianceHealthStatus.AtRisk, Of(0, AlertSeverity.High));

    [Fact]
    public void Two_open_alerts_of_any_severity_are_at_risk()
    {
        Assert.Equal(AllianceHealthStatus.AtRisk, Of(0, AlertSeverity.Low, AlertSeverity.Low));
        Assert.Equal(AllianceHealthStatus.AtRisk, Of(0, AlertSeverity.Low, AlertSeverity.Medium, AlertSeverity.Low));
    }
}
