using System.Text.Json.Nodes;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.Tests.Support;
using Wolverine.Tracking;

namespace FeedbackPlatform.Tests.Episodes;

public sealed class ImportHistoryFixture : PlatformFixture;

/// <summary>importEpisodeHistory: a whole history in one transaction, decided as the single mutations would decide it.</summary>
public sealed class ImportHistoryTests(ImportHistoryFixture platform) : IClassFixture<ImportHistoryFixture>
{
    private const string Import = """
        mutation($i: ImportEpisodeHistoryInput!) { importEpisodeHistory(input: $i) {
          status sessions { number hasSessionRating hasOutcomeRating }
          allianceHealth { status latestSrsTotal intakeOrsTotal latestOrsTotal sessionsHeld hasAgreedGoal }
          alerts { id kind status resolution sessionNumber occurrences } } }
        """;

    // The SRS items of each session (39, 35.5, 35.5, 39): a drop and low alliance at the second, again at the third, repaired at the fourth.
    private static readonly double[][] Srs = [[10, 10, 9.5, 9.5], [9, 9, 9, 8.5], [9, 9, 9, 8.5], [10, 10, 9.5, 9.5]];

    private static object History(Clinic clinic, Guid episodeId, Guid goalId, Guid[] sessions, string? closedAs = null, Func<int, object?>? srs = null) => new
    {
        episodeId, siteId = clinic.SiteId, therapistId = clinic.TherapistId, clientId = "client-" + episodeId.ToString("N")[..8], population = "ADULT",
        openedAt = "2026-01-05T09:00:00Z",
        goals = new[] { new { goalId, description = "Back to work", agreedByClient = true, agreedByTherapist = true } },
        sessions = sessions.Select((id, i) => new
        {
            sessionId = id, heldAt = new DateTimeOffset(2026, 1, 12, 10, 0, 0, TimeSpan.Zero).AddDays(7 * i),
            sessionRating = srs is null ? new { relationship = Srs[i][0], goalsAndTopics = Srs[i][1], approachOrMethod = Srs[i][2], overall = Srs[i][3] } : srs(i),
            outcomeRating = new { individual = 5.0 + i, interpersonal = 5.0 + i, social = 5.0 + i, overall = 5.0 + i },
        }).ToArray(),
        closedAs,
    };

    private static string Kinds(EpisodeAnswer episode) => string.Join(", ", episode.Alerts!
        .Select(a => $"{a.Kind} {a.Status} {a.Resolution} {a.SessionNumber} x{a.Occurrences}").Order());

    [Fact]
    public async Task An_imported_history_gives_the_read_model_and_alerts_the_single_mutations_give()
    {
        var clinic = await new Clinic(platform).Register();
        var sessions = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var before = await platform.EventCount();
        var imported = await platform.GraphQL(Import, new { i = History(clinic, Guid.NewGuid(), Guid.NewGuid(), sessions) });
        Assert.False(imported.HasErrors, imported.Body.ToJsonString());
        // 1 opening + 1 goal + 4 x 3 facts + 2 alerts raised, 1 occurrence and 2 resolved in the episode's stream, and
        // the 5 alert decisions again in the alerts' own streams: one transaction.
        Assert.Equal(before + 1 + 1 + 12 + 5 + 5, await platform.EventCount());

        // The same facts one by one, on another episode of the same clinic.
        var oneByOne = await clinic.OpenEpisode();
        await platform.GraphQL("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }",
            new { i = new { episodeId = oneByOne, goalId = Guid.NewGuid(), description = "Back to work", agreedByClient = true, agreedByTherapist = true } });
        for (var i = 0; i < 4; i++)
        {
            var session = await clinic.RecordSession(oneByOne, 7 * i);
            (await clinic.SubmitSrs(oneByOne, session, Srs[i][0], Srs[i][1], Srs[i][2], Srs[i][3])).Read<EpisodeAnswer>("submitSessionRating");
            (await clinic.SubmitOrs(oneByOne, session, 5 + i, 5 + i, 5 + i, 5 + i)).Read<EpisodeAnswer>("submitOutcomeRating");
        }
        var single = await platform.GraphQL("query($id: ID!) { episode(id: $id) { " + Import[Import.IndexOf("status sessions", StringComparison.Ordinal)..^4] + " } }", new { id = oneByOne });

        var episode = imported.Read<EpisodeAnswer>("importEpisodeHistory")!;
        Assert.Equal(Kinds(single.Read<EpisodeAnswer>("episode")!), Kinds(episode));
        Assert.Equal("ALLIANCE_DROP RESOLVED REPAIRED 2 x1, LOW_ALLIANCE RESOLVED RECOVERED 2 x2", Kinds(episode));
        // Byte for byte: the same values, written the same way.
        Assert.Equal(single.Json("episode")!["allianceHealth"]!.ToJsonString(), imported.Json("importEpisodeHistory")!["allianceHealth"]!.ToJsonString());
        Assert.Equal(single.Json("episode")!["sessions"]!.ToJsonString(), imported.Json("importEpisodeHistory")!["sessions"]!.ToJsonString());
        Assert.Equal(39.0, episode.AllianceHealth!.LatestSrsTotal);

        // Each alert has its own stream and appears in the inbox as the single mutations' alerts do.
        foreach (var alert in episode.Alerts!)
        {
            var read = await platform.GraphQL("query($id: ID!) { alert(id: $id) { kind status } }", new { id = alert.Id });
            Assert.Equal(alert.Kind, read.Read<AlertAnswer>("alert")!.Kind);
        }
    }

    [Fact]
    public async Task An_import_schedules_one_contact_check_and_a_feedback_check_only_for_the_unrated_session()
    {
        var clinic = await new Clinic(platform).Register();
        var episodeId = Guid.NewGuid();
        var sessions = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var before = DateTimeOffset.UtcNow;
        var tracked = await platform.Host.ExecuteAndWaitAsync(async () =>
            (await platform.GraphQL(Import, new { i = History(clinic, episodeId, Guid.NewGuid(), sessions,
                srs: i => i < 2 ? new { relationship = 10.0, goalsAndTopics = 10.0, approachOrMethod = 9.5, overall = 9.5 } : null) })).Read<EpisodeAnswer>("importEpisodeHistory"));

        var scheduled = tracked.Scheduled.Envelopes().Select(e => e.Message).ToList();
        Assert.Equal([new CheckFeedbackDue(episodeId, sessions[2])], scheduled.OfType<CheckFeedbackDue>());
        Assert.Equal([new CheckContactDue(episodeId)], scheduled.OfType<CheckContactDue>());
        // The clock starts when the history is recorded (the spec's 24 hours), not when the session was held.
        var due = tracked.Scheduled.Envelopes().Single(e => e.Message is CheckFeedbackDue).ScheduledTime!.Value;
        Assert.InRange(due, before.AddHours(24), DateTimeOffset.UtcNow.AddHours(24));
    }

    [Fact]
    public async Task Alerts_an_import_raises_and_resolves_are_history_and_only_those_still_open_are_notified()
    {
        var clinic = await new Clinic(platform).Register();
        // Sessions 2 and 3 are low (raised, again), the fourth recovers: both alerts are raised and resolved in the import.
        var past = await platform.Host.ExecuteAndWaitAsync(async () =>
            (await platform.GraphQL(Import, new { i = History(clinic, Guid.NewGuid(), Guid.NewGuid(), [.. Enumerable.Range(0, 4).Select(_ => Guid.NewGuid())]) })).Read<EpisodeAnswer>("importEpisodeHistory"));
        Assert.Empty(past.Sent.MessagesOf<AlertNotice>());
        Assert.DoesNotContain(past.Scheduled.Envelopes(), e => e.Message is EscalateUnacknowledgedAlert);

        // A history that ends low: its alerts are open now, so directors hear of them and their escalation clock runs.
        var open = await platform.Host.ExecuteAndWaitAsync(async () =>
            (await platform.GraphQL(Import, new { i = History(clinic, Guid.NewGuid(), Guid.NewGuid(), [.. Enumerable.Range(0, 3).Select(_ => Guid.NewGuid())]) })).Read<EpisodeAnswer>("importEpisodeHistory"));
        var notices = open.Sent.MessagesOf<AlertNotice>().ToList();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Equal("raised", n.Event));
        Assert.Equal(2, open.Scheduled.Envelopes().Count(e => e.Message is EscalateUnacknowledgedAlert));
    }

    [Fact]
    public async Task The_same_import_again_records_nothing_and_a_closed_history_stays_closed()
    {
        var clinic = await new Clinic(platform).Register();
        var episodeId = Guid.NewGuid();
        var goalId = Guid.NewGuid();
        var sessions = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var first = await platform.GraphQL(Import, new { i = History(clinic, episodeId, goalId, sessions, "PLANNED") });
        Assert.Equal("CLOSED", first.Read<EpisodeAnswer>("importEpisodeHistory")!.Status);
        var events = await platform.EventCount();

        var again = await platform.GraphQL(Import, new { i = History(clinic, episodeId, goalId, sessions, "PLANNED") });
        Assert.False(again.HasErrors, again.Body.ToJsonString());
        Assert.Equal(events, await platform.EventCount());

        var more = await platform.GraphQL(Import, new { i = History(clinic, episodeId, goalId, [.. sessions[..3], Guid.NewGuid()], "PLANNED") });
        Assert.Equal(new GraphQLError("CONFLICT", "episodeId"), more.FirstError);
        Assert.Equal(events, await platform.EventCount());
    }

    [Fact]
    public async Task A_bad_item_is_refused_by_its_path_and_nothing_of_the_history_is_stored()
    {
        var clinic = await new Clinic(platform).Register();
        var sessions = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var before = await platform.EventCount();

        var offScale = await platform.GraphQL(Import, new { i = History(clinic, Guid.NewGuid(), Guid.NewGuid(), sessions,
            srs: i => new { relationship = 9.0, goalsAndTopics = 9.0, approachOrMethod = 9.0, overall = i == 2 ? 10.5 : 9.0 }) });
        Assert.Equal(new GraphQLError("VALIDATION_FAILED", "sessions[2].sessionRating.overall"), offScale.FirstError);

        var history = History(clinic, Guid.NewGuid(), Guid.NewGuid(), sessions);
        var node = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(history))!;
        (node["sessions"]![1]!["heldAt"], node["sessions"]![2]!["heldAt"]) = (node["sessions"]![2]!["heldAt"]!.DeepClone(), node["sessions"]![1]!["heldAt"]!.DeepClone());
        var outOfOrder = await platform.GraphQL(Import, new { i = node });
        Assert.Equal(new GraphQLError("VALIDATION_FAILED", "sessions[2].heldAt"), outOfOrder.FirstError);

        var tooMany = await platform.GraphQL(Import, new { i = History(clinic, Guid.NewGuid(), Guid.NewGuid(), [.. Enumerable.Range(0, 201).Select(_ => Guid.NewGuid())],
            srs: _ => null) });
        Assert.Equal(new GraphQLError("VALIDATION_FAILED", "sessions"), tooMany.FirstError);

        Assert.Equal(before, await platform.EventCount());
    }
}
