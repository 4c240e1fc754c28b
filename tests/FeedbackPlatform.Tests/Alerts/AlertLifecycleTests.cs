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
        (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode), 8, 8, 8, 8)).Read<EpisodeAnswer>("submitSessionRating");
        return (clinic, episode);
    }

    [Fact]
    public async Task Directors_find_the_alert_in_the_inbox_acknowledge_it_and_resolve_it_by_hand()
    {
        var (clinic, episode) = await EpisodeWithLowAlliance();
        var inbox = await platform.GraphQL($"query($f: AlertFilter) {{ alerts(filter: $f, first: 10) {{ nodes {{ {AlertFields} episode {{ id }} site {{ id }} }} }} }}",
            new { f = new { siteId = clinic.SiteId, kind = "LOW_ALLIANCE" } });
        var alert = inbox.Read<PageAnswer<AlertAnswer>>("alerts")!.Nodes![0];
        Assert.Equal("OPEN", alert.Status);
        Assert.Equal(episode.ToString(), alert.Episode!.Id);
        var alertId = alert.Id!;

        var acknowledged = await platform.GraphQL($"mutation($i: AcknowledgeAlertInput!) {{ acknowledgeAlert(input: $i) {{ {AlertFields} }} }}",
            new { i = new { alertId, note = "Discussed in supervision" } });
        var onIt = acknowledged.Read<AlertAnswer>("acknowledgeAlert")!;
        Assert.Equal("ACKNOWLEDGED", onIt.Status);
        Assert.NotNull(onIt.AcknowledgedAt);

        var noNote = await platform.GraphQL("mutation($i: ResolveAlertInput!) { resolveAlert(input: $i) { id } }", new { i = new { alertId, note = " " } });
        Assert.Equal(new GraphQLError("VALIDATION_FAILED", "note"), noNote.FirstError);

        var resolved = await platform.GraphQL($"mutation($i: ResolveAlertInput!) {{ resolveAlert(input: $i) {{ {AlertFields} }} }}",
            new { i = new { alertId, note = "Alliance discussed; client chose to continue" } });
        var closed = resolved.Read<AlertAnswer>("resolveAlert")!;
        Assert.Equal(("RESOLVED", "MANUAL"), (closed.Status, closed.Resolution));

        // The rules saw the manual resolution: the next low SRS raises a new alert, it does not add to the closed one.
        var again = await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 7), 8, 8, 8, 8);
        var lows = again.Read<EpisodeAnswer>("submitSessionRating")!.Alerts!.Where(a => a.Kind == "LOW_ALLIANCE").ToList();
        Assert.Equal(2, lows.Count);
        Assert.Equal(1, lows.Count(a => a.Status == "OPEN"));
    }

    [Fact]
    public async Task The_inbox_pages_newest_first_with_a_stable_cursor()
    {
        var clinic = await new Clinic(platform).Register();
        for (var i = 0; i < 3; i++)
        {
            var episode = await clinic.OpenEpisode();
            (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode), 8, 8, 8, 8)).Read<EpisodeAnswer>("submitSessionRating");
            platform.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        const string page = "query($f: AlertFilter, $after: String) { alerts(filter: $f, first: 2, after: $after) { edges { cursor node { id raisedAt } } pageInfo { hasNextPage endCursor } } }";
        var first = (await platform.GraphQL(page, new { f = new { siteId = clinic.SiteId }, after = (string?)null })).Read<PageAnswer<AlertAnswer>>("alerts")!;
        Assert.True(first.PageInfo!.HasNextPage);
        var second = (await platform.GraphQL(page, new { f = new { siteId = clinic.SiteId }, after = first.PageInfo.EndCursor })).Read<PageAnswer<AlertAnswer>>("alerts")!;
        Assert.False(second.PageInfo!.HasNextPage);

        var times = first.Edges!.Concat(second.Edges!).Select(e => e.Node!.RaisedAt!.Value).ToList();
        Assert.Equal(3, times.Count);
        Assert.Equal(times.OrderByDescending(t => t), times);

        var tooMany = await platform.GraphQL("{ alerts(first: 500) { nodes { id } } }");
        Assert.Equal(new GraphQLError("VALIDATION_FAILED", "first"), tooMany.FirstError);
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
        Assert.Equal("OPEN", missing.Status);

        (await clinic.SubmitSrs(episode, sessionId, 9, 9, 9, 9)).Read<EpisodeAnswer>("submitSessionRating");
        Assert.Equal("RECOVERED", Assert.Single(await Alerts(episode, "MISSING_FEEDBACK")).Resolution);
    }

    [Fact]
    public async Task An_unacknowledged_alert_is_escalated_after_48_hours_and_an_acknowledged_one_is_not()
    {
        var raisedAt = platform.Clock.Now;
        var (_, episode) = await EpisodeWithLowAlliance();
        var alertId = Guid.Parse((await Alerts(episode, "LOW_ALLIANCE")).Single().Id!);

        platform.Clock.Now = raisedAt.AddHours(47);
        await platform.Deliver(new EscalateUnacknowledgedAlert(alertId));
        Assert.Equal("OPEN", (await Alerts(episode, "LOW_ALLIANCE")).Single().Status);
        platform.Clock.Now = raisedAt.AddHours(48);
        await platform.Deliver(new EscalateUnacknowledgedAlert(alertId));
        var escalated = (await Alerts(episode, "LOW_ALLIANCE")).Single();
        Assert.Equal("ESCALATED", escalated.Status);
        Assert.NotNull(escalated.EscalatedAt);

        platform.Clock.Now = raisedAt;
        var (_, other) = await EpisodeWithLowAlliance();
        var otherId = (await Alerts(other, "LOW_ALLIANCE")).Single().Id!;
        (await platform.GraphQL("mutation($i: AcknowledgeAlertInput!) { acknowledgeAlert(input: $i) { id } }", new { i = new { alertId = otherId } })).Read<AlertAnswer>("acknowledgeAlert");
        platform.Clock.Now = raisedAt.AddHours(49);
        await platform.Deliver(new EscalateUnacknowledgedAlert(Guid.Parse(otherId)));
        Assert.Equal("ACKNOWLEDGED", (await Alerts(other, "LOW_ALLIANCE")).Single().Status);
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
        Assert.Equal("OPEN", Assert.Single(await Alerts(episode, "DISENGAGEMENT_RISK")).Status);

        await clinic.RecordSession(episode, 1);
        Assert.Equal("RECOVERED", Assert.Single(await Alerts(episode, "DISENGAGEMENT_RISK")).Resolution);
    }

    private async Task<List<AlertAnswer>> Alerts(Guid episode, string kind)
    {
        var response = await platform.GraphQL($"query($id: ID!) {{ episode(id: $id) {{ alerts {{ {AlertFields} }} }} }}", new { id = episode });
        return response.Read<EpisodeAnswer>("episode")!.Alerts!.Where(a => a.Kind == kind).ToList();
    }

    private async Task<long> ScheduledRows()
    {
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from \"{platform.Schema}\".wolverine_incoming_envelopes where status = 'Scheduled'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
