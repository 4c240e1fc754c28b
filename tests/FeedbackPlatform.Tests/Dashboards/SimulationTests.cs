using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Dashboards;

public sealed class SimulationFixture : PlatformFixture;

public sealed class SimulationTests(SimulationFixture platform) : IClassFixture<SimulationFixture>
{
    private const string Query = """
        query($s: AlertRuleSettingsInput!, $site: ID) {
          simulateAlertRules(settings: $s, siteId: $site) { episodes totalCurrent totalProposed kinds { kind current proposed difference } } }
        """;

    [Fact]
    public async Task Simulating_other_thresholds_over_a_sites_history_shows_the_alerts_it_would_have_raised()
    {
        var clinic = await new Clinic(platform).Register();
        for (var i = 0; i < 2; i++)
        {
            var episode = await clinic.OpenEpisode();
            (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 0), 9, 9, 9, 8.5)).At("submitSessionRating"); // 35.5
        }
        var result = await platform.GraphQL(Query, new { s = new { srsClinicalCutoff = 35.0 }, site = clinic.SiteId });
        Assert.Equal(2, result.At("simulateAlertRules.episodes")!.GetValue<int>());
        var low = result.At("simulateAlertRules.kinds")!.AsArray().Single(k => k!["kind"]!.GetValue<string>() == "LOW_ALLIANCE")!;
        Assert.Equal((2, 0, -2), (low["current"]!.GetValue<int>(), low["proposed"]!.GetValue<int>(), low["difference"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Meaningless_proposed_settings_are_refused_naming_the_setting()
    {
        var invalid = await platform.GraphQL(Query, new { s = new { orsReliableChange = 0 }, site = (Guid?)null });
        Assert.Equal(("VALIDATION_FAILED", "orsReliableChange"), (invalid.FirstCode, invalid.FirstField));
    }
}
