using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.FeedbackRequests;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>Feedback requests: what may be asked for, until when, once per instrument, and revoked.</summary>
public class FeedbackRequestDecisionTests
{
    private const string Hash = "0000000000000000000000000000000000000000000000000000000000000000";
    private static readonly FeedbackInstrument[] Both = [FeedbackInstrument.Srs, FeedbackInstrument.Ors];

    private static FeedbackRequest Requested(EpisodeScenario scenario, Guid session, IReadOnlyList<FeedbackInstrument> instruments, int? hours = null, IReadOnlyList<FeedbackRequest>? open = null) =>
        FeedbackRequest.From(FeedbackRequestDecisions.Request(scenario.State, open ?? [], Guid.NewGuid(), session, instruments, hours, Hash, "clinician", false, scenario.Now)
            .OfType<FeedbackRequested>().Single());

    private static ClinicalRejection Refused(EpisodeScenario scenario, Guid session, IReadOnlyList<FeedbackInstrument>? instruments, int? hours = null) =>
        Assert.Throws<ClinicalRejection>(() => FeedbackRequestDecisions.Request(scenario.State, [], Guid.NewGuid(), session, instruments, hours, Hash, "clinician", false, scenario.Now));

    [Fact]
    public void By_default_a_link_expires_24_hours_after_the_session_and_expiresInHours_counts_from_now()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session();
        var held = scenario.State.Session(session)!;
        Assert.Equal(held.FeedbackClockStart.AddHours(24), Requested(scenario, session, [FeedbackInstrument.Srs]).ExpiresAt);
        Assert.Equal(scenario.Now.AddHours(168), Requested(scenario, session, [FeedbackInstrument.Srs], 168).ExpiresAt);
        Assert.Equal(scenario.Now.AddHours(1), Requested(scenario, session, [FeedbackInstrument.Srs], 1).ExpiresAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(169)]
    [InlineData(int.MaxValue)]
    public void ExpiresInHours_outside_one_hour_to_a_week_is_refused_by_its_field(int hours)
    {
        var scenario = new EpisodeScenario();
        var rejection = Refused(scenario, scenario.Session(), [FeedbackInstrument.Srs], hours);
        Assert.Equal((ErrorCodes.ValidationFailed, "expiresInHours"), (rejection.Code, rejection.Field));
    }

    [Fact]
    public void A_session_older_than_the_default_expiry_needs_an_explicit_expiry()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session();
        scenario.Now = scenario.Now.AddHours(25);
        Assert.Equal("expiresInHours", Refused(scenario, session, [FeedbackInstrument.Ors]).Field);
        Assert.Equal(scenario.Now.AddHours(48), Requested(scenario, session, [FeedbackInstrument.Ors], 48).ExpiresAt);
    }

    [Fact]
    public void Only_a_recorded_session_not_cancelled_of_an_open_episode_and_an_instrument_not_yet_rated()
    {
        var scenario = new EpisodeScenario();
        Assert.Equal((ErrorCodes.NotFound, "sessionId"), Pair(Refused(scenario, Guid.NewGuid(), [FeedbackInstrument.Srs])));
        Assert.Equal((ErrorCodes.ValidationFailed, "sessionId"), Pair(Refused(scenario, Guid.Empty, [FeedbackInstrument.Srs])));
        var session = scenario.Session();
        Assert.Equal((ErrorCodes.ValidationFailed, "instruments"), Pair(Refused(scenario, session, [])));
        Assert.Equal((ErrorCodes.ValidationFailed, "instruments"), Pair(Refused(scenario, session, null)));
        Assert.Equal((ErrorCodes.ValidationFailed, "instruments"), Pair(Refused(scenario, session, [FeedbackInstrument.Srs, FeedbackInstrument.Srs])));

        scenario.Take(EpisodeDecisions.SubmitSessionRating(scenario.State, session, EpisodeScenario.SrsOf(38m), scenario.Now, scenario.Settings));
        Assert.Equal((ErrorCodes.Conflict, "instruments"), Pair(Refused(scenario, session, Both)));
        Assert.Equal([FeedbackInstrument.Ors], Requested(scenario, session, [FeedbackInstrument.Ors]).Instruments);

        var cancelled = scenario.Session();
        scenario.Take(EpisodeDecisions.CancelSession(scenario.State, cancelled, scenario.Now));
        Assert.Equal((ErrorCodes.Conflict, "sessionId"), Pair(Refused(scenario, cancelled, [FeedbackInstrument.Srs])));

        var last = scenario.Session();
        scenario.Take(EpisodeDecisions.Close(scenario.State, EpisodeClosure.Planned, scenario.Now));
        Assert.Equal((ErrorCodes.Conflict, "episodeId"), Pair(Refused(scenario, last, [FeedbackInstrument.Srs])));
        Assert.Equal((ErrorCodes.NotFound, "episodeId"), Pair(Assert.Throws<ClinicalRejection>(() =>
            FeedbackRequestDecisions.Request(null, [], Guid.NewGuid(), last, [FeedbackInstrument.Srs], null, Hash, "c", false, scenario.Now))));
    }

    [Fact]
    public void A_new_request_supersedes_the_open_ones_of_the_same_session_that_share_an_instrument()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session();
        var other = scenario.Session();
        // The first session is a week old by now: its links are given a lifetime of their own.
        var srs = Requested(scenario, session, [FeedbackInstrument.Srs], 48);
        var ors = Requested(scenario, session, [FeedbackInstrument.Ors], 48);
        var elsewhere = Requested(scenario, other, [FeedbackInstrument.Srs]);
        var revoked = srs.When(new FeedbackRequestRevoked(srs.Id, FeedbackRequestRevocation.Revoked, "c", scenario.Now)) with { Id = Guid.NewGuid() };

        var events = FeedbackRequestDecisions.Request(scenario.State, [srs, ors, elsewhere, revoked], Guid.NewGuid(), session, [FeedbackInstrument.Srs], 48, Hash, "c", false, scenario.Now);
        var superseded = Assert.Single(events.OfType<FeedbackRequestRevoked>());
        Assert.Equal((srs.Id, FeedbackRequestRevocation.Superseded), (superseded.RequestId, superseded.Reason));
        Assert.IsType<FeedbackRequested>(events[^1]);
    }

    [Fact]
    public void Each_instrument_is_used_once_and_the_link_is_used_up_when_all_are()
    {
        var scenario = new EpisodeScenario();
        var request = Requested(scenario, scenario.Session(), Both);
        Assert.Equal([FeedbackInstrument.Ors, FeedbackInstrument.Srs], request.Instruments);

        request = Fold(request, FeedbackRequestDecisions.Use(request, scenario.State, FeedbackInstrument.Srs, scenario.Now));
        Assert.Equal(FeedbackRequestStatus.Open, request.StatusAt(scenario.Now));
        Assert.Equal([FeedbackInstrument.Ors], request.Pending);
        Assert.Equal(FeedbackLinkRefusal.Used, Assert.Throws<FeedbackLinkUnusable>(() => FeedbackRequestDecisions.Use(request, scenario.State, FeedbackInstrument.Srs, scenario.Now)).Reason);

        request = Fold(request, FeedbackRequestDecisions.Use(request, scenario.State, FeedbackInstrument.Ors, scenario.Now));
        Assert.Equal(FeedbackRequestStatus.Used, request.StatusAt(scenario.Now));
        Assert.Equal(FeedbackLinkRefusal.Used, Assert.Throws<FeedbackLinkUnusable>(() => FeedbackRequestDecisions.Use(request, scenario.State, FeedbackInstrument.Ors, scenario.Now)).Reason);
    }

    [Fact]
    public void A_link_grants_only_its_own_instruments()
    {
        var scenario = new EpisodeScenario();
        var request = Requested(scenario, scenario.Session(), [FeedbackInstrument.Srs]);
        var rejection = Assert.Throws<ClinicalRejection>(() => FeedbackRequestDecisions.Use(request, scenario.State, FeedbackInstrument.Ors, scenario.Now));
        Assert.Equal((ErrorCodes.ValidationFailed, "instrument"), Pair(rejection));
    }

    [Fact]
    public void A_link_whose_session_was_cancelled_rated_or_whose_episode_closed_after_it_was_issued_is_unusable()
    {
        var scenario = new EpisodeScenario();
        var cancelled = scenario.Session();
        var rated = scenario.Session();
        var open = scenario.Session();
        // The earlier sessions are days old by now: the links are given a lifetime of their own.
        var ofCancelled = Requested(scenario, cancelled, [FeedbackInstrument.Srs], 48);
        var ofRated = Requested(scenario, rated, Both, 48);
        var ofOpen = Requested(scenario, open, [FeedbackInstrument.Srs], 48);
        Assert.Equal([FeedbackInstrument.Ors, FeedbackInstrument.Srs], FeedbackRequestDecisions.Answerable(ofRated, scenario.State, scenario.Now));

        scenario.Take(EpisodeDecisions.CancelSession(scenario.State, cancelled, scenario.Now));
        Assert.Equal(FeedbackRequestStatus.Open, ofCancelled.StatusAt(scenario.Now));
        Assert.Empty(FeedbackRequestDecisions.Answerable(ofCancelled, scenario.State, scenario.Now));
        Assert.Equal(FeedbackLinkRefusal.SessionClosed,
            Assert.Throws<FeedbackLinkUnusable>(() => FeedbackRequestDecisions.Use(ofCancelled, scenario.State, FeedbackInstrument.Srs, scenario.Now)).Reason);

        // The clinician entered the SRS meanwhile: the link still takes the ORS, not the SRS.
        scenario.Take(EpisodeDecisions.SubmitSessionRating(scenario.State, rated, EpisodeScenario.SrsOf(36m), scenario.Now, scenario.Settings));
        Assert.Equal([FeedbackInstrument.Ors], FeedbackRequestDecisions.Answerable(ofRated, scenario.State, scenario.Now));
        Assert.Equal(FeedbackLinkRefusal.SessionClosed,
            Assert.Throws<FeedbackLinkUnusable>(() => FeedbackRequestDecisions.Use(ofRated, scenario.State, FeedbackInstrument.Srs, scenario.Now)).Reason);
        Assert.IsType<FeedbackRequestUsed>(Assert.Single(FeedbackRequestDecisions.Use(ofRated, scenario.State, FeedbackInstrument.Ors, scenario.Now)));

        Assert.Single(FeedbackRequestDecisions.Use(ofOpen, scenario.State, FeedbackInstrument.Srs, scenario.Now));
        scenario.Take(EpisodeDecisions.Close(scenario.State, EpisodeClosure.Planned, scenario.Now));
        Assert.Empty(FeedbackRequestDecisions.Answerable(ofOpen, scenario.State, scenario.Now));
        Assert.Equal(FeedbackLinkRefusal.SessionClosed,
            Assert.Throws<FeedbackLinkUnusable>(() => FeedbackRequestDecisions.Use(ofOpen, scenario.State, FeedbackInstrument.Srs, scenario.Now)).Reason);
        // No episode at all (erased, or never there): the same.
        Assert.Empty(FeedbackRequestDecisions.Answerable(ofOpen, null, scenario.Now));
    }

    [Fact]
    public void A_clinician_sees_a_link_that_can_no_longer_be_answered_as_used_or_as_its_session_closed()
    {
        var scenario = new EpisodeScenario();
        var cancelled = scenario.Session();
        var rated = scenario.Session();
        var open = scenario.Session();
        var ofCancelled = Requested(scenario, cancelled, [FeedbackInstrument.Srs], 48);
        var ofRated = Requested(scenario, rated, [FeedbackInstrument.Srs], 48);
        var ofOpen = Requested(scenario, open, Both, 48);
        Assert.All([ofCancelled, ofRated, ofOpen], r => Assert.Equal(FeedbackRequestStatus.Open, FeedbackRequestDecisions.StatusOf(r, scenario.State, scenario.Now)));

        scenario.Take(EpisodeDecisions.CancelSession(scenario.State, cancelled, scenario.Now));
        scenario.Take(EpisodeDecisions.SubmitSessionRating(scenario.State, rated, EpisodeScenario.SrsOf(36m), scenario.Now, scenario.Settings));
        Assert.Equal(FeedbackRequestStatus.SessionClosed, FeedbackRequestDecisions.StatusOf(ofCancelled, scenario.State, scenario.Now));
        // Its one instrument entered by the clinician: nothing is missing, so it counts as used.
        Assert.Equal(FeedbackRequestStatus.Used, FeedbackRequestDecisions.StatusOf(ofRated, scenario.State, scenario.Now));
        Assert.Equal(FeedbackRequestStatus.Open, FeedbackRequestDecisions.StatusOf(ofOpen, scenario.State, scenario.Now));
        // Its own facts come first: past its expiry it is expired, whatever the session.
        Assert.Equal(FeedbackRequestStatus.Expired, FeedbackRequestDecisions.StatusOf(ofCancelled, scenario.State, ofCancelled.ExpiresAt));

        scenario.Take(EpisodeDecisions.Close(scenario.State, EpisodeClosure.Planned, scenario.Now));
        Assert.Equal(FeedbackRequestStatus.SessionClosed, FeedbackRequestDecisions.StatusOf(ofOpen, scenario.State, scenario.Now));
        Assert.Equal(FeedbackRequestStatus.SessionClosed, FeedbackRequestDecisions.StatusOf(ofOpen, null, scenario.Now));
    }

    [Fact]
    public void An_expired_or_revoked_link_is_unusable_and_revoking_twice_changes_nothing()
    {
        var scenario = new EpisodeScenario();
        var request = Requested(scenario, scenario.Session(), [FeedbackInstrument.Srs], 2);
        Assert.Equal(FeedbackRequestStatus.Open, request.StatusAt(request.ExpiresAt.AddTicks(-1)));
        Assert.Equal(FeedbackLinkRefusal.Expired, Assert.Throws<FeedbackLinkUnusable>(() => FeedbackRequestDecisions.Use(request, scenario.State, FeedbackInstrument.Srs, request.ExpiresAt)).Reason);

        var revoked = Fold(request, FeedbackRequestDecisions.Revoke(request, "clinician", scenario.Now));
        Assert.Equal(FeedbackLinkRefusal.Revoked, Assert.Throws<FeedbackLinkUnusable>(() => FeedbackRequestDecisions.Use(revoked, scenario.State, FeedbackInstrument.Srs, scenario.Now)).Reason);
        Assert.Empty(FeedbackRequestDecisions.Revoke(revoked, "clinician", scenario.Now));
        Assert.Equal((ErrorCodes.NotFound, "requestId"), Pair(Assert.Throws<ClinicalRejection>(() => FeedbackRequestDecisions.Revoke(null, "c", scenario.Now))));
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<ClinicalRejection>(() => FeedbackRequestDecisions.SentByEmail(revoked, scenario.Now)).Code);
    }

    [Fact]
    public void The_automatic_request_asks_for_the_SRS_without_a_link_and_nothing_when_there_is_nothing_to_ask()
    {
        var scenario = new EpisodeScenario();
        var session = scenario.Session();
        var requested = Assert.IsType<FeedbackRequested>(Assert.Single(FeedbackRequestDecisions.RequestAutomatically(scenario.State, Guid.NewGuid(), session, scenario.Now)));
        Assert.Equal([FeedbackInstrument.Srs], requested.Instruments);
        Assert.Null(requested.TokenHash);
        Assert.True(requested.Automatic);
        // Without a link there is nothing to e-mail.
        Assert.Throws<ClinicalRejection>(() => FeedbackRequestDecisions.SentByEmail(FeedbackRequest.From(requested), scenario.Now));

        scenario.Take(EpisodeDecisions.SubmitSessionRating(scenario.State, session, EpisodeScenario.SrsOf(38m), scenario.Now, scenario.Settings));
        Assert.Empty(FeedbackRequestDecisions.RequestAutomatically(scenario.State, Guid.NewGuid(), session, scenario.Now));
    }

    [Fact]
    public void Wording_follows_the_browser_among_the_organization_s_languages_and_populations()
    {
        var german = new InstrumentWording(FeedbackInstrument.Srs, Population.Adult, "de", [new("Beziehung"), new("Ziele und Themen"), new("Vorgehen"), new("Insgesamt")]);
        var english = new InstrumentWording(FeedbackInstrument.Srs, Population.Adult, "en", [new("Relationship", "I did not feel heard", "I felt heard"), new("Goals"), new("Approach"), new("Overall")]);
        var child = new InstrumentWording(FeedbackInstrument.Srs, Population.Child, "en", [new("Listening"), new("How important"), new("What we did"), new("Overall")]);
        var events = ClientFeedbackSettingsDecisions.Change(ClientFeedbackSettings.Defaults, Guid.NewGuid(), null, null, [english, german, child], "admin", EpisodeScenario.Start);
        var settings = ClientFeedbackSettings.From(Assert.IsType<ClientFeedbackSettingsChanged>(Assert.Single(events)));

        Assert.Equal("de", settings.WordingFor(FeedbackInstrument.Srs, Population.Adult, "de-AT,de;q=0.9,en;q=0.5").Language);
        Assert.Equal("Beziehung", settings.WordingFor(FeedbackInstrument.Srs, Population.Adult, "de-AT").Items[0].Label);
        Assert.Equal("en", settings.WordingFor(FeedbackInstrument.Srs, Population.Adult, "fr, en;q=0.1").Language);
        Assert.Equal("en", settings.WordingFor(FeedbackInstrument.Srs, Population.Adult, "fr").Language); // the organization's first
        Assert.Equal("I felt heard", settings.WordingFor(FeedbackInstrument.Srs, Population.Adult, null).Items[0].High);
        // A child's wording where the organization has one; an adolescent reads the adults'.
        Assert.Equal("Listening", settings.WordingFor(FeedbackInstrument.Srs, Population.Child, "de").Items[0].Label);
        Assert.Equal("Beziehung", settings.WordingFor(FeedbackInstrument.Srs, Population.Adolescent, "de").Items[0].Label);
        // No wording for the ORS: the item names.
        Assert.Equal(["Individually", "Interpersonally", "Socially", "Overall"], settings.WordingFor(FeedbackInstrument.Ors, Population.Adult, "de").Items.Select(i => i.Label));
        Assert.Equal(["Relationship", "Goals and topics", "Approach or method", "Overall"], ClientFeedbackSettings.Defaults.WordingFor(FeedbackInstrument.Srs, Population.Adult, "de").Items.Select(i => i.Label));
        // The same settings again change nothing.
        Assert.Empty(ClientFeedbackSettingsDecisions.Change(settings, settings.Id, null, null, [english, german, child], "admin", EpisodeScenario.Start));
    }

    [Theory]
    [InlineData("english", "", "wordings[0].language")]
    [InlineData("en", "", "wordings[0].items[1].label")]
    [InlineData("en", "\u0007", "wordings[0].items[1].label")]
    public void Wording_is_refused_by_its_path(string language, string label, string field)
    {
        var wording = new InstrumentWording(FeedbackInstrument.Ors, Population.Adult, language, [new("A"), new(label), new("C"), new("D")]);
        var rejection = Assert.Throws<ClinicalRejection>(() => ClientFeedbackSettingsDecisions.Change(ClientFeedbackSettings.Defaults, Guid.NewGuid(), true, null, [wording], "admin", EpisodeScenario.Start));
        Assert.Equal((ErrorCodes.ValidationFailed, field), Pair(rejection));
        var three = wording with { Language = "en", Items = [new("A"), new("B"), new("C")] };
        Assert.Equal("wordings[0].items", Assert.Throws<ClinicalRejection>(() =>
            ClientFeedbackSettingsDecisions.Change(ClientFeedbackSettings.Defaults, Guid.NewGuid(), true, null, [three], "admin", EpisodeScenario.Start)).Field);
        var twice = wording with { Language = "en", Items = [new("A"), new("B"), new("C"), new("D")] };
        Assert.Equal("wordings[1].language", Assert.Throws<ClinicalRejection>(() =>
            ClientFeedbackSettingsDecisions.Change(ClientFeedbackSettings.Defaults, Guid.NewGuid(), true, null, [twice, twice with { Language = "EN" }], "admin", EpisodeScenario.Start)).Field);
    }

    private static FeedbackRequest Fold(FeedbackRequest request, IReadOnlyList<object> events) => events.Aggregate(request, (r, e) => r.When(e));

    private static (string, string) Pair(ClinicalRejection rejection) => (rejection.Code, rejection.Field);
}
