using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Outcomes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Tests.Support;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Npgsql;

namespace FeedbackPlatform.Tests.Dashboards;

/// <summary>The generated clinic of <see cref="OutcomeFixture"/> in an organization of its own, for tests that add facts to it.</summary>
public sealed class ChangingOutcomeFixture : OutcomeFixture;

/// <summary>
/// The day tallies kept batch by batch (facts after the first count, a reassignment, a cancellation, a closing) and
/// counted afresh when the settings change: the figures of any period, whole days or not, stay the core's.
/// </summary>
public sealed class OutcomeDayTallyTests(ChangingOutcomeFixture platform) : IClassFixture<ChangingOutcomeFixture>
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    private async Task<(IReadOnlyList<EpisodeOutcome> Episodes, IReadOnlyList<SessionFeedback> Sessions)> FromTheFacts()
    {
        await using var session = platform.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken);
        return OutcomeRows.From(events.Select(e => e.Data));
    }

    /// <summary>Every scope's figures over GraphQL against the core's, for the period given (null: the default, the last 365 days).</summary>
    private async Task AssertEveryScope(AlertRuleSettings settings, OutcomePeriod? period, string context)
    {
        var (episodes, sessions) = await FromTheFacts();
        var response = await platform.GraphQL($$"""
            query($a: ID!, $b: ID!, $a1: ID!, $a2: ID!, $from: DateTime, $to: DateTime) {
              organization { outcomes(from: $from, to: $to) { ...F } }
              a: site(id: $a) { outcomes(from: $from, to: $to) { ...F } therapistComparison(from: $from, to: $to) { therapist { id } outcomes { ...F } } }
              b: site(id: $b) { outcomes(from: $from, to: $to) { ...F } }
              a1: therapist(id: $a1) { outcomes(from: $from, to: $to) { ...F } }
              a2: therapist(id: $a2) { outcomes(from: $from, to: $to) { ...F } }
            }
            fragment F on OutcomeFigures { {{OutcomeTests.Fields}} }
            """, new { a = platform.SiteA, b = platform.SiteB, a1 = platform.A1, a2 = platform.A2, from = period?.From, to = period?.To });
        var served = response.Read<OrganizationAnswer>("organization")!.Outcomes!;
        // The default period is the server's "now"; the core's is taken from what it answered.
        var asked = period ?? new OutcomePeriod(DateTimeOffset.Parse(served.From!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(served.To!, System.Globalization.CultureInfo.InvariantCulture));
        OutcomeFigures Expected(Func<EpisodeOutcome, bool> inScope, OutcomeScope scope) => OutcomeFigures.Of(episodes.Where(inScope), sessions, settings, asked, scope);
        OutcomeTests.AssertFigures(Expected(_ => true, OutcomeScope.Organization), served, $"{context}: organization");
        var siteA = response.Read<SiteAnswer>("a")!;
        OutcomeTests.AssertFigures(Expected(e => e.SiteId == platform.SiteA, OutcomeScope.Site), siteA.Outcomes, $"{context}: site A");
        OutcomeTests.AssertFigures(Expected(e => e.SiteId == platform.SiteB, OutcomeScope.Site), response.Read<SiteAnswer>("b")!.Outcomes, $"{context}: site B");
        OutcomeTests.AssertFigures(Expected(e => e.TherapistId == platform.A1, OutcomeScope.Therapist), response.Read<TherapistAnswer>("a1")!.Outcomes, $"{context}: A1");
        OutcomeTests.AssertFigures(Expected(e => e.TherapistId == platform.A2, OutcomeScope.Therapist), response.Read<TherapistAnswer>("a2")!.Outcomes, $"{context}: A2");
        foreach (var row in siteA.TherapistComparison!)
        {
            var therapist = Guid.Parse(row.Therapist!.Id!);
            OutcomeTests.AssertFigures(Expected(e => e.TherapistId == therapist, OutcomeScope.Therapist), row.Outcomes, $"{context}: comparison {therapist}");
        }
    }

    /// <summary>Periods with whole days and partial ends, from before the first session to after the last fact.</summary>
    private IEnumerable<OutcomePeriod> Periods(int seed)
    {
        var random = new Random(seed);
        var earliest = platform.Opened.AddDays(-3);
        var span = (DateTimeOffset.UtcNow.AddDays(1) - earliest).TotalMinutes;
        for (var i = 0; i < 12; i++)
        {
            var a = earliest.AddMinutes(random.NextDouble() * span);
            var b = earliest.AddMinutes(random.NextDouble() * span);
            if (a != b)
                yield return a < b ? new OutcomePeriod(a, b) : new OutcomePeriod(b, a);
        }
        yield return new OutcomePeriod(earliest, DateTimeOffset.UtcNow.AddMinutes(1));
        // Exactly midnight to midnight, and a period ending now.
        var midnight = new DateTimeOffset(platform.Opened.UtcDateTime.Date, TimeSpan.Zero);
        yield return new OutcomePeriod(midnight, midnight.AddDays(30));
        yield return new OutcomePeriod(midnight, DateTimeOffset.UtcNow);
        // Whole calendar months (from the month tallies), alone and with whole and partial days on either side.
        var firstOfMonth = new DateTimeOffset(platform.Opened.Year, platform.Opened.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        yield return new OutcomePeriod(firstOfMonth, firstOfMonth.AddMonths(1));
        yield return new OutcomePeriod(firstOfMonth.AddDays(-5), firstOfMonth.AddMonths(2).AddDays(3));
        yield return new OutcomePeriod(firstOfMonth.AddDays(-5).AddHours(-7), firstOfMonth.AddMonths(2).AddDays(3).AddHours(5));
        yield return new OutcomePeriod(firstOfMonth.AddDays(1), DateTimeOffset.UtcNow);
    }

    private sealed record Counted(int SiteDays, int TherapistDays, int SiteMonths, int TherapistMonths, decimal? Rci, decimal? SrsCutoff, bool? MonthsCounted);

    private async Task<Counted> Tables()
    {
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        string Count(string table) => $"(select count(*)::int from \"{platform.Schema}\".{table} where tenant_id = @org)";
        string Setting(string column) => $"(select {column} from \"{platform.Schema}\".{OutcomeTables.CountedUnder} where tenant_id = @org)";
        await using var command = new NpgsqlCommand($"""
            select {Count(OutcomeTables.SiteDays)}, {Count(OutcomeTables.TherapistDays)}, {Count(OutcomeTables.SiteMonths)}, {Count(OutcomeTables.TherapistMonths)},
                   {Setting("ors_reliable_change")}, {Setting("srs_clinical_cutoff")}, {Setting("months_counted")}
            """, connection);
        command.Parameters.AddWithValue("org", platform.Organization);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        return new Counted(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetDecimal(4), reader.IsDBNull(5) ? null : reader.GetDecimal(5), reader.IsDBNull(6) ? null : reader.GetBoolean(6));
    }

    /// <summary>The database of a version without month tallies: day tallies counted, no month rows, the settings row without the mark.</summary>
    private async Task ForgetTheMonths()
    {
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var sql in new[]
                 {
                     $"delete from \"{platform.Schema}\".{OutcomeTables.SiteMonths} where tenant_id = @org",
                     $"delete from \"{platform.Schema}\".{OutcomeTables.TherapistMonths} where tenant_id = @org",
                     $"update \"{platform.Schema}\".{OutcomeTables.CountedUnder} set months_counted = null where tenant_id = @org",
                 })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("org", platform.Organization);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Facts_after_the_first_count_keep_every_period_exact_and_a_settings_change_counts_them_afresh()
    {
        var settings = AlertRuleSettings.Defaults with { MinimumEpisodesForComparison = 5 };
        var counted = await Tables();
        Assert.True(counted is { SiteDays: > 0, TherapistDays: > 0, SiteMonths: > 0, TherapistMonths: > 0, Rci: 5.0m, MonthsCounted: true },
            $"the fixture's facts are counted into day and month tallies: {counted}");
        // Fewer month rows than day rows: the fixture's history spans three months.
        Assert.True(counted.TherapistMonths < counted.TherapistDays && counted.SiteMonths < counted.SiteDays, $"{counted}");

        // Upgraded from a version without month tallies: answered from the rows meanwhile, then counted afresh, months too, on the next batch.
        await ForgetTheMonths();
        await AssertEveryScope(settings, null, "before the month tallies are counted");

        // A second wave, each step its own batch: a new episode of A2 with rated sessions, then handed to A1, two more
        // sessions (a low SRS and a last ORS in one), the other one cancelled, and closed.
        var episode = Guid.NewGuid();
        var sessionIds = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
        (await platform.GraphQL("mutation($i: ImportEpisodeHistoryInput!) { importEpisodeHistory(input: $i) { id } }", new
        {
            i = new
            {
                episodeId = episode, siteId = platform.SiteA, therapistId = platform.A2, clientId = "client-wave-" + episode.ToString("N")[..6], population = "ADULT",
                openedAt = platform.Opened.AddDays(2),
                sessions = sessionIds.Select((id, n) => new
                {
                    sessionId = id, heldAt = platform.Opened.AddDays(3 + 7 * n),
                    sessionRating = new { relationship = 9.0, goalsAndTopics = 8.5, approachOrMethod = 9.1, overall = 9.4 },
                    outcomeRating = new { individual = 4.0 + n, interpersonal = 4.5, social = 5.0, overall = 4.0 + n },
                }),
            },
        })).Read<EpisodeAnswer>("importEpisodeHistory");
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);
        var upgraded = await Tables();
        Assert.True(upgraded is { SiteMonths: > 0, TherapistMonths: > 0, MonthsCounted: true }, $"the first batch after the upgrade counts the months: {upgraded}");
        (await platform.GraphQL("mutation($i: ReassignTherapistInput!) { reassignTherapist(input: $i) { id } }", new { i = new { episodeId = episode, therapistId = platform.A1 } })).Read<EpisodeAnswer>("reassignTherapist");
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);
        var cancelled = Guid.NewGuid();
        (await platform.GraphQL("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }", new { i = new { episodeId = episode, sessionId = cancelled, heldAt = DateTimeOffset.UtcNow.AddHours(-2) } })).Read<EpisodeAnswer>("recordSession");
        var late = Guid.NewGuid();
        (await platform.GraphQL("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }", new { i = new { episodeId = episode, sessionId = late, heldAt = DateTimeOffset.UtcNow.AddHours(-1) } })).Read<EpisodeAnswer>("recordSession");
        var clinic = new Clinic(platform);
        (await clinic.SubmitSrs(episode, late, 6.0, 7.0, 6.5, 7.2)).Read<EpisodeAnswer>("submitSessionRating");
        (await clinic.SubmitOrs(episode, late, 9.0, 9.5, 9.0, 9.4)).Read<EpisodeAnswer>("submitOutcomeRating");
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);
        // A session counted as held in an earlier batch, then cancelled: it no longer counts.
        (await platform.GraphQL("mutation($i: CancelSessionInput!) { cancelSession(input: $i) { id } }", new { i = new { episodeId = episode, sessionId = cancelled } })).Read<EpisodeAnswer>("cancelSession");
        (await platform.GraphQL("mutation($i: CloseEpisodeInput!) { closeEpisode(input: $i) { id } }", new { i = new { episodeId = episode, reason = "DROPOUT" } })).Read<EpisodeAnswer>("closeEpisode");
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);

        await AssertEveryScope(settings, null, "default period");
        foreach (var period in Periods(1))
            await AssertEveryScope(settings, period, $"after the second wave, {period}");

        // Stricter settings: answered from the rows until the projection has counted the tallies afresh, then from them.
        var stricter = settings with { OrsReliableChange = 6.0m, SrsClinicalCutoff = 37.5m, SrsCutoffInclusive = true, OrsCutoffAdult = 26.0m };
        (await platform.GraphQL("mutation($i: AlertRuleSettingsInput!) { updateAlertRules(input: $i) { orsReliableChange } }",
            new { i = new { orsReliableChange = 6.0, srsClinicalCutoff = 37.5, srsCutoffInclusive = true, orsCutoffAdult = 26.0 } })).Read<AlertRuleSettingsAnswer>("updateAlertRules");
        await AssertEveryScope(stricter, null, "just after the change");
        await platform.Host.WaitForNonStaleProjectionDataAsync(CatchUp);
        Assert.Equal((6.0m, 37.5m), ((await Tables()).Rci, (await Tables()).SrsCutoff));
        foreach (var period in Periods(2))
            await AssertEveryScope(stricter, period, $"after the settings change, {period}");
    }
}
