using System.Globalization;
using System.Text.Json.Nodes;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Outcomes;
using FeedbackPlatform.Tests.Support;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;

namespace FeedbackPlatform.Tests.Dashboards;

/// <summary>
/// A generated clinic: site A with therapists A1 (who also takes over an episode of A2) and A2, site B with B1; histories
/// imported with random ORS and SRS (A1's twelve all measured, B1's four too few to compare), some closed, some sessions
/// cancelled. The organization's minimum for comparison is 5.
/// </summary>
public class OutcomeFixture : PlatformFixture
{
    public Guid SiteA { get; } = Guid.NewGuid();
    public Guid SiteB { get; } = Guid.NewGuid();
    public Guid A1 { get; } = Guid.NewGuid();
    public Guid A2 { get; } = Guid.NewGuid();
    public Guid B1 { get; } = Guid.NewGuid();
    public List<(Guid Episode, string ClientId)> Episodes { get; } = [];
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;
    /// <summary>When the imported episodes opened; their sessions were held weekly from a day later.</summary>
    public DateTimeOffset Opened { get; private set; }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        (await GraphQL("mutation($i: AlertRuleSettingsInput!) { updateAlertRules(input: $i) { minimumEpisodesForComparison } }",
            new { i = new { minimumEpisodesForComparison = 5 } })).Read<AlertRuleSettingsAnswer>("updateAlertRules");
        foreach (var (site, name) in new[] { (SiteA, "Alder"), (SiteB, "Birch") })
            (await GraphQL("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = site, name } })).Read<SiteAnswer>("registerSite");
        foreach (var (therapist, site, name) in new[] { (A1, SiteA, "Dr. \"Ash\", A."), (A2, SiteA, "Beech"), (B1, SiteB, "Cedar") })
            (await GraphQL("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }",
                new { i = new { therapistId = therapist, siteId = site, displayName = name } })).Read<TherapistAnswer>("registerTherapist");

        var random = new Random(16);
        var opened = Opened = DateTimeOffset.UtcNow.AddDays(-90);
        var open = new List<(Guid Episode, Guid Therapist)>();
        // A1's twelve episodes all have an intake and a later ORS; B1's four are too few for a comparison.
        for (var e = 0; e < 22; e++)
        {
            var (therapist, site) = e switch { < 12 => (A1, SiteA), < 18 => (A2, SiteA), _ => (B1, SiteB) };
            var episode = Guid.NewGuid();
            var client = "client-" + episode.ToString("N")[..10];
            double Item(double low, double high) => Math.Round(low + random.NextDouble() * (high - low), 1);
            var start = Item(2.0, 8.0);
            var trend = Item(-0.6, 1.2);
            var sessions = Enumerable.Range(0, random.Next(therapist == A1 ? 2 : 1, 7)).Select(i =>
            {
                var ors = Math.Clamp(Math.Round(start + trend * i, 1), 0, 10);
                return new
                {
                    sessionId = Guid.NewGuid(), heldAt = opened.AddDays(7 * i + 1),
                    sessionRating = random.Next(5) == 0 ? null : new { relationship = Item(6, 10), goalsAndTopics = Item(7, 10), approachOrMethod = Item(7, 10), overall = Item(8, 10) },
                    outcomeRating = (therapist != A1 || i >= 2) && random.Next(4) == 0 ? null : new { individual = ors, interpersonal = ors, social = Math.Clamp(ors + 0.5, 0, 10), overall = ors },
                };
            }).ToList();
            var closedAs = (e % 4) switch { 0 => "DROPOUT", 1 => "PLANNED", _ => null };
            var population = (e % 5) switch { 0 => "ADOLESCENT", 1 => "CHILD", _ => "ADULT" };
            (await GraphQL("mutation($i: ImportEpisodeHistoryInput!) { importEpisodeHistory(input: $i) { id } }", new
            {
                i = new { episodeId = episode, siteId = site, therapistId = therapist, clientId = client, population, openedAt = opened, sessions, closedAs },
            })).Read<EpisodeAnswer>("importEpisodeHistory");
            Episodes.Add((episode, client));
            if (closedAs is null)
                open.Add((episode, therapist));
        }
        // A session recorded and then cancelled in every second open episode: held, then not held.
        foreach (var (episode, _) in open.Where((_, i) => i % 2 == 0))
        {
            var session = Guid.NewGuid();
            (await GraphQL("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }", new { i = new { episodeId = episode, sessionId = session, heldAt = DateTimeOffset.UtcNow.AddHours(-3) } })).Read<EpisodeAnswer>("recordSession");
            (await GraphQL("mutation($i: CancelSessionInput!) { cancelSession(input: $i) { id } }", new { i = new { episodeId = episode, sessionId = session } })).Read<EpisodeAnswer>("cancelSession");
        }
        // An episode of A2 handed to A1: it and its sessions count for A1 now.
        var handed = open.First(o => o.Therapist == A2).Episode;
        (await GraphQL("mutation($i: ReassignTherapistInput!) { reassignTherapist(input: $i) { id } }", new { i = new { episodeId = handed, therapistId = A1 } })).Read<EpisodeAnswer>("reassignTherapist");
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
    }
}

public sealed class OutcomeTests(OutcomeFixture platform) : IClassFixture<OutcomeFixture>
{
    internal const string Fields = "from to withheld measuredEpisodes reliableImprovementRate reliableDeteriorationRate recoveryRate startedInClinicalRange " +
                                  "meanChange effectSize closedEpisodes dropoutRate meanSessionsPerClosedEpisode sessionsHeld feedbackCompletion srsCount meanSrs srsBelowCutoffRate";

    // From before the first session (90 days ago) to after the last fact.
    private OutcomePeriod Period => new(platform.Started.AddDays(-120), platform.Started.AddDays(1));

    /// <summary>What the clinical core computes from the stored facts themselves, for each scope.</summary>
    private async Task<(IReadOnlyList<EpisodeOutcome> Episodes, IReadOnlyList<SessionFeedback> Sessions, AlertRuleSettings Settings)> FromTheFacts()
    {
        await using var session = platform.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken);
        var (episodes, sessions) = OutcomeRows.From(events.Select(e => e.Data));
        return (episodes, sessions, AlertRuleSettings.Defaults with { MinimumEpisodesForComparison = 5 });
    }

    internal static void AssertFigures(OutcomeFigures expected, OutcomeFiguresAnswer? actual, string context)
    {
        Assert.NotNull(actual);
        void Same(decimal? value, double? served, string field) =>
            Assert.True((double?)value == served, $"{context}.{field}: expected {value}, got {served?.ToString(CultureInfo.InvariantCulture) ?? "null"}");
        Assert.Equal(expected.Withheld, actual.Withheld!.Value);
        Same(expected.MeasuredEpisodes, actual.MeasuredEpisodes, "measuredEpisodes");
        Same(expected.ReliableImprovementRate, actual.ReliableImprovementRate, "reliableImprovementRate");
        Same(expected.ReliableDeteriorationRate, actual.ReliableDeteriorationRate, "reliableDeteriorationRate");
        Same(expected.RecoveryRate, actual.RecoveryRate, "recoveryRate");
        Same(expected.StartedInClinicalRange, actual.StartedInClinicalRange, "startedInClinicalRange");
        Same(expected.MeanChange, actual.MeanChange, "meanChange");
        Same(expected.EffectSize, actual.EffectSize, "effectSize");
        Same(expected.ClosedEpisodes, actual.ClosedEpisodes, "closedEpisodes");
        Same(expected.DropoutRate, actual.DropoutRate, "dropoutRate");
        Same(expected.MeanSessionsPerClosedEpisode, actual.MeanSessionsPerClosedEpisode, "meanSessionsPerClosedEpisode");
        Same(expected.SessionsHeld, actual.SessionsHeld, "sessionsHeld");
        Same(expected.FeedbackCompletion, actual.FeedbackCompletion, "feedbackCompletion");
        Same(expected.SrsCount, actual.SrsCount, "srsCount");
        Same(expected.MeanSrs, actual.MeanSrs, "meanSrs");
        Same(expected.SrsBelowCutoffRate, actual.SrsBelowCutoffRate, "srsBelowCutoffRate");
    }

    [Fact]
    public async Task The_figures_served_are_the_cores_figures_of_the_stored_facts()
    {
        var (episodes, sessions, settings) = await FromTheFacts();
        var period = Period;
        OutcomeFigures Expected(Func<EpisodeOutcome, bool> inScope, OutcomeScope scope) =>
            OutcomeFigures.Of(episodes.Where(inScope), sessions, settings, period, scope);

        var response = await platform.GraphQL($$"""
            query($a: ID!, $b: ID!, $a1: ID!, $from: DateTime!, $to: DateTime!) {
              organization { outcomes(from: $from, to: $to) { ...F } }
              a: site(id: $a) { outcomes(from: $from, to: $to) { ...F } therapistComparison(from: $from, to: $to) { therapist { id displayName } outcomes { ...F } } }
              b: site(id: $b) { outcomes(from: $from, to: $to) { ...F } therapistComparison(from: $from, to: $to) { therapist { id } outcomes { ...F } } }
              a1: therapist(id: $a1) { outcomes(from: $from, to: $to) { ...F } }
            }
            fragment F on OutcomeFigures { {{Fields}} }
            """, new { a = platform.SiteA, b = platform.SiteB, a1 = platform.A1, from = period.From, to = period.To });

        var organization = Expected(_ => true, OutcomeScope.Organization);
        Assert.True(organization.MeasuredEpisodes >= 10 && organization.ClosedEpisodes >= 6 && organization.SessionsHeld > 30, $"the generated clinic has measured and closed episodes: {organization}");
        var (siteA, siteB) = (response.Read<SiteAnswer>("a")!, response.Read<SiteAnswer>("b")!);
        AssertFigures(organization, response.Read<OrganizationAnswer>("organization")!.Outcomes, "organization");
        AssertFigures(Expected(e => e.SiteId == platform.SiteA, OutcomeScope.Site), siteA.Outcomes, "site A");
        AssertFigures(Expected(e => e.SiteId == platform.SiteB, OutcomeScope.Site), siteB.Outcomes, "site B");
        var a1 = Expected(e => e.TherapistId == platform.A1, OutcomeScope.Therapist);
        AssertFigures(a1, response.Read<TherapistAnswer>("a1")!.Outcomes, "therapist A1");
        Assert.False(a1.Withheld);
        Assert.Equal(13, episodes.Count(e => e.TherapistId == platform.A1));   // twelve of their own and the one handed over

        // Side by side, by name: "Beech" before "Dr. ...".
        var comparison = siteA.TherapistComparison!;
        Assert.Equal([platform.A2.ToString(), platform.A1.ToString()], comparison.Select(r => r.Therapist!.Id));
        AssertFigures(Expected(e => e.TherapistId == platform.A2, OutcomeScope.Therapist), comparison[0].Outcomes, "comparison A2");
        AssertFigures(a1, comparison[1].Outcomes, "comparison A1");
        // B1 has fewer measured episodes than the organization's minimum of 5: withheld, the counts still there.
        var b1 = Assert.Single(siteB.TherapistComparison!).Outcomes!;
        Assert.True(b1.Withheld!.Value);
        Assert.Null(b1.ReliableImprovementRate);
        Assert.Null(b1.EffectSize);
        AssertFigures(Expected(e => e.TherapistId == platform.B1, OutcomeScope.Therapist), b1, "comparison B1");
    }

    [Fact]
    public async Task A_period_that_starts_and_ends_within_a_day_counts_the_sessions_of_its_partial_days()
    {
        // From a minute before the first sessions to a minute after the third: both ends fall inside a day that holds
        // sessions, the whole days between are read from the day tallies.
        var (episodes, sessions, settings) = await FromTheFacts();
        var period = new OutcomePeriod(platform.Opened.AddDays(1).AddMinutes(-1), platform.Opened.AddDays(15).AddMinutes(1));
        var response = await platform.GraphQL($$"""
            query($a: ID!, $from: DateTime!, $to: DateTime!) { organization { outcomes(from: $from, to: $to) { ...F } } a: site(id: $a) { outcomes(from: $from, to: $to) { ...F } } }
            fragment F on OutcomeFigures { {{Fields}} }
            """, new { a = platform.SiteA, from = period.From, to = period.To });
        var organization = OutcomeFigures.Of(episodes, sessions, settings, period, OutcomeScope.Organization);
        Assert.True(organization.SessionsHeld > 22, $"the first and the third sessions are in the partial days: {organization.SessionsHeld}");
        AssertFigures(organization, response.Read<OrganizationAnswer>("organization")!.Outcomes, "organization, partial days");
        AssertFigures(OutcomeFigures.Of(episodes.Where(e => e.SiteId == platform.SiteA), sessions, settings, period, OutcomeScope.Site), response.Read<SiteAnswer>("a")!.Outcomes, "site A, partial days");
    }

    [Fact]
    public async Task A_period_without_facts_has_nothing_measured_and_the_default_period_is_the_last_365_days()
    {
        var response = await platform.GraphQL($$"""
            { organization { past: outcomes(from: "2020-01-01T00:00:00Z", to: "2020-06-01T00:00:00Z") { {{Fields}} } year: outcomes { from to measuredEpisodes } } }
            """);
        var (past, year) = response.Read<TwoPeriods>("organization")!;
        Assert.Equal(0, past.MeasuredEpisodes!.Value);
        Assert.Equal(0, past.SessionsHeld!.Value);
        Assert.Null(past.ReliableImprovementRate);
        Assert.Null(past.FeedbackCompletion);
        Assert.Equal("2020-01-01T00:00:00.000Z", past.From);
        var from = DateTimeOffset.Parse(year.From!, CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(year.To!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromDays(365), to - from);
        Assert.True(year.MeasuredEpisodes!.Value > 0);
    }

    [Fact]
    public async Task A_site_page_shows_its_figures_and_its_comparison_over_one_period()
    {
        var site = (await platform.GraphQL($$"""
            query($id: ID!) { site(id: $id) { outcomes { {{Fields}} } therapistComparison { therapist { id } outcomes { {{Fields}} } } } }
            """, new { id = platform.SiteA })).Read<SiteAnswer>("site")!;
        var compared = site.TherapistComparison!.Select(t => t.Outcomes!).ToList();
        Assert.Equal(2, compared.Count);
        Assert.All(compared, t => Assert.Equal((site.Outcomes!.From, site.Outcomes.To), (t.From, t.To)));
        Assert.Equal(site.Outcomes!.MeasuredEpisodes, compared.Sum(t => t.MeasuredEpisodes));
        Assert.Equal(site.Outcomes.SessionsHeld, compared.Sum(t => t.SessionsHeld));
    }

    /// <summary>The organization's answer to the query above: its figures of two periods under their aliases.</summary>
    private sealed record TwoPeriods(OutcomeFiguresAnswer Past, OutcomeFiguresAnswer Year);

    [Theory]
    [InlineData("from: \"2026-02-01T00:00:00Z\", to: \"2026-02-01T00:00:00Z\"", 200, "from")]   // empty
    [InlineData("from: \"2026-03-01T00:00:00Z\", to: \"2026-02-01T00:00:00Z\"", 200, "from")]   // backwards
    [InlineData("from: \"yesterday\"", 400, "from")]                                             // not a date: refused before it runs
    [InlineData("to: \"2026-02-01T00:00:00\"", 400, "to")]                                       // no offset
    public async Task A_bad_period_is_a_coded_error_naming_its_field(string arguments, int status, string field)
    {
        var events = await platform.EventCount();
        var response = await platform.GraphQL($"{{ organization {{ outcomes({arguments}) {{ measuredEpisodes }} }} }}", expectedStatus: status);
        Assert.Equal("VALIDATION_FAILED", response.FirstCode);
        Assert.Equal(field, response.FirstField);
        Assert.Equal(events, await platform.EventCount());
    }

    [Fact]
    public async Task The_minimum_for_comparison_is_an_organization_setting_with_validation()
    {
        var refused = await platform.GraphQL("mutation($i: AlertRuleSettingsInput!) { updateAlertRules(input: $i) { minimumEpisodesForComparison } }",
            new { i = new { minimumEpisodesForComparison = 0 } });
        Assert.Equal("VALIDATION_FAILED", refused.FirstCode);
        Assert.Equal("minimumEpisodesForComparison", refused.FirstField);
        Assert.Equal(5, (await platform.GraphQL("{ alertRules { minimumEpisodesForComparison } }")).Read<AlertRuleSettingsAnswer>("alertRules")!.MinimumEpisodesForComparison!.Value);
    }

    private async Task<(int Status, string Body, Microsoft.AspNetCore.Http.IHeaderDictionary Headers)> Get(string url, string? token = null)
    {
        var result = await platform.Host.Scenario(s =>
        {
            s.Get.Url(url);
            if (token is not null)
                s.WithRequestHeader("Authorization", "Bearer " + token);
            s.IgnoreStatusCode();
        });
        return (result.Context.Response.StatusCode, await result.ReadAsTextAsync(), result.Context.Response.Headers);
    }

    /// <summary>RFC 4180 records: quoted fields, doubled quotes, CRLF between records.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else field.Append(ch);
        }
        Assert.True(fields.Count == 0 && field.Length == 0, "every record ends with CRLF");
        return records;
    }

    private string Range => $"from={Uri.EscapeDataString(Period.From.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}" +
                            $"&to={Uri.EscapeDataString(Period.To.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}";

    [Fact]
    public async Task The_outcomes_export_has_a_row_per_therapist_with_the_same_figures()
    {
        var (episodes, sessions, settings) = await FromTheFacts();
        var (status, body, headers) = await Get($"/exports/outcomes.csv?scope=site&id={platform.SiteA}&{Range}");
        Assert.Equal(200, status);
        Assert.StartsWith("text/csv", headers.ContentType.ToString());
        Assert.StartsWith("attachment;", headers.ContentDisposition.ToString());
        var records = ParseCsv(body);
        var header = records[0];
        Assert.Equal(["therapistId", "therapist", "from", "to", "withheld", "measuredEpisodes", "reliableImprovementRate", "reliableDeteriorationRate", "recoveryRate",
            "startedInClinicalRange", "meanChange", "effectSize", "closedEpisodes", "dropoutRate", "meanSessionsPerClosedEpisode", "sessionsHeld", "feedbackCompletion",
            "srsCount", "meanSrs", "srsBelowCutoffRate"], header);
        Assert.Equal(3, records.Count);
        var ash = records[2];
        Assert.Equal(platform.A1.ToString(), ash[0]);
        Assert.Equal("Dr. \"Ash\", A.", ash[1]);                     // quoted and unquoted again
        Assert.Equal(Period.From.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), ash[2]);
        var expected = OutcomeFigures.Of(episodes.Where(e => e.TherapistId == platform.A1), sessions, settings, Period, OutcomeScope.Therapist);
        string Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
        Assert.Equal([expected.Withheld ? "true" : "false", Text(expected.MeasuredEpisodes), Text(expected.ReliableImprovementRate), Text(expected.ReliableDeteriorationRate),
            Text(expected.RecoveryRate), Text(expected.StartedInClinicalRange), Text(expected.MeanChange), Text(expected.EffectSize), Text(expected.ClosedEpisodes),
            Text(expected.DropoutRate), Text(expected.MeanSessionsPerClosedEpisode), Text(expected.SessionsHeld), Text(expected.FeedbackCompletion),
            Text(expected.SrsCount), Text(expected.MeanSrs), Text(expected.SrsBelowCutoffRate)], ash[4..]);

        var organization = ParseCsv((await Get($"/exports/outcomes.csv?scope=organization&{Range}")).Body);
        Assert.Equal("siteId", organization[0][0]);
        Assert.Equal(["Alder", "Birch"], organization.Skip(1).Select(r => r[1]));
        Assert.All(organization.Skip(1), r => Assert.Equal("false", r[4]));   // sites are never withheld
    }

    [Fact]
    public async Task The_episodes_export_is_de_identified_and_every_row_is_in_the_access_log()
    {
        var (episodes, _, _) = await FromTheFacts();
        var expected = episodes.Where(e => e.SiteId == platform.SiteA && (e.IsMeasuredIn(Period) || e.IsClosedIn(Period))).ToList();
        var token = Tokens.For("integrator", platform.Organization, subject: "exporting-integrator");
        var (status, body, headers) = await Get($"/exports/episodes.csv?siteId={platform.SiteA}&{Range}", token);
        Assert.Equal(200, status);
        Assert.StartsWith("attachment;", headers.ContentDisposition.ToString());
        var records = ParseCsv(body);
        Assert.Equal(["episodeId", "siteId", "therapistId", "population", "intakeOrs", "finalOrs", "change", "sessionsHeld", "srsCount", "closedAs", "closedAt"], records[0]);
        Assert.Equal(expected.Select(e => e.EpisodeId.ToString()).Order(), records.Skip(1).Select(r => r[0]).Order());
        foreach (var row in records.Skip(1))
        {
            var episode = expected.Single(e => e.EpisodeId.ToString() == row[0]);
            Assert.Equal(episode.TherapistId.ToString(), row[2]);
            Assert.Equal(episode.Change?.ToString(CultureInfo.InvariantCulture) ?? "", row[6]);
            Assert.Equal(episode.SessionsHeld.ToString(CultureInfo.InvariantCulture), row[7]);
            Assert.Equal(episode.ClosedAs is null ? "" : System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(episode.ClosedAs.ToString()!), row[9]);
        }
        // No client id, no goal or note text.
        foreach (var (_, client) in platform.Episodes)
            Assert.DoesNotContain(client, body);

        var log = await platform.GraphQL("{ accessLog(subject: \"exporting-integrator\", first: 500) { episodeId operation role } }");
        var logged = log.Read<List<AccessRecordAnswer>>("accessLog")!;
        Assert.All(logged, r => Assert.Equal("export episodes", r.Operation));
        Assert.Equal(expected.Select(e => e.EpisodeId.ToString()).Order(), logged.Select(r => r.EpisodeId).Order());
    }

    [Theory]
    [InlineData("/exports/outcomes.csv?scope=region&id={site}", 400, "VALIDATION_FAILED", "scope")]
    [InlineData("/exports/outcomes.csv?id={site}", 400, "VALIDATION_FAILED", "scope")]
    [InlineData("/exports/outcomes.csv?scope=site&id=not-a-uuid", 400, "VALIDATION_FAILED", "id")]
    [InlineData("/exports/outcomes.csv?scope=site", 400, "VALIDATION_FAILED", "id")]
    [InlineData("/exports/outcomes.csv?scope=site&id={site}&from=31.01.2026", 400, "VALIDATION_FAILED", "from")]
    [InlineData("/exports/outcomes.csv?scope=site&id={site}&from=2026-02-01&to=2026-02-01", 400, "VALIDATION_FAILED", "from")]
    [InlineData("/exports/outcomes.csv?scope=site&id={site}&to=2026-13-01", 400, "VALIDATION_FAILED", "to")]
    [InlineData("/exports/outcomes.csv?scope=site&id={missing}", 404, "NOT_FOUND", "id")]
    [InlineData("/exports/outcomes.csv?scope=therapist&id={missing}", 404, "NOT_FOUND", "id")]
    [InlineData("/exports/episodes.csv?siteId=12", 400, "VALIDATION_FAILED", "siteId")]
    [InlineData("/exports/episodes.csv?siteId={missing}", 404, "NOT_FOUND", "siteId")]
    [InlineData("/exports/episodes.csv?from=2026-03-01&to=2026-02-01", 400, "VALIDATION_FAILED", "from")]
    public async Task Bad_export_requests_are_problems_with_a_code_and_a_field(string url, int status, string code, string field)
    {
        var (actual, body, headers) = await Get(url.Replace("{site}", platform.SiteA.ToString()).Replace("{missing}", Guid.NewGuid().ToString()));
        Assert.True(actual == status, body);
        Assert.StartsWith("application/problem+json", headers.ContentType.ToString());
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        Assert.Equal(field, problem["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_export_without_a_token_is_unauthenticated()
    {
        var result = await platform.Host.Scenario(s =>
        {
            s.Get.Url($"/exports/outcomes.csv?scope=site&id={platform.SiteA}");
            s.WithRequestHeader("Authorization", "Bearer not-a-token");
            s.StatusCodeShouldBe(401);
        });
        Assert.Contains("UNAUTHENTICATED", await result.ReadAsTextAsync());
    }
}
