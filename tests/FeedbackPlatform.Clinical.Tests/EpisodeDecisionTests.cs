using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>Bad input and retries: a clear rejection with a stable code, or nothing new when it is a retry.</summary>
public class EpisodeDecisionTests
{
    [Fact]
    public void A_reassignment_goes_to_an_active_therapist_of_the_episodes_site_and_to_the_same_therapist_decides_nothing()
    {
        var scenario = new EpisodeScenario();
        var colleague = new Directory.Therapist { Id = Guid.NewGuid(), SiteId = EpisodeScenario.SiteId, DisplayName = "T2" };

        var moved = Assert.Single(EpisodeDecisions.ReassignTherapist(scenario.State, colleague, scenario.Now));
        Assert.Equal(new TherapistReassigned(scenario.State.Id, EpisodeScenario.TherapistId, colleague.Id, scenario.Now), moved);
        Assert.Empty(EpisodeDecisions.ReassignTherapist(scenario.State, colleague with { Id = EpisodeScenario.TherapistId }, scenario.Now));

        Assert.Equal(("NOT_FOUND", "therapistId"), Refusal(() => EpisodeDecisions.ReassignTherapist(scenario.State, null, scenario.Now)));
        Assert.Equal(("NOT_FOUND", "therapistId"), Refusal(() => EpisodeDecisions.ReassignTherapist(scenario.State, colleague with { Active = false }, scenario.Now)));
        Assert.Equal(("VALIDATION_FAILED", "therapistId"), Refusal(() => EpisodeDecisions.ReassignTherapist(scenario.State, colleague with { SiteId = Guid.NewGuid() }, scenario.Now)));
        Assert.Equal(("NOT_FOUND", "episodeId"), Refusal(() => EpisodeDecisions.ReassignTherapist(null, colleague, scenario.Now)));
        scenario.Take(EpisodeDecisions.Close(scenario.State, EpisodeClosure.Planned, scenario.Now));
        Assert.Equal(("CONFLICT", "episodeId"), Refusal(() => EpisodeDecisions.ReassignTherapist(scenario.State, colleague, scenario.Now)));
    }

    private static (string, string?) Refusal(Func<IReadOnlyList<object>> decide)
    {
        var rejection = Assert.Throws<ClinicalRejection>(() => decide());
        return (rejection.Code, rejection.Field);
    }

    [Fact]
    public void The_same_rating_again_is_an_idempotent_success_and_a_different_one_a_conflict()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session();
        scenario.Take(EpisodeDecisions.SubmitSessionRating(scenario.State, session, EpisodeScenario.SrsOf(38m), scenario.Now, scenario.Settings));

        Assert.Empty(EpisodeDecisions.SubmitSessionRating(scenario.State, session, EpisodeScenario.SrsOf(38m), scenario.Now, scenario.Settings));
        var conflict = Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.SubmitSessionRating(scenario.State, session, EpisodeScenario.SrsOf(37m), scenario.Now, scenario.Settings));
        Assert.Equal(ErrorCodes.Conflict, conflict.Code);
        Assert.Equal("sessionId", conflict.Field);
    }

    [Fact]
    public void A_rating_for_a_session_not_in_the_episode_is_not_found()
    {
        var scenario = new EpisodeScenario();
        var rejection = Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.SubmitOutcomeRating(scenario.State, Guid.NewGuid(), EpisodeScenario.OrsOf(20m), scenario.Now, scenario.Settings));
        Assert.Equal((ErrorCodes.NotFound, "sessionId"), (rejection.Code, rejection.Field));
    }

    [Fact]
    public void No_fact_is_taken_on_a_closed_episode()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session();
        scenario.Take(EpisodeDecisions.Close(scenario.State, EpisodeClosure.Dropout, scenario.Now));

        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.SubmitSessionRating(scenario.State, session, EpisodeScenario.SrsOf(38m), scenario.Now, scenario.Settings)).Code);
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.RecordSession(scenario.State, Guid.NewGuid(), scenario.Now, scenario.Now, scenario.Settings)).Code);
        Assert.Empty(EpisodeDecisions.Close(scenario.State, EpisodeClosure.Dropout, scenario.Now));
    }

    [Fact]
    public void Sessions_are_numbered_in_order_and_recording_one_twice_is_idempotent()
    {
        var scenario = new EpisodeScenario();
        var first = scenario.Session();
        scenario.Session();
        Assert.Equal([1, 2], scenario.Of<SessionRecorded>().Select(s => s.SessionNumber));
        var heldAt = scenario.State.Session(first)!.HeldAt;
        Assert.Empty(EpisodeDecisions.RecordSession(scenario.State, first, heldAt, scenario.Now, scenario.Settings));
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.RecordSession(scenario.State, first, heldAt.AddHours(1), scenario.Now, scenario.Settings)).Code);
    }

    [Fact]
    public void A_session_in_the_future_is_refused()
    {
        var scenario = new EpisodeScenario();
        var rejection = Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.RecordSession(scenario.State, Guid.NewGuid(), scenario.Now.AddDays(1), scenario.Now, scenario.Settings));
        Assert.Equal("heldAt", rejection.Field);
    }

    [Theory]
    [InlineData("Jane Doe")]
    [InlineData("")]
    [InlineData("a/b")]
    public void A_client_id_that_is_not_a_pseudonym_is_refused(string clientId)
    {
        var opened = new EpisodeOpened(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), clientId, Population.Adult, EpisodeScenario.Start, EpisodeScenario.Start);
        Assert.Equal("clientId", Assert.Throws<ClinicalRejection>(() => EpisodeDecisions.Open(null, opened, EpisodeScenario.Start)).Field);
    }

    [Fact]
    public void A_goal_without_a_description_is_refused()
    {
        var scenario = new EpisodeScenario();
        Assert.Equal("description", Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.RecordGoalAgreement(scenario.State, Guid.NewGuid(), "   ", true, true, scenario.Now)).Field);
    }

    [Fact]
    public void A_cancelled_session_takes_no_rating()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session();
        scenario.Take(EpisodeDecisions.CancelSession(scenario.State, session, scenario.Now));
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<ClinicalRejection>(() =>
            EpisodeDecisions.SubmitSessionRating(scenario.State, session, EpisodeScenario.SrsOf(38m), scenario.Now, scenario.Settings)).Code);
        Assert.Equal(0, scenario.State.SessionsHeld);
    }
}
