using FeedbackPlatform.Alerts;
using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Wolverine;
using Wolverine.Tracking;

namespace FeedbackPlatform.Tests.Alerts;

public sealed class AlertLifecycleFixture : PlatformFixture
{
    // A year ahead of the real clock: the real scheduler never reaches the checks these tests schedule,
    // the tests deliver them themselves at the moment the test clock says they are due.
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow.AddYears(1));

    protected override void Configure(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));

    public async Task Deliver(object message)
    {
        using var scope = Host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(Organization, message);
    }
}

public sealed class AlertLifecycleTests(AlertLifecycleFixture platform) : IClassFixture<AlertLifecycleFixture>
{
    private const string AlertFields = "id kind status resolution occurrences acknowledgedAt acknowledgedBy escalatedAt resolvedAt notes";

    private async Task<(Clinic Clinic, Guid Episode)> EpisodeWithLowAlliance()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode), 8, 8, 8, 8)).At("submitSessionRating");
        return (clinic, episode);
    }

    [Fact]
    public async Task Directors_find_the_alert_in_the_inbox_acknowledge_it_and_resolve_it_by_hand()
    {
        var (clinic, episode) = await EpisodeWithLowAlliance();
        var inbox = await platform.GraphQL($"query($f: AlertFilter) {{ alerts(filter: $f, first: 10) {{ nodes {{ {AlertFields} episode {{ id }} site {{ id }} }} }} }}",
            new { f = new { siteId = clinic.SiteId, kind = "LOW_ALLIANCE" } });
        var alert = inbox.At("alerts.nodes.0")!;
        Assert.Equal("OPEN", alert["status"]!.GetValue<string>());
        Assert.Equal(episode.ToString(), alert["episode"]!["id"]!.GetValue<string>());
        var alertId = alert["id"]!.GetValue<string>();

        var acknowledged = await platform.GraphQL($"mutation($i: AcknowledgeAlertInput!) {{ acknowledgeAlert(input: $i) {{ {AlertFields} }} }}",
            new { i = new { alertId, note = "Discussed in supervision" } });
        Assert.Equal("ACKNOWLEDGED", acknowledged.At("acknowledgeAlert.status")!.GetValue<string>());
        Assert.NotNull(acknowledged.At("acknowledgeAlert.acknowledgedAt"));

        var noNote = await platform.GraphQL("mutation($i: ResolveAlertInput!) { resolveAlert(input: $i) { id } }", new { i = new { alertId, note = " " } });
        Assert.Equal(("VALIDATION_FAILED", "note"), (noNote.FirstCode, noNote.FirstField));

        var resolved = await platform.GraphQL($"mutation($i: ResolveAlertInput!) {{ resolveAlert(input: $i) {{ {AlertFields} }} }}",
            new { i = new { alertId, note = "Alliance discussed; client chose to continue" } });
        Assert.Equal(("RESOLVED", "MANUAL"), (resolved.At("resolveAlert.status")!.GetValue<string>(), resolved.At("resolveAlert.resolution")!.GetValue<string>()));

        // The rules saw the manual resolution: the next low SRS raises a new alert, it does not add to the closed one.
        var again = await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 7), 8, 8, 8, 8);
        var lows = again.At("submitSessionRating.alerts")!.AsArray().Where(a => a!["kind"]!.GetValue<string>() == "LOW_ALLIANCE").ToList();
        Assert.Equal(2, lows.Count);
        Assert.Equal(1, lows.Count(a => a!["status"]!.GetValue<string>() == "OPEN"));
    }

    [Fact]
    public async Task The_inbox_pages_newest_first_with_a_stable_cursor()
    {
        var clinic = await new Clinic(platform).Register();
        for (var i = 0; i < 3; i++)
        {
            var episode = await clinic.OpenEpisode();
            (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode), 8, 8, 8, 8)).At("submitSessionRating");
            platform.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        const string page = "query($f: AlertFilter, $after: String) { alerts(filter: $f, first: 2, after: $after) { edges { cursor node { id raisedAt } } pageInfo { hasNextPage endCursor } } }";
        var first = await platform.GraphQL(page, new { f = new { siteId = clinic.SiteId }, after = (string?)null });
        Assert.True(first.At("alerts.pageInfo.hasNextPage")!.GetValue<bool>());
        var second = await platform.GraphQL(page, new { f = new { siteId = clinic.SiteId }, after = first.At("alerts.pageInfo.endCursor")!.GetValue<string>() });
        Assert.False(second.At("alerts.pageInfo.hasNextPage")!.GetValue<bool>());

        var times = first.At("alerts.edges")!.AsArray().Concat(second.At("alerts.edges")!.AsArray())
            .Select(e => DateTimeOffset.Parse(e!["node"]!["raisedAt"]!.GetValue<string>())).ToList();
        Assert.Equal(3, times.Count);
        Assert.Equal(times.OrderByDescending(t => t), times);

        var tooMany = await platform.GraphQL("{ alerts(first: 500) { nodes { id } } }");
        Assert.Equal(("VALIDATION_FAILED", "first"), (tooMany.FirstCode, tooMany.FirstField));
    }

    [Fact]
    public async Task A_session_schedules_its_feedback_check_durably_and_the_check_raises_missing_feedback_once_when_due()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var recordedAt = platform.Clock.Now;
        var sessionId = Guid.Empty;
        var tracked = await platform.Host.ExecuteAndWaitAsync(async () => sessionId = await clinic.RecordSession(episode));

        var scheduled = tracked.Scheduled.Envelopes().Single(e => e.Message is CheckFeedbackDue);
        Assert.Equal(recordedAt.AddHours(24), scheduled.ScheduledTime);
        Assert.Equal(new CheckFeedbackDue(episode, sessionId), scheduled.Message);
        Assert.True(await ScheduledRows() > 0, "the scheduled check is stored in PostgreSQL, not only in memory");

        platform.Clock.Now = recordedAt.AddHours(23);
        await platform.Deliver(new CheckFeedbackDue(episode, sessionId));
        Assert.Empty(await Alerts(episode, "MISSING_FEEDBACK"));

        platform.Clock.Now = recordedAt.AddHours(24);
        await platform.Deliver(new CheckFeedbackDue(episode, sessionId));
        await platform.Deliver(new CheckFeedbackDue(episode, sessionId)); // delivered twice: still one alert
        var missing = Assert.Single(await Alerts(episode, "MISSING_FEEDBACK"));
        Assert.Equal("OPEN", missing["status"]!.GetValue<string>());

        (await clinic.SubmitSrs(episode, sessionId, 9, 9, 9, 9)).At("submitSessionRating");
        Assert.Equal("RECOVERED", Assert.Single(await Alerts(episode, "MISSING_FEEDBACK"))["resolution"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unacknowledged_alert_is_escalated_after_48_hours_and_an_acknowledged_one_is_not()
    {
        var raisedAt = platform.Clock.Now;
        var (_, episode) = await EpisodeWithLowAlliance();
        var alertId = Guid.Parse((await Alerts(episode, "LOW_ALLIANCE")).Single()["id"]!.GetValue<string>());

        platform.Clock.Now = raisedAt.AddHours(47);
        await platform.Deliver(new EscalateUnacknowledgedAlert(alertId));
        Assert.Equal("OPEN", (await Alerts(episode, "LOW_ALLIANCE")).Single()["status"]!.GetValue<string>());
        platform.Clock.Now = raisedAt.AddHours(48);
        await platform.Deliver(new EscalateUnacknowledgedAlert(alertId));
        var escalated = (await Alerts(episode, "LOW_ALLIANCE")).Single();
        Assert.Equal("ESCALATED", escalated["status"]!.GetValue<string>());
        Assert.NotNull(escalated["escalatedAt"]);

        platform.Clock.Now = raisedAt;
        var (_, other) = await EpisodeWithLowAlliance();
        var otherId = (await Alerts(other, "LOW_ALLIANCE")).Single()["id"]!.GetValue<string>();
        (await platform.GraphQL("mutation($i: AcknowledgeAlertInput!) { acknowledgeAlert(input: $i) { id } }", new { i = new { alertId = otherId } })).At("acknowledgeAlert");
        platform.Clock.Now = raisedAt.AddHours(49);
        await platform.Deliver(new EscalateUnacknowledgedAlert(Guid.Parse(otherId)));
        Assert.Equal("ACKNOWLEDGED", (await Alerts(other, "LOW_ALLIANCE")).Single()["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Three_weeks_without_a_session_raise_disengagement_risk_and_the_next_session_resolves_it()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var start = platform.Clock.Now;
        await clinic.RecordSession(episode);

        platform.Clock.Now = start.AddDays(20);
        await platform.Deliver(new CheckContactDue(episode));
        Assert.Empty(await Alerts(episode, "DISENGAGEMENT_RISK"));
        platform.Clock.Now = start.AddDays(21);
        await platform.Deliver(new CheckContactDue(episode));
        Assert.Equal("OPEN", Assert.Single(await Alerts(episode, "DISENGAGEMENT_RISK"))["status"]!.GetValue<string>());

        await clinic.RecordSession(episode, 1);
        Assert.Equal("RECOVERED", Assert.Single(await Alerts(episode, "DISENGAGEMENT_RISK"))["resolution"]!.GetValue<string>());
    }

    private async Task<List<System.Text.Json.Nodes.JsonNode>> Alerts(Guid episode, string kind)
    {
        var response = await platform.GraphQL($"query($id: ID!) {{ episode(id: $id) {{ alerts {{ {AlertFields} }} }} }}", new { id = episode });
        return response.At("episode.alerts")!.AsArray().Where(a => a!["kind"]!.GetValue<string>() == kind).Select(a => a!).ToList();
    }

    private async Task<long> ScheduledRows()
    {
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from \"{platform.Schema}\".wolverine_incoming_envelopes where status = 'Scheduled'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
