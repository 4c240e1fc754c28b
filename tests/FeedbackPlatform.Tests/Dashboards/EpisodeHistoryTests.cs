using System.Globalization;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedbackPlatform.Tests.Dashboards;

public sealed class EpisodeHistoryFixture : PlatformFixture;

/// <summary>
/// The history a dashboard draws (sessions with their ratings, the SRS and ORS series, goals) is kept as rows beside
/// the episode's small read model: the same answers over GraphQL, live and as of an instant, a page of episodes in a
/// constant number of statements, and a document that does not grow with the episode.
/// </summary>
public sealed class EpisodeHistoryTests(EpisodeHistoryFixture platform) : IClassFixture<EpisodeHistoryFixture>
{
    private const string Episode = """
        query($id: ID!, $asOf: DateTime) { episode(id: $id, asOf: $asOf) {
          sessions { number cancelled hasSessionRating hasOutcomeRating hasAllianceInventory sessionRating { total } outcomeRating { total } allianceInventory { total } }
          goals { description agreed achieved }
          allianceHealth { srsSeries { sessionNumber total } orsSeries { sessionNumber total } sessionsHeld sessionsWithSrs lastSessionAt hasAgreedGoal openAlerts status }
          alerts { kind status } } }
        """;

    /// <summary>A list as the rows a dashboard draws, one row per item, so a whole history compares in one line.</summary>
    private static string Rows<T>(IEnumerable<T>? list, Func<T, string> row) => string.Join(" | ", list!.Select(row));

    // A value in a row: true or false, a number in its shortest form, "-" for a score that is not there.
    private static string Text(bool? value) => value switch { true => "true", false => "false", null => "" };
    private static string Text(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private async Task Goal(string mutation, Guid episodeId, Guid goalId, string description, bool client, bool therapist) =>
        (await platform.GraphQL($"mutation($i: {char.ToUpperInvariant(mutation[0])}{mutation[1..]}Input!) {{ {mutation}(input: $i) {{ id }} }}",
            new { i = new { episodeId, goalId, description, agreedByClient = client, agreedByTherapist = therapist } })).Read<EpisodeAnswer>(mutation);

    [Fact]
    public async Task Sessions_series_and_goals_follow_ratings_a_cancellation_and_a_revision_live_and_as_of_an_instant()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var (sleep, work) = (Guid.NewGuid(), Guid.NewGuid());
        await Goal("recordGoalAgreement", episode, sleep, "Sleep through the night", true, false);
        await Goal("recordGoalAgreement", episode, work, "Back to work", true, true);
        var first = await clinic.RecordSession(episode, 0);
        (await clinic.SubmitSrs(episode, first, 10, 10, 9.5, 9.5)).Read<EpisodeAnswer>("submitSessionRating");        // 39
        (await clinic.SubmitOrs(episode, first, 5, 5, 5, 5)).Read<EpisodeAnswer>("submitOutcomeRating");             // intake 20
        (await platform.GraphQL("mutation($i: SubmitAllianceInventoryInput!) { submitAllianceInventory(input: $i) { id } }",
            new { i = new { episodeId = episode, sessionId = first, items = Enumerable.Repeat(4, 12).ToArray() } })).Read<EpisodeAnswer>("submitAllianceInventory");
        var second = await clinic.RecordSession(episode, 7);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(300, TestContext.Current.CancellationToken);

        // The latest session is cancelled: the last session is the first again. A revision keeps the goal's place.
        var third = await clinic.RecordSession(episode, 14);
        (await platform.GraphQL("mutation($i: CancelSessionInput!) { cancelSession(input: $i) { id } }",
            new { i = new { episodeId = episode, sessionId = third } })).Read<EpisodeAnswer>("cancelSession");
        (await clinic.SubmitSrs(episode, second, 9, 9, 9, 8.5)).Read<EpisodeAnswer>("submitSessionRating");          // 35.5: a drop, low alliance
        (await clinic.SubmitOrs(episode, second, 6, 6, 6, 6)).Read<EpisodeAnswer>("submitOutcomeRating");             // 24
        await Goal("reviseGoal", episode, sleep, "Sleep six hours", true, true);
        (await platform.GraphQL("mutation($i: MarkGoalAchievedInput!) { markGoalAchieved(input: $i) { id } }",
            new { i = new { episodeId = episode, goalId = work } })).Read<EpisodeAnswer>("markGoalAchieved");
        var fourth = await clinic.RecordSession(episode, 10);
        (await platform.GraphQL("mutation($i: CancelSessionInput!) { cancelSession(input: $i) { id } }",
            new { i = new { episodeId = episode, sessionId = fourth } })).Read<EpisodeAnswer>("cancelSession");

        var now = (await platform.GraphQL(Episode, new { id = episode, asOf = (string?)null })).Read<EpisodeAnswer>("episode")!;
        Assert.Equal("1 false 39 20 48 | 2 false 35.5 24 - | 3 true - - - | 4 true - - -", Rows(now.Sessions, s =>
            $"{Text(s.Number)} {Text(s.Cancelled)} {Text(s.SessionRating?.Total)} {Text(s.OutcomeRating?.Total)} {Text(s.AllianceInventory?.Total)}"));
        Assert.Equal("true true true | true true false | false false false | false false false", Rows(now.Sessions, s =>
            $"{Text(s.HasSessionRating)} {Text(s.HasOutcomeRating)} {Text(s.HasAllianceInventory)}"));
        Assert.Equal("Sleep six hours true false | Back to work true true", Rows(now.Goals, g => $"{g.Description} {Text(g.Agreed)} {Text(g.Achieved)}"));
        var health = now.AllianceHealth!;
        Assert.Equal("1:39 | 2:35.5", Rows(health.SrsSeries, p => $"{Text(p.SessionNumber)}:{Text(p.Total)}"));
        Assert.Equal("1:20 | 2:24", Rows(health.OrsSeries, p => $"{Text(p.SessionNumber)}:{Text(p.Total)}"));
        Assert.Equal(2, health.SessionsHeld);
        Assert.Equal(2, health.SessionsWithSrs);
        Assert.Equal(new DateTimeOffset(2026, 1, 19, 10, 0, 0, TimeSpan.Zero), health.LastSessionAt);
        Assert.True(health.HasAgreedGoal);
        // The drop and low alliance at least; the count is that of the inbox's unresolved alerts of the episode.
        var open = now.Alerts!.Where(a => a.Status != "RESOLVED").Select(a => a.Kind).ToList();
        Assert.Contains("ALLIANCE_DROP", open);
        Assert.Contains("LOW_ALLIANCE", open);
        Assert.Equal(open.Count, health.OpenAlerts);
        Assert.Equal("AT_RISK", health.Status);

        // As it stood before the cancellation and the second ratings: folded from the events, not read from the rows.
        var then = (await platform.GraphQL(Episode, new { id = episode, asOf = between.ToString("O") })).Read<EpisodeAnswer>("episode")!;
        Assert.Equal("1 false 39 | 2 false -", Rows(then.Sessions, s => $"{Text(s.Number)} {Text(s.Cancelled)} {Text(s.SessionRating?.Total)}"));
        Assert.Equal("Sleep through the night false false | Back to work true false", Rows(then.Goals, g => $"{g.Description} {Text(g.Agreed)} {Text(g.Achieved)}"));
        var past = then.AllianceHealth!;
        Assert.Equal("1:39", Rows(past.SrsSeries, p => $"{Text(p.SessionNumber)}:{Text(p.Total)}"));
        Assert.Equal("1:20", Rows(past.OrsSeries, p => $"{Text(p.SessionNumber)}:{Text(p.Total)}"));
        Assert.Equal(new DateTimeOffset(2026, 1, 19, 10, 0, 0, TimeSpan.Zero), past.LastSessionAt);
        Assert.Equal("HEALTHY", past.Status);
    }

    [Fact]
    public async Task A_page_of_episodes_with_their_sessions_goals_and_series_costs_the_same_statements_for_3_as_for_12()
    {
        var small = await new Clinic(platform).Register();
        var large = await new Clinic(platform).Register();
        foreach (var (clinic, count) in new[] { (small, 3), (large, 12) })
        {
            for (var i = 0; i < count; i++)
            {
                var episode = await clinic.OpenEpisode();
                await Goal("recordGoalAgreement", episode, Guid.NewGuid(), "Back to work", true, true);
                (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 0), 10, 10, 10, 10)).Read<EpisodeAnswer>("submitSessionRating");
                (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 7), 9.5, 9.5, 10, 10)).Read<EpisodeAnswer>("submitSessionRating");
            }
        }
        const string page = """
            query($id: ID!) { site(id: $id) { episodes(first: 50) { nodes {
              id sessions { number sessionRating { total } } goals { description } allianceHealth { srsSeries { total } orsSeries { total } } } } } }
            """;
        var counter = platform.Host.Services.GetRequiredService<PrivateMartenLogger>();

        // The fewest statements of a few runs: background work (notices, the daemon) can only add to a run's count.
        async Task<(long Statements, IReadOnlyList<EpisodeAnswer> Nodes)> Cost(Clinic clinic)
        {
            var fewest = long.MaxValue;
            IReadOnlyList<EpisodeAnswer> nodes = [];
            for (var run = 0; run < 4; run++)
            {
                var before = counter.Statements;
                var response = await platform.GraphQL(page, new { id = clinic.SiteId });
                fewest = Math.Min(fewest, counter.Statements - before);
                nodes = response.Read<SiteAnswer>("site")!.Episodes!.Nodes!;
            }
            return (fewest, nodes);
        }

        var (few, threeNodes) = await Cost(small);
        var (many, twelveNodes) = await Cost(large);
        Assert.Equal(3, threeNodes.Count);
        Assert.Equal(12, twelveNodes.Count);
        Assert.All(twelveNodes, n =>
        {
            Assert.Equal("1:40 | 2:39", Rows(n.Sessions, s => $"{Text(s.Number)}:{Text(s.SessionRating!.Total)}"));
            Assert.Equal("Back to work", Rows(n.Goals, g => g.Description!));
            Assert.Equal("40 | 39", Rows(n.AllianceHealth!.SrsSeries, p => Text(p.Total)));
        });
        // The page, one query of sessions (the series reuse it), one of goals: however many episodes.
        Assert.Equal(few, many);
        Assert.True(many <= 6, $"{many} SQL statements for one page");
    }

    [Fact]
    public async Task Each_mutation_of_one_document_answers_with_the_rows_as_its_own_command_left_them()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var session = Guid.NewGuid();
        var answer = await platform.GraphQL("""
            mutation($s: RecordSessionInput!, $r: SubmitSessionRatingInput!) {
              recorded: recordSession(input: $s) { sessions { number hasSessionRating } allianceHealth { srsSeries { total } } }
              rated: submitSessionRating(input: $r) { sessions { number hasSessionRating } allianceHealth { srsSeries { total } } } }
            """, new
        {
            s = new { episodeId = episode, sessionId = session, heldAt = "2026-01-12T10:00:00Z" },
            r = new { episodeId = episode, sessionId = session, relationship = 10.0, goalsAndTopics = 10.0, approachOrMethod = 10.0, overall = 10.0 },
        });
        var (recorded, rated) = (answer.Read<EpisodeAnswer>("recorded")!, answer.Read<EpisodeAnswer>("rated")!);
        Assert.Equal("1 false", Rows(recorded.Sessions, s => $"{Text(s.Number)} {Text(s.HasSessionRating)}"));
        Assert.Empty(recorded.AllianceHealth!.SrsSeries!);
        Assert.Equal("1 true", Rows(rated.Sessions, s => $"{Text(s.Number)} {Text(s.HasSessionRating)}"));
        Assert.Equal("40", Rows(rated.AllianceHealth!.SrsSeries, p => Text(p.Total)));
    }

    [Fact]
    public async Task The_episode_document_does_not_grow_with_sessions_and_alerts()
    {
        var clinic = await new Clinic(platform).Register();
        var (three, thirty) = (Guid.NewGuid(), Guid.NewGuid());
        await Import(clinic, three, 3);
        await Import(clinic, thirty, 30);

        var (short_, long_) = (await StoredLength(three), await StoredLength(thirty));
        // Only the held sessions remembered for a cancellation (three, then at most eight) and the digits of the counts differ.
        Assert.True(long_ <= short_ + 600, $"{long_} characters after 30 sessions, {short_} after 3");
        Assert.True(long_ < 2500, $"{long_} characters after 30 sessions");

        // The history is all there, as rows.
        var history = (await platform.GraphQL("query($id: ID!) { episode(id: $id) { sessions { number } allianceHealth { srsSeries { sessionNumber } } alerts { id } } }", new { id = thirty }))
            .Read<EpisodeAnswer>("episode")!;
        var numbers = string.Join(" ", Enumerable.Range(1, 30));
        Assert.Equal(numbers, string.Join(" ", history.Sessions!.Select(s => Text(s.Number))));
        // One import gives every SRS the same instant: the series keeps the order the ratings were recorded in.
        Assert.Equal(numbers, string.Join(" ", history.AllianceHealth!.SrsSeries!.Select(p => Text(p.SessionNumber))));
        Assert.True(history.Alerts!.Count >= 10);
        // ...and that order is the stream's: each SRS row knows its event's position, rising with the session number.
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var positions = new NpgsqlCommand(
            $"select string_agg((data->>'srsVersion'), ' ' order by (data->>'number')::int) from \"{platform.Schema}\".mt_doc_episodesession where episode_id = @id", connection);
        positions.Parameters.AddWithValue("id", thirty);
        var versions = ((string)(await positions.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).Split(' ').Select(long.Parse).ToList();
        Assert.Equal(30, versions.Count);
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(30, versions.Distinct().Count());
    }

    /// <summary>An episode with sessions whose SRS falls and recovers in turn (39, 35.5), raising and resolving alerts as it goes.</summary>
    private async Task Import(Clinic clinic, Guid episodeId, int sessions)
    {
        var history = new
        {
            episodeId, siteId = clinic.SiteId, therapistId = clinic.TherapistId, clientId = "client-" + episodeId.ToString("N")[..8], population = "ADULT",
            openedAt = "2025-01-06T09:00:00Z",
            goals = new[] { new { goalId = Guid.NewGuid(), description = "Back to work", agreedByClient = true, agreedByTherapist = true } },
            sessions = Enumerable.Range(0, sessions).Select(i => new
            {
                sessionId = Guid.NewGuid(), heldAt = new DateTimeOffset(2025, 1, 13, 10, 0, 0, TimeSpan.Zero).AddDays(7 * i),
                // The last session is a low one whatever the count, so both episodes end with the same alerts open.
                sessionRating = (sessions - 1 - i) % 2 == 1
                    ? new { relationship = 10.0, goalsAndTopics = 10.0, approachOrMethod = 9.5, overall = 9.5 }
                    : new { relationship = 9.0, goalsAndTopics = 9.0, approachOrMethod = 9.0, overall = 8.5 },
                outcomeRating = new { individual = 5.0 + i % 5, interpersonal = 5.0, social = 5.0, overall = 5.0 },
            }).ToArray(),
        };
        (await platform.GraphQL("mutation($i: ImportEpisodeHistoryInput!) { importEpisodeHistory(input: $i) { id } }", new { i = history })).Read<EpisodeAnswer>("importEpisodeHistory");
    }

    private async Task<int> StoredLength(Guid episodeId)
    {
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"select length(data::text) from \"{platform.Schema}\".mt_doc_episodealliancehealth where id = @id", connection);
        command.Parameters.AddWithValue("id", episodeId);
        return (int)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
