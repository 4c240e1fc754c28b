using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Alerts;

public sealed class AcknowledgeAlertsFixture : PlatformFixture;

/// <summary>
/// A director acknowledges several alerts of the inbox at once, each as acknowledgeAlert would, under the same access
/// rules per alert; one refused alert refuses the lot and nothing is stored.
/// </summary>
public sealed class AcknowledgeAlertsTests(AcknowledgeAlertsFixture platform) : IClassFixture<AcknowledgeAlertsFixture>
{
    private const string Acknowledge = "mutation($i: AcknowledgeAlertsInput!) { acknowledgeAlerts(input: $i) { id status acknowledgedAt acknowledgedBy notes } }";

    /// <summary>A site of its own with one open LOW_ALLIANCE alert per episode asked for.</summary>
    private async Task<(Clinic Clinic, string[] Alerts)> SiteWithOpenAlerts(int count)
    {
        var clinic = await new Clinic(platform).Register();
        var alerts = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var episode = await clinic.OpenEpisode();
            (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode), 8, 8, 8, 8)).At("submitSessionRating");
            var raised = await platform.GraphQL("query($id: ID!) { episode(id: $id) { alerts { id kind } } }", new { id = episode });
            alerts.Add(raised.At("episode.alerts")!.AsArray().Single(a => a!["kind"]!.GetValue<string>() == "LOW_ALLIANCE")!["id"]!.GetValue<string>());
        }
        return (clinic, [.. alerts]);
    }

    private string DirectorOf(Clinic clinic) => Tokens.For("director", platform.Organization, [clinic.SiteId], subject: "director-" + clinic.SiteId.ToString("N")[..8]);

    private async Task<string> StatusOf(string alertId) =>
        (await platform.GraphQL("query($id: ID!) { alert(id: $id) { status } }", new { id = alertId })).At("alert.status")!.GetValue<string>();

    [Fact]
    public async Task A_director_acknowledges_several_alerts_of_the_site_at_once_with_one_note()
    {
        var (clinic, alerts) = await SiteWithOpenAlerts(2);
        var director = DirectorOf(clinic);

        var response = await platform.GraphQL(Acknowledge, new { i = new { alertIds = alerts, note = "Seen in the Monday review" } }, token: director);
        var answered = response.At("acknowledgeAlerts")!.AsArray();
        Assert.Equal(alerts, answered.Select(a => a!["id"]!.GetValue<string>()));
        Assert.All(answered, a =>
        {
            Assert.Equal("ACKNOWLEDGED", a!["status"]!.GetValue<string>());
            Assert.Equal("director-" + clinic.SiteId.ToString("N")[..8], a["acknowledgedBy"]!.GetValue<string>());
            Assert.Equal(["Seen in the Monday review"], a["notes"]!.AsArray().Select(n => n!.GetValue<string>()));
        });
        foreach (var alert in alerts)
            Assert.Equal("ACKNOWLEDGED", await StatusOf(alert));

        // Sent again (or an alert named twice): nothing more is decided, the first acknowledgement stands.
        var events = await platform.EventCount();
        var again = await platform.GraphQL(Acknowledge, new { i = new { alertIds = new[] { alerts[0], alerts[0] }, note = "again" } }, token: director);
        var once = Assert.Single(again.At("acknowledgeAlerts")!.AsArray());
        Assert.Equal(answered[0]!["acknowledgedAt"]!.GetValue<string>(), once!["acknowledgedAt"]!.GetValue<string>());
        Assert.Equal(["Seen in the Monday review"], once["notes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(events, await platform.EventCount());
    }

    [Fact]
    public async Task Another_sites_alert_is_answered_as_a_missing_one_and_nothing_is_acknowledged()
    {
        var (clinic, mine) = await SiteWithOpenAlerts(1);
        var (_, theirs) = await SiteWithOpenAlerts(1);
        var director = DirectorOf(clinic);
        var events = await platform.EventCount();

        var foreign = await platform.GraphQL(Acknowledge, new { i = new { alertIds = new[] { mine[0], theirs[0] } } }, token: director);
        Assert.Equal(("NOT_FOUND", "alertIds[1]"), (foreign.FirstCode, foreign.FirstField));
        Assert.Null(foreign.Data?["acknowledgeAlerts"]);
        // Exactly the answer for an alert that exists nowhere: nothing tells the director the other site's alert is there.
        var missing = await platform.GraphQL(Acknowledge, new { i = new { alertIds = new[] { mine[0], Guid.NewGuid().ToString() } } }, token: director);
        Assert.Equal(missing.Body.ToJsonString(), foreign.Body.ToJsonString());

        Assert.Equal(events, await platform.EventCount());
        Assert.Equal("OPEN", await StatusOf(mine[0]));
        Assert.Equal("OPEN", await StatusOf(theirs[0]));
    }

    [Fact]
    public async Task A_resolved_alert_among_them_refuses_the_lot_by_its_place_in_the_list()
    {
        var (_, alerts) = await SiteWithOpenAlerts(2);
        (await platform.GraphQL("mutation($i: ResolveAlertInput!) { resolveAlert(input: $i) { id } }", new { i = new { alertId = alerts[1], note = "Talked it through" } })).At("resolveAlert");
        var events = await platform.EventCount();

        var refused = await platform.GraphQL(Acknowledge, new { i = new { alertIds = alerts } });
        Assert.Equal(("CONFLICT", "alertIds[1]"), (refused.FirstCode, refused.FirstField));
        Assert.Equal(events, await platform.EventCount());
        Assert.Equal("OPEN", await StatusOf(alerts[0]));
    }

    [Fact]
    public async Task Bad_ids_an_empty_list_and_more_than_a_hundred_are_refused_naming_the_field()
    {
        var (_, alerts) = await SiteWithOpenAlerts(1);
        var events = await platform.EventCount();

        // A variable that is not a UUID fails before anything runs: a request error (400), as for every ID.
        var notAnId = await platform.GraphQL(Acknowledge, new { i = new { alertIds = new[] { alerts[0], "not-an-id" } } }, expectedStatus: 400);
        Assert.Equal(("VALIDATION_FAILED", "alertIds"), (notAnId.FirstCode, notAnId.FirstField));
        var none = await platform.GraphQL(Acknowledge, new { i = new { alertIds = Array.Empty<string>() } });
        Assert.Equal(("VALIDATION_FAILED", "alertIds"), (none.FirstCode, none.FirstField));
        var tooMany = await platform.GraphQL(Acknowledge, new { i = new { alertIds = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid().ToString()).Append(alerts[0]).ToArray() } });
        Assert.Equal(("VALIDATION_FAILED", "alertIds"), (tooMany.FirstCode, tooMany.FirstField));
        var longNote = await platform.GraphQL(Acknowledge, new { i = new { alertIds = alerts, note = new string('x', 5000) } });
        Assert.Equal(("VALIDATION_FAILED", "note"), (longNote.FirstCode, longNote.FirstField));

        Assert.Equal(events, await platform.EventCount());
        Assert.Equal("OPEN", await StatusOf(alerts[0]));
    }

    [Theory]
    [InlineData("clinician")]
    [InlineData("integrator")]
    public async Task Roles_that_may_not_acknowledge_an_alert_may_not_acknowledge_several(string role)
    {
        var (clinic, alerts) = await SiteWithOpenAlerts(1);
        var token = role == "clinician"
            ? Tokens.For("clinician", platform.Organization, [clinic.SiteId], clinic.TherapistId)
            : Tokens.For("integrator", platform.Organization);
        var events = await platform.EventCount();

        var refused = await platform.GraphQL(Acknowledge, new { i = new { alertIds = alerts } }, token: token);
        Assert.Equal("FORBIDDEN", refused.FirstCode);
        Assert.Equal(events, await platform.EventCount());
        Assert.Equal("OPEN", await StatusOf(alerts[0]));
    }
}
