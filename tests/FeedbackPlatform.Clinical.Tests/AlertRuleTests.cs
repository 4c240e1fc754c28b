using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>Every row of the alert rules table at its boundaries, with the spec's default numbers.</summary>
public class AlertRuleTests
{
    // LOW_ALLIANCE

    [Fact]
    public void An_SRS_of_35_9_raises_low_alliance_and_36_0_does_not()
    {
        var low = new EpisodeScenario();
        low.Srs(35.9m);
        var raised = Assert.Single(low.Of<AlertRaised>());
        Assert.Equal(AlertKind.LowAlliance, raised.Kind);
        Assert.Equal(1, raised.SessionNumber);

        var fine = new EpisodeScenario();
        fine.Srs(36.0m);
        Assert.Empty(fine.Of<AlertRaised>());
    }

    [Fact]
    public void With_an_inclusive_cutoff_36_0_raises_low_alliance()
    {
        var scenario = new EpisodeScenario { Settings = AlertRuleSettings.Defaults with { SrsCutoffInclusive = true } };
        scenario.Srs(36.0m);
        Assert.Equal(AlertKind.LowAlliance, Assert.Single(scenario.Of<AlertRaised>()).Kind);
    }

    [Fact]
    public void A_second_low_SRS_is_an_occurrence_of_the_open_alert_and_36_resolves_it_as_recovered()
    {
        var scenario = new EpisodeScenario();
        scenario.Srs(34.0m);
        scenario.Srs(34.5m);
        Assert.Single(scenario.Of<AlertRaised>(), a => a.Kind == AlertKind.LowAlliance);
        Assert.Equal(2, scenario.Open(AlertKind.LowAlliance)!.Occurrences);

        scenario.Srs(36.0m);
        var resolved = Assert.Single(scenario.Of<AlertResolved>(), r => r.Kind == AlertKind.LowAlliance);
        Assert.Equal(AlertResolution.Recovered, resolved.Resolution);
        Assert.Null(scenario.Open(AlertKind.LowAlliance));
    }

    [Fact]
    public void A_trigger_after_resolution_raises_a_new_alert_with_a_new_id()
    {
        var scenario = new EpisodeScenario();
        scenario.Srs(35.0m);
        scenario.Srs(37.0m);
        scenario.Srs(35.0m);
        var raised = scenario.Of<AlertRaised>().Where(a => a.Kind == AlertKind.LowAlliance).ToList();
        Assert.Equal(2, raised.Count);
        Assert.NotEqual(raised[0].AlertId, raised[1].AlertId);
    }

    // ALLIANCE_DROP

    [Fact]
    public void A_fall_of_exactly_1_0_is_a_drop_and_0_9_is_not()
    {
        var drop = new EpisodeScenario();
        drop.Srs(39.0m);
        drop.Srs(38.0m);
        var raised = Assert.Single(drop.Of<AlertRaised>());
        Assert.Equal(AlertKind.AllianceDrop, raised.Kind);
        Assert.Equal(39.0m, raised.RepairReference);
        Assert.Equal(2, raised.SessionNumber);

        var small = new EpisodeScenario();
        small.Srs(39.0m);
        small.Srs(38.1m);
        Assert.Empty(small.Of<AlertRaised>());
    }

    [Fact]
    public void Repair_is_measured_against_the_total_before_the_drop_that_raised_the_alert()
    {
        var scenario = new EpisodeScenario();
        scenario.Srs(39.0m);
        scenario.Srs(38.0m); // drop: raises, repair reference 39.0
        scenario.Srs(37.0m); // second drop: an occurrence; the reference stays 39.0
        Assert.Equal(2, scenario.Open(AlertKind.AllianceDrop)!.Occurrences);
        Assert.Equal(39.0m, scenario.Open(AlertKind.AllianceDrop)!.RepairReference);

        scenario.Srs(38.9m); // back above the second drop's start, not to the first's
        Assert.DoesNotContain(scenario.Of<AlertResolved>(), r => r.Kind == AlertKind.AllianceDrop);

        scenario.Srs(39.0m);
        var repaired = Assert.Single(scenario.Of<AlertResolved>(), r => r.Kind == AlertKind.AllianceDrop);
        Assert.Equal(AlertResolution.Repaired, repaired.Resolution);
    }

    [Fact]
    public void Within_one_rating_resolution_is_checked_before_raising()
    {
        var scenario = new EpisodeScenario();
        scenario.Srs(35.0m);                // LOW_ALLIANCE open
        var events = scenario.Srs(37.0m);   // resolves LOW_ALLIANCE
        Assert.IsType<SessionRatingSubmitted>(events[0]);
        Assert.Equal(AlertKind.LowAlliance, Assert.IsType<AlertResolved>(events[1]).Kind);

        var dropped = scenario.Srs(35.5m);  // a drop of 1.5 and under 36: LOW_ALLIANCE raised anew, ALLIANCE_DROP raised
        Assert.Equal([AlertKind.LowAlliance, AlertKind.AllianceDrop], dropped.OfType<AlertRaised>().Select(a => a.Kind));
    }

    // OUTCOME_DETERIORATION and NOT_ON_TRACK

    [Fact]
    public void An_ORS_at_exactly_intake_minus_5_raises_deterioration_and_a_tenth_more_does_not()
    {
        var at = new EpisodeScenario();
        at.Ors(20.0m);
        at.Ors(15.0m);
        Assert.Contains(at.Of<AlertRaised>(), a => a.Kind == AlertKind.OutcomeDeterioration);

        var above = new EpisodeScenario();
        above.Ors(20.0m);
        above.Ors(15.1m);
        Assert.DoesNotContain(above.Of<AlertRaised>(), a => a.Kind == AlertKind.OutcomeDeterioration);
    }

    [Fact]
    public void Deterioration_recovers_once_the_ORS_is_above_intake_minus_5()
    {
        var scenario = new EpisodeScenario();
        scenario.Ors(20.0m);
        scenario.Ors(14.0m);
        scenario.Ors(15.0m);
        Assert.DoesNotContain(scenario.Of<AlertResolved>(), r => r.Kind == AlertKind.OutcomeDeterioration);
        scenario.Ors(15.1m);
        Assert.Equal(AlertResolution.Recovered, Assert.Single(scenario.Of<AlertResolved>(), r => r.Kind == AlertKind.OutcomeDeterioration).Resolution);
    }

    [Fact]
    public void Not_on_track_is_first_evaluated_at_the_third_ORS()
    {
        var scenario = new EpisodeScenario();
        scenario.Ors(20.0m);
        scenario.Ors(21.0m);
        Assert.DoesNotContain(scenario.Of<AlertRaised>(), a => a.Kind == AlertKind.NotOnTrack);
        scenario.Ors(21.0m);
        var raised = Assert.Single(scenario.Of<AlertRaised>(), a => a.Kind == AlertKind.NotOnTrack);
        Assert.Equal(3, raised.SessionNumber);

        scenario.Ors(25.0m); // intake + 5
        Assert.Single(scenario.Of<AlertResolved>(), r => r.Kind == AlertKind.NotOnTrack);
    }

    [Theory]
    [InlineData(Population.Adolescent, 24.0, 27.9, true)]
    [InlineData(Population.Adolescent, 24.0, 28.0, false)]
    [InlineData(Population.Adult, 24.0, 27.9, false)]
    [InlineData(Population.Child, 27.5, 31.9, true)]
    [InlineData(Population.Child, 27.5, 32.0, false)]
    public void Not_on_track_uses_the_population_cutoff(Population population, double intake, double third, bool raises)
    {
        var scenario = new EpisodeScenario(population);
        scenario.Ors((decimal)intake);
        scenario.Ors((decimal)intake);
        scenario.Ors((decimal)third); // under intake + 5 in every case: only the cutoff decides
        Assert.Equal(raises, scenario.Of<AlertRaised>().Any(a => a.Kind == AlertKind.NotOnTrack));
    }

    [Fact]
    public void The_intake_ORS_raises_nothing_even_when_very_low()
    {
        var scenario = new EpisodeScenario();
        scenario.Ors(3.0m);
        Assert.Empty(scenario.Of<AlertRaised>());
        Assert.Null(scenario.Of<OutcomeRatingSubmitted>().Single().Change);
    }

    // NO_GOAL_CONSENSUS

    [Fact]
    public void No_goal_consensus_is_raised_at_the_third_session_and_resolved_by_an_agreed_goal()
    {
        var scenario = new EpisodeScenario();
        scenario.Session();
        scenario.Session();
        Assert.Empty(scenario.Of<AlertRaised>());
        scenario.Session();
        var raised = Assert.Single(scenario.Of<AlertRaised>());
        Assert.Equal(AlertKind.NoGoalConsensus, raised.Kind);
        Assert.Equal(3, raised.SessionNumber);

        scenario.Session();
        Assert.Equal(2, scenario.Open(AlertKind.NoGoalConsensus)!.Occurrences);

        var goal = Guid.NewGuid();
        scenario.Take(EpisodeDecisions.RecordGoalAgreement(scenario.State, goal, "Sleep through the night", true, false, scenario.Now));
        Assert.NotNull(scenario.Open(AlertKind.NoGoalConsensus)); // the therapist has not agreed yet

        scenario.Take(EpisodeDecisions.ReviseGoal(scenario.State, goal, "Sleep through the night", true, true, scenario.Now));
        Assert.Equal(AlertResolution.Recovered, Assert.Single(scenario.Of<AlertResolved>()).Resolution);
    }

    [Fact]
    public void An_agreed_goal_before_the_third_session_prevents_the_alert()
    {
        var scenario = new EpisodeScenario();
        scenario.Take(EpisodeDecisions.RecordGoalAgreement(scenario.State, Guid.NewGuid(), "Return to work", true, true, scenario.Now));
        scenario.Session();
        scenario.Session();
        scenario.Session();
        Assert.Empty(scenario.Of<AlertRaised>());
    }

    // MISSING_FEEDBACK and DISENGAGEMENT_RISK (time-based, checked by scheduled messages)

    [Fact]
    public void Missing_feedback_is_raised_24_hours_after_the_session_and_resolved_when_the_SRS_arrives()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session(heldAgo: TimeSpan.Zero);
        var held = scenario.Now;

        Assert.Empty(EpisodeDecisions.CheckFeedbackDue(scenario.State, session, held.AddHours(23.9), scenario.Settings));
        var due = scenario.Take(EpisodeDecisions.CheckFeedbackDue(scenario.State, session, held.AddHours(24), scenario.Settings));
        Assert.Equal(AlertKind.MissingFeedback, Assert.IsType<AlertRaised>(Assert.Single(due)).Kind);

        // The same check delivered twice decides nothing more.
        Assert.Empty(EpisodeDecisions.CheckFeedbackDue(scenario.State, session, held.AddHours(25), scenario.Settings));

        scenario.Take(EpisodeDecisions.SubmitSessionRating(scenario.State, session, EpisodeScenario.SrsOf(38m), held.AddHours(30), scenario.Settings));
        Assert.Equal(AlertKind.MissingFeedback, Assert.Single(scenario.Of<AlertResolved>()).Kind);
    }

    [Fact]
    public void An_imported_past_session_starts_its_feedback_clock_when_it_is_recorded()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session(heldAgo: TimeSpan.FromDays(60));
        Assert.Empty(EpisodeDecisions.CheckFeedbackDue(scenario.State, session, scenario.Now.AddHours(23), scenario.Settings));
        Assert.Single(EpisodeDecisions.CheckFeedbackDue(scenario.State, session, scenario.Now.AddHours(24), scenario.Settings));
    }

    [Fact]
    public void A_check_that_finds_its_condition_gone_does_nothing()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session();
        scenario.Take(EpisodeDecisions.SubmitSessionRating(scenario.State, session, EpisodeScenario.SrsOf(38m), scenario.Now, scenario.Settings));
        Assert.Empty(EpisodeDecisions.CheckFeedbackDue(scenario.State, session, scenario.Now.AddDays(2), scenario.Settings));

        scenario.Take(EpisodeDecisions.Close(scenario.State, EpisodeClosure.Planned, scenario.Now));
        Assert.Empty(EpisodeDecisions.CheckContactDue(scenario.State, scenario.Now.AddDays(60), scenario.Settings));
    }

    [Fact]
    public void Disengagement_is_raised_after_21_days_without_a_session_and_resolved_by_the_next_session()
    {
        var scenario = new EpisodeScenario();
        scenario.Session(heldAgo: TimeSpan.Zero);
        var last = scenario.Now;
        Assert.Empty(EpisodeDecisions.CheckContactDue(scenario.State, last.AddDays(20.9), scenario.Settings));
        scenario.Take(EpisodeDecisions.CheckContactDue(scenario.State, last.AddDays(21), scenario.Settings));
        Assert.Equal(AlertKind.DisengagementRisk, scenario.Of<AlertRaised>().Single().Kind);

        scenario.Now = last.AddDays(22);
        scenario.Take(EpisodeDecisions.RecordSession(scenario.State, Guid.NewGuid(), scenario.Now, scenario.Now, scenario.Settings));
        Assert.Equal(AlertKind.DisengagementRisk, Assert.Single(scenario.Of<AlertResolved>()).Kind);
    }

    [Fact]
    public void An_imported_episode_opened_long_ago_starts_its_contact_clock_when_recorded()
    {
        var recorded = EpisodeScenario.Start;
        var opened = new EpisodeOpened(Guid.NewGuid(), EpisodeScenario.SiteId, EpisodeScenario.TherapistId, "c-7", Population.Adult, recorded.AddDays(-90), recorded);
        var state = EpisodeOfCare.From(opened);
        Assert.Empty(EpisodeDecisions.CheckContactDue(state, recorded.AddDays(20), AlertRuleSettings.Defaults));
        Assert.Single(EpisodeDecisions.CheckContactDue(state, recorded.AddDays(21), AlertRuleSettings.Defaults));
    }

    // Settings

    [Fact]
    public void Changed_settings_apply_to_the_next_fact()
    {
        var scenario = new EpisodeScenario { Settings = AlertRuleSettings.Defaults with { SrsClinicalCutoff = 30.0m } };
        scenario.Srs(34.0m);
        Assert.Empty(scenario.Of<AlertRaised>());
        scenario.Settings = AlertRuleSettings.Defaults;
        scenario.Srs(34.0m);
        Assert.Equal(AlertKind.LowAlliance, Assert.Single(scenario.Of<AlertRaised>()).Kind);
    }

    [Theory]
    [InlineData("srsClinicalCutoff")]
    [InlineData("orsReliableChange")]
    [InlineData("srsDropPoints")]
    [InlineData("orsCutoffChild")]
    [InlineData("missingFeedbackAfter")]
    public void Meaningless_settings_are_refused_naming_the_setting(string field)
    {
        var settings = field switch
        {
            "srsClinicalCutoff" => AlertRuleSettings.Defaults with { SrsClinicalCutoff = -1m },
            "orsReliableChange" => AlertRuleSettings.Defaults with { OrsReliableChange = 0m },
            "srsDropPoints" => AlertRuleSettings.Defaults with { SrsDropPoints = -0.5m },
            "orsCutoffChild" => AlertRuleSettings.Defaults with { OrsCutoffChild = 41m },
            _ => AlertRuleSettings.Defaults with { MissingFeedbackAfter = TimeSpan.Zero },
        };
        var rejection = Assert.Throws<ClinicalRejection>(() => settings.Validated());
        Assert.Equal(field, rejection.Field);
        Assert.Equal(ErrorCodes.ValidationFailed, rejection.Code);
    }

    [Fact]
    public void Alert_ids_follow_from_episode_kind_and_ordinal()
    {
        var episode = Guid.NewGuid();
        Assert.Equal(AlertIds.For(episode, AlertKind.LowAlliance, 1), AlertIds.For(episode, AlertKind.LowAlliance, 1));
        Assert.NotEqual(AlertIds.For(episode, AlertKind.LowAlliance, 1), AlertIds.For(episode, AlertKind.LowAlliance, 2));
        Assert.NotEqual(AlertIds.For(episode, AlertKind.LowAlliance, 1), AlertIds.For(episode, AlertKind.AllianceDrop, 1));
    }
}
