using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.Tests;

public class AlertSimulationTests
{
    /// <summary>A scenario's facts with the time each was taken, as a store would hand them back.</summary>
    private static List<(DateTimeOffset, object)> Timeline(Action<EpisodeScenario, List<(DateTimeOffset, object)>> play)
    {
        var scenario = new EpisodeScenario();
        var timeline = new List<(DateTimeOffset, object)> { (EpisodeScenario.Start.AddYears(-1), scenario.History[0]) };
        play(scenario, timeline);
        return timeline;
    }

    private static void Srs(EpisodeScenario s, List<(DateTimeOffset, object)> timeline, decimal total, bool rate = true)
    {
        var seen = s.History.Count;
        var session = s.Session(heldAgo: TimeSpan.Zero);
        if (rate)
            s.Take(EpisodeDecisions.SubmitSessionRating(s.State, session, EpisodeScenario.SrsOf(total), s.Now.AddHours(1), s.Settings));
        timeline.AddRange(s.History.Skip(seen).Select(e => (s.Now, e)));
    }

    [Fact]
    public void Replaying_with_the_settings_in_force_raises_what_the_rules_raised()
    {
        var timeline = Timeline((s, t) =>
        {
            foreach (var total in new[] { 39m, 35.5m, 37m, 35.5m, 38m, 36.5m })
                Srs(s, t, total);
        });
        var recorded = timeline.Select(x => x.Item2).OfType<AlertRaised>().GroupBy(a => a.Kind).ToDictionary(g => g.Key, g => g.Count());

        var result = AlertSimulation.Run(timeline, AlertRuleSettings.Defaults, DateTimeOffset.MinValue, EpisodeScenario.Start.AddYears(1));

        foreach (var (kind, count) in recorded)
            Assert.Equal(count, result.Raised[kind]);
        Assert.Equal(2, result.Raised[AlertKind.LowAlliance]);
        Assert.Equal(1, result.Episodes);
    }

    [Fact]
    public void A_lower_cutoff_and_a_larger_drop_raise_fewer_alerts()
    {
        var timeline = Timeline((s, t) =>
        {
            foreach (var total in new[] { 39m, 35.5m, 37m, 35.5m })
                Srs(s, t, total);
        });
        var end = EpisodeScenario.Start.AddYears(1);
        var current = AlertSimulation.Run(timeline, AlertRuleSettings.Defaults, DateTimeOffset.MinValue, end);
        var proposed = AlertSimulation.Run(timeline, AlertRuleSettings.Defaults with { SrsClinicalCutoff = 35m, SrsDropPoints = 2m }, DateTimeOffset.MinValue, end);

        Assert.Equal(2, current.Raised[AlertKind.LowAlliance]);
        Assert.Equal(0, proposed.Raised[AlertKind.LowAlliance]);
        // 39 → 35.5 raises a drop; 37 → 35.5 is a second fall while it is open: an occurrence, not a new alert.
        Assert.Equal(1, current.Raised[AlertKind.AllianceDrop]);
        Assert.Equal(1, proposed.Raised[AlertKind.AllianceDrop]);
        Assert.True(proposed.Total < current.Total);
    }

    [Fact]
    public void Time_based_checks_run_when_they_fall_due_in_the_replay()
    {
        var timeline = Timeline((s, t) =>
        {
            Srs(s, t, 38m);
            Srs(s, t, 38m, rate: false); // never rated: missing feedback 24 hours later
        });
        var lastSession = timeline.Select(x => x.Item2).OfType<SessionRecorded>().Last();
        var end = lastSession.RecordedAt.AddDays(30);

        var result = AlertSimulation.Run(timeline, AlertRuleSettings.Defaults, DateTimeOffset.MinValue, end);
        Assert.Equal(1, result.Raised[AlertKind.MissingFeedback]);
        // The scenario's episode opened a year before its first session (an import): out of contact then, and again
        // for the 30 days after the last session.
        Assert.Equal(2, result.Raised[AlertKind.DisengagementRisk]);

        var within = AlertSimulation.Run(timeline, AlertRuleSettings.Defaults, DateTimeOffset.MinValue, lastSession.RecordedAt.AddHours(23));
        Assert.Equal(0, within.Raised[AlertKind.MissingFeedback]);
    }
}
