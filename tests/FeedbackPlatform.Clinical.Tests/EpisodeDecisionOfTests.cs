using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>The whole decision: which checks a command's facts start and when they fall due, which alert facts are news.</summary>
public class EpisodeDecisionOfTests
{
    private static readonly DateTimeOffset Now = EpisodeScenario.Start;
    private static readonly AlertRuleSettings Rules = AlertRuleSettings.Defaults with { MissingFeedbackAfter = TimeSpan.FromHours(30) };
    private static readonly Guid EpisodeId = new("e0e0e0e0-0000-4000-8000-000000000002");

    private static EpisodeOpened Opening(DateTimeOffset openedAt) =>
        new(EpisodeId, EpisodeScenario.SiteId, EpisodeScenario.TherapistId, "client-7", Population.Adult, openedAt, Now);

    [Fact]
    public void A_session_starts_its_feedback_clock_and_the_contact_clock_from_the_later_of_held_and_recorded()
    {
        var sessionId = Guid.NewGuid();
        // Recorded a day after it was held: both clocks from the recording.
        var late = EpisodeDecision.Of([new SessionRecorded(EpisodeId, sessionId, 1, Now.AddDays(-1), Now)], Rules);
        Assert.Equal(
            [new FollowUp(FollowUpKind.FeedbackDue, EpisodeId, sessionId, null, Now.AddHours(30)), new FollowUp(FollowUpKind.ContactDue, EpisodeId, null, null, Now.AddDays(21))],
            late.FollowUps);
        // Held (by a drifting clock) a minute after it was recorded: from the holding.
        var ahead = EpisodeDecision.Of([new SessionRecorded(EpisodeId, sessionId, 1, Now.AddMinutes(1), Now)], Rules);
        Assert.Equal(Now.AddMinutes(1).AddHours(30), ahead.FollowUps.Single(f => f.Kind == FollowUpKind.FeedbackDue).DueAt);
        Assert.Empty(late.News);
        Assert.Empty(late.AlertStreams);
    }

    [Fact]
    public void An_opening_starts_the_contact_clock_and_nothing_is_decided_for_nothing()
    {
        var opened = EpisodeDecision.Of([Opening(Now.AddDays(-3))], Rules);
        Assert.Equal([new FollowUp(FollowUpKind.ContactDue, EpisodeId, null, null, Now.AddDays(21))], opened.FollowUps);
        Assert.Same(EpisodeDecision.Nothing, EpisodeDecision.Of([], Rules));
    }

    [Fact]
    public void An_imported_history_starts_one_contact_clock_at_its_latest_fact_and_no_feedback_check_for_a_rated_session()
    {
        var rules = AlertRuleSettings.Defaults;
        var sessions = Enumerable.Range(1, 6).Select(i => new SessionHistory(Guid.NewGuid(), Now.AddDays(-60 + 7 * i),
            i == 6 ? null : EpisodeScenario.SrsOf(i is 3 ? 28m : 38m), null)).ToList();
        var events = EpisodeDecisions.ImportHistory(null, Opening(Now.AddDays(-60)), [], sessions, null, Now, rules);
        var decision = EpisodeDecision.Of(events, rules);

        Assert.Single(decision.FollowUps, f => f.Kind == FollowUpKind.ContactDue);
        Assert.Equal(Now.AddDays(21), decision.FollowUps.Single(f => f.Kind == FollowUpKind.ContactDue).DueAt);
        // Only the last session came without an SRS.
        Assert.Equal([sessions[5].SessionId], decision.FollowUps.Where(f => f.Kind == FollowUpKind.FeedbackDue).Select(f => f.SessionId!.Value));
        // The third session's low SRS raised an alert the fourth resolved: recorded in the alert's stream, but no news
        // and no escalation clock.
        var raised = events.OfType<AlertRaised>().ToList();
        Assert.NotEmpty(raised);
        Assert.All(raised, r => Assert.Contains(decision.AlertStreams, a => a.AlertId == r.AlertId && a.StartsStream));
        var settled = events.OfType<AlertResolved>().Select(r => r.AlertId).ToHashSet();
        Assert.NotEmpty(settled);
        Assert.All(raised.Where(r => settled.Contains(r.AlertId)), r =>
        {
            Assert.DoesNotContain(decision.News, n => n.AlertId == r.AlertId);
            Assert.DoesNotContain(decision.FollowUps, f => f.AlertId == r.AlertId);
        });
        Assert.Equal(events, decision.Events);
    }

    [Fact]
    public void A_raised_alert_is_news_and_starts_its_acknowledgement_clock_and_a_resolution_is_news()
    {
        var alertId = Guid.NewGuid();
        var raised = new AlertRaised(alertId, EpisodeId, EpisodeScenario.SiteId, AlertKind.LowAlliance, AlertSeverity.Medium, 2, "SRS 30.0", null, Now);
        var decision = EpisodeDecision.Of([raised], Rules);
        Assert.Equal([new AlertNews(alertId, "raised", Now)], decision.News);
        Assert.Equal([new FollowUp(FollowUpKind.AcknowledgementDue, EpisodeId, null, alertId, Now.AddHours(48))], decision.FollowUps);
        Assert.Equal([new AlertStreamFact(alertId, raised, true)], decision.AlertStreams);

        var resolved = new AlertResolved(alertId, EpisodeId, AlertKind.LowAlliance, AlertResolution.Recovered, "SRS 38.0", Now.AddDays(7));
        var later = EpisodeDecision.Of([resolved], Rules);
        Assert.Equal([new AlertNews(alertId, "resolved", Now.AddDays(7))], later.News);
        Assert.Equal([new AlertStreamFact(alertId, resolved, false)], later.AlertStreams);
        Assert.Empty(later.FollowUps);
    }
}
