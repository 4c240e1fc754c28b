using System.Globalization;
using System.Text.Json;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Tests.Support;
using JasperFx.Events.Daemon;
using Marten.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedbackPlatform.Tests.Dashboards;

public sealed class SummaryFixture : PlatformFixture;

/// <summary>
/// The summary projection adds each batch's changes of the episodes' shares to the touched scopes' stored sums and
/// counts: after every batch each summary must still be what one pass over every episode and open alert gives.
/// </summary>
public sealed class SummaryTests(SummaryFixture platform) : IClassFixture<SummaryFixture>
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    // Each step waits for the daemon to catch up, so its facts reach the projection in batches of their own.
    [Fact]
    public async Task Every_summary_stays_what_a_full_pass_over_the_episodes_gives_batch_after_batch()
    {
        var a = await new Clinic(platform).Register();
        var b = await new Clinic(platform).Register();
        var a2 = Guid.NewGuid();
        (await platform.GraphQL("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }",
            new { i = new { therapistId = a2, siteId = a.SiteId, displayName = "Therapist A2" } })).Read<TherapistAnswer>("registerTherapist");

        // Batch 1: three episodes at A, one at B; SRS 30.1, 30.0, 30.0 and 30.0. The organization's mean is 120.1 / 4 =
        // 30.025: 30.03 rounded half away from zero (30.02 to even), and not the mean of the sites' means (30.03, 30.00).
        var (e1, e2, e3, e4) = (await a.OpenEpisode(), await a.OpenEpisode(), await a.OpenEpisode(), await b.OpenEpisode());
        (await a.SubmitSrs(e1, await a.RecordSession(e1), 7.6, 7.5, 7.5, 7.5)).Read<EpisodeAnswer>("submitSessionRating");
        (await a.SubmitSrs(e2, await a.RecordSession(e2), 7.5, 7.5, 7.5, 7.5)).Read<EpisodeAnswer>("submitSessionRating");
        (await a.SubmitSrs(e3, await a.RecordSession(e3), 7.5, 7.5, 7.5, 7.5)).Read<EpisodeAnswer>("submitSessionRating");
        (await b.SubmitSrs(e4, await b.RecordSession(e4), 7.5, 7.5, 7.5, 7.5)).Read<EpisodeAnswer>("submitSessionRating");
        await AssertEverySummaryIsTheFullPass(a, b, a2);
        Assert.Equal("30.03", (await Stored(SummaryScope.Organization, OrganizationId))!.MeanLatestSrs!.Value.ToString(CultureInfo.InvariantCulture));

        // Batch 2, only site A: ORS, a session without SRS, a drop (at risk).
        (await a.SubmitOrs(e1, await a.RecordSession(e1, 1), 5, 5, 5, 5.1)).Read<EpisodeAnswer>("submitOutcomeRating");
        await a.RecordSession(e3, 1);
        (await a.SubmitSrs(e2, await a.RecordSession(e2, 1), 6.5, 6.5, 6.5, 6.5)).Read<EpisodeAnswer>("submitSessionRating");
        await AssertEverySummaryIsTheFullPass(a, b, a2);

        // Batch 3, alone: the episode at risk, with its open alerts, moves to another therapist. Only the fact's
        // from-therapist tells that A1 changed.
        (await platform.GraphQL("mutation($i: ReassignTherapistInput!) { reassignTherapist(input: $i) { id } }",
            new { i = new { episodeId = e2, therapistId = a2 } })).Read<EpisodeAnswer>("reassignTherapist");
        await AssertEverySummaryIsTheFullPass(a, b, a2);
        Assert.Equal(1, (await Stored(SummaryScope.Therapist, a2))!.EpisodesAtRisk);

        // Batch 4: a director resolves one of e3's alerts by hand (the alert's stream and the episode's), and acknowledges one at B.
        var open = await OpenAlerts(e3);
        (await platform.GraphQL("mutation($i: ResolveAlertInput!) { resolveAlert(input: $i) { status } }", new { i = new { alertId = open[0], note = "Discussed" } })).Read<AlertAnswer>("resolveAlert");
        var atB = await OpenAlerts(e4);
        (await platform.GraphQL("mutation($i: AcknowledgeAlertInput!) { acknowledgeAlert(input: $i) { status } }", new { i = new { alertId = atB[0], note = "Seen" } })).Read<AlertAnswer>("acknowledgeAlert");
        await AssertEverySummaryIsTheFullPass(a, b, a2);

        // Batch 5: an episode closes with its alerts still open; site B gets a new rating in the same batch.
        (await platform.GraphQL("mutation($i: CloseEpisodeInput!) { closeEpisode(input: $i) { id } }", new { i = new { episodeId = e1, reason = "DROPOUT" } })).Read<EpisodeAnswer>("closeEpisode");
        (await b.SubmitSrs(e4, await b.RecordSession(e4, 2), 9.5, 9.5, 9.5, 9.6)).Read<EpisodeAnswer>("submitSessionRating");
        await AssertEverySummaryIsTheFullPass(a, b, a2);

        // Batch 6, only site B: the summaries as an earlier version stored them, without the episodes' shares. The first
        // batch counts every summary again from every episode's share (not B's twice); site A keeps its own stamp.
        var before = (await Stored(SummaryScope.Site, a.SiteId))!;
        Assert.True(before.SummedFromShares);
        await Execute($"update \"{platform.Schema}\".mt_doc_alliancesummary set data = data - 'summedFromShares'; delete from \"{platform.Schema}\".mt_doc_summaryshare");
        (await b.SubmitOrs(e4, await b.RecordSession(e4, 3), 8, 8, 8, 8)).Read<EpisodeAnswer>("submitOutcomeRating");
        await AssertEverySummaryIsTheFullPass(a, b, a2);
        var after = (await Stored(SummaryScope.Site, a.SiteId))!;
        Assert.Equal((before.LatestSrsCount, before.LatestSrsSum, before.UpdatedAt, true), (after.LatestSrsCount, after.LatestSrsSum, after.UpdatedAt, after.SummedFromShares));
    }

    private Guid OrganizationId => FeedbackPlatform.Hosting.PlatformSettings.OrganizationIdOf(platform.Organization);

    private async Task AssertEverySummaryIsTheFullPass(Clinic a, Clinic b, Guid a2)
    {
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);
        var pass = await FullPass();
        var scopes = new[]
        {
            (SummaryScope.Organization, OrganizationId), (SummaryScope.Site, a.SiteId), (SummaryScope.Site, b.SiteId),
            (SummaryScope.Therapist, a.TherapistId), (SummaryScope.Therapist, a2), (SummaryScope.Therapist, b.TherapistId),
        };
        foreach (var (scope, id) in scopes)
        {
            // A scope with nothing to count: no row in the pass, and no summary or one of zeros.
            var expected = pass.Of(scope, id) ?? Figures.None;
            var stored = await Stored(scope, id);
            Assert.Equal((scope, id, expected), (scope, id, stored is null ? Figures.None : Figures.Of(stored)));
        }
        // Said the other way round: the organization is the sum of its sites.
        var sites = new[] { await Stored(SummaryScope.Site, a.SiteId), await Stored(SummaryScope.Site, b.SiteId) };
        var organization = (await Stored(SummaryScope.Organization, OrganizationId))!;
        Assert.Equal(sites.Sum(s => s!.ActiveEpisodes), organization.ActiveEpisodes);
        Assert.Equal(sites.Sum(s => s!.LatestSrsCount), organization.LatestSrsCount);
        Assert.Equal(sites.Sum(s => s!.LatestOrsSum), organization.LatestOrsSum);
        Assert.Equal(sites.Sum(s => s!.OpenAlertsByKind.Values.Sum()), organization.OpenAlertsByKind.Values.Sum());
    }

    private async Task<AllianceSummary?> Stored(SummaryScope scope, Guid id)
    {
        await using var session = platform.QuerySession();
        return await session.LoadAsync<AllianceSummary>(AllianceSummary.IdFor(scope, id), TestContext.Current.CancellationToken);
    }

    private async Task<List<Guid>> OpenAlerts(Guid episode)
    {
        var response = await platform.GraphQL("query($id: ID!) { episode(id: $id) { alerts { id status } } }", new { id = episode });
        return response.Read<EpisodeAnswer>("episode")!.Alerts!.Where(x => x.Status != "RESOLVED").Select(x => Guid.Parse(x.Id!)).ToList();
    }

    /// <summary>What a summary shows, means as their text (so 38.00 and 38 differ, as they would in the stored document).</summary>
    private sealed record Figures(int Active, int AtRisk, string? MeanSrs, string? MeanOrs, int Held, int WithSrs, string Alerts)
    {
        public static Figures Of(AllianceSummary s) => new(s.ActiveEpisodes, s.EpisodesAtRisk, Text(s.MeanLatestSrs), Text(s.MeanLatestOrs),
            s.SessionsHeld, s.SessionsWithSrs, AlertsText(s.OpenAlertsByKind));

        public static readonly Figures None = new(0, 0, null, null, 0, 0, "");

        public static string? Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

        public static string AlertsText(IEnumerable<KeyValuePair<string, int>> alerts) =>
            string.Join(",", alerts.Where(k => k.Value > 0).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}"));
    }

    private sealed record Row(string? Site, string? Therapist, int NoSite, int NoTherapist, int Active, int AtRisk, decimal? MeanSrs, decimal? MeanOrs, int Held, int WithSrs);

    private sealed record AlertRow(string? Site, string? Therapist, int NoSite, int NoTherapist, string Kind, int N);

    private sealed record Pass(List<Row> Rows, List<AlertRow> Alerts)
    {
        private static bool Matches(int noSite, int noTherapist, string? site, string? therapist, SummaryScope scope, string id) => scope switch
        {
            SummaryScope.Site => noSite == 0 && site == id,
            SummaryScope.Therapist => noTherapist == 0 && therapist == id,
            _ => noSite == 1 && noTherapist == 1,
        };

        public Figures? Of(SummaryScope scope, Guid id)
        {
            var key = id.ToString();
            var row = Rows.FirstOrDefault(r => Matches(r.NoSite, r.NoTherapist, r.Site, r.Therapist, scope, key));
            var alerts = Alerts.Where(x => Matches(x.NoSite, x.NoTherapist, x.Site, x.Therapist, scope, key)).Select(x => KeyValuePair.Create(x.Kind, x.N)).ToList();
            return row is null && alerts.Count == 0
                ? null
                : new Figures(row?.Active ?? 0, row?.AtRisk ?? 0, Figures.Text(row?.MeanSrs), Figures.Text(row?.MeanOrs), row?.Held ?? 0, row?.WithSrs ?? 0, Figures.AlertsText(alerts));
        }
    }

    /// <summary>The figures of every scope at once, from every episode's document and every open alert case.</summary>
    private async Task<Pass> FullPass()
    {
        var schema = $"\"{platform.Schema}\"";
        var sql = $"""
            with figures as (
              select e.site_id::text as site, e.therapist_id::text as therapist,
                     grouping(e.site_id) as no_site, grouping(e.therapist_id) as no_therapist,
                     count(*) as active,
                     count(*) filter (where e.status = 'AtRisk') as at_risk,
                     round(avg((e.data->>'latestSrsTotal')::numeric), 2) as mean_srs,
                     round(avg((e.data->>'latestOrsTotal')::numeric), 2) as mean_ors,
                     coalesce(sum((e.data->>'sessionsHeld')::int), 0) as held,
                     coalesce(sum((e.data->>'sessionsWithSrs')::int), 0) as with_srs
              from {schema}.mt_doc_episodealliancehealth e
              where e.tenant_id = @org and e.episode_status = 'Open'
              group by grouping sets ((), (e.site_id), (e.therapist_id))),
            open_alerts as (
              select e.site_id::text as site, e.therapist_id::text as therapist,
                     grouping(e.site_id) as no_site, grouping(e.therapist_id) as no_therapist,
                     a.data->>'kind' as kind, count(*) as n
              from {schema}.mt_doc_alertcase a join {schema}.mt_doc_episodealliancehealth e on e.tenant_id = a.tenant_id and e.id = (a.data->>'episodeId')::uuid
              where a.tenant_id = @org and a.data->>'status' <> 'Resolved'
              group by grouping sets ((a.data->>'kind'), (e.site_id, a.data->>'kind'), (e.therapist_id, a.data->>'kind')))
            select jsonb_build_object(
              'rows', (select coalesce(jsonb_agg(to_jsonb(f)), '[]'::jsonb) from figures f),
              'alerts', (select coalesce(jsonb_agg(to_jsonb(a)), '[]'::jsonb) from open_alerts a))::text
            """;
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("org", platform.Organization);
        var json = (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        return JsonSerializer.Deserialize<Pass>(json, SnakeCase)!;
    }

    private static async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
