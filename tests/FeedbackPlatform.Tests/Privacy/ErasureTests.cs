using FeedbackPlatform.Tests.Support;
using Npgsql;

namespace FeedbackPlatform.Tests.Privacy;

public sealed class ErasureFixture : PlatformFixture;

/// <summary>A client's free text leaves the event store and every read model on request; the numbers stay.</summary>
public sealed class ErasureTests(ErasureFixture platform) : IClassFixture<ErasureFixture>
{
    private const string Goal = "Cope with panic attacks since the divorce";
    private const string Revised = "Return to work after the panic attacks";
    private const string Rupture = "Client felt judged when we talked about drinking";
    private const string AlertNote = "Called the client about the drinking, follow-up booked";
    private const string OtherGoal = "Another client's goal about sleep";

    /// <summary>How many rows of the fixture's schema (events and every document table) contain the text.</summary>
    private async Task<long> RowsContaining(string text)
    {
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = @s and (table_name = 'mt_events' or table_name like 'mt_doc_%')", connection))
        {
            list.Parameters.AddWithValue("s", platform.Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }
        long total = 0;
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from \"{platform.Schema}\".\"{table}\" t where t::text like @p", connection);
            count.Parameters.AddWithValue("p", "%" + text + "%");
            total += (long)(await count.ExecuteScalarAsync())!;
        }
        return total;
    }

    [Fact]
    public async Task Erasing_a_client_removes_their_free_text_from_events_and_read_models_and_keeps_the_statistics()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var other = await clinic.OpenEpisode();
        var session = await clinic.RecordSession(episode);
        var goal = Guid.NewGuid();
        (await platform.GraphQL("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }",
            new { i = new { episodeId = episode, goalId = goal, description = Goal, agreedByClient = true, agreedByTherapist = true } })).At("recordGoalAgreement.id");
        (await platform.GraphQL("mutation($i: ReviseGoalInput!) { reviseGoal(input: $i) { id } }",
            new { i = new { episodeId = episode, goalId = goal, description = Revised, agreedByClient = true, agreedByTherapist = true } })).At("reviseGoal.id");
        (await platform.GraphQL("mutation($i: NoteRuptureInput!) { noteRupture(input: $i) { id } }",
            new { i = new { episodeId = episode, sessionId = session, note = Rupture } })).At("noteRupture.id");
        var alertId = (await clinic.SubmitSrs(episode, session, 5, 5, 5, 5)).At("submitSessionRating.alerts.0")!.AsObject();
        var alerts = await platform.GraphQL("query($id: ID!) { episode(id: $id) { alerts { id } } }", new { id = episode });
        var alert = alerts.At("episode.alerts.0.id")!.GetValue<string>();
        (await platform.GraphQL("mutation($i: AcknowledgeAlertInput!) { acknowledgeAlert(input: $i) { id } }", new { i = new { alertId = alert, note = AlertNote } })).At("acknowledgeAlert.id");
        (await platform.GraphQL("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }",
            new { i = new { episodeId = other, goalId = Guid.NewGuid(), description = OtherGoal, agreedByClient = true, agreedByTherapist = true } })).At("recordGoalAgreement.id");
        const string view = "query($id: ID!) { episode(id: $id) { clientId goals { description agreed } allianceHealth { latestSrsTotal rupturesNoted status } alerts { kind status notes } } }";
        var before = await platform.GraphQL(view, new { id = episode });
        foreach (var text in new[] { Goal, Revised, Rupture, AlertNote })
            Assert.True(await RowsContaining(text) > 0, text + " should be stored before the erasure");

        var clientId = before.At("episode.clientId")!.GetValue<string>();
        var erased = await platform.GraphQL("mutation($i: EraseClientDataInput!) { eraseClientData(input: $i) { clientId episodesErased } }", new { i = new { clientId } });
        Assert.Equal(1, erased.At("eraseClientData.episodesErased")!.GetValue<int>());

        // The raw tables hold none of it any more, and nothing of the other client was touched.
        foreach (var text in new[] { Goal, Revised, Rupture, AlertNote })
            Assert.Equal(0, await RowsContaining(text));
        Assert.True(await RowsContaining(OtherGoal) > 0);

        // The scores, the goal's agreement, the rupture count and the alerts are as they were.
        var after = await platform.GraphQL(view, new { id = episode });
        Assert.Equal("[erased]", after.At("episode.goals.0.description")!.GetValue<string>());
        Assert.Equal(before.At("episode.allianceHealth")!.ToJsonString(), after.At("episode.allianceHealth")!.ToJsonString());
        Assert.Equal(before.At("episode.goals.0.agreed")!.ToJsonString(), after.At("episode.goals.0.agreed")!.ToJsonString());
        Assert.Equal(before.At("episode.alerts")!.AsArray().Count, after.At("episode.alerts")!.AsArray().Count);
        Assert.Equal(["[erased]"], after.At("episode.alerts.0.notes")!.AsArray().Select(n => n!.GetValue<string>()));

        // A rebuild from the events cannot bring it back: the events themselves were overwritten.
        var asOf = await platform.GraphQL("query($id: ID!, $t: DateTime!) { episode(id: $id, asOf: $t) { goals { description } } }", new { id = episode, t = DateTimeOffset.UtcNow });
        Assert.Equal("[erased]", asOf.At("episode.goals.0.description")!.GetValue<string>());
        Assert.NotNull(alertId);
    }

    [Fact]
    public async Task Erasing_an_unknown_client_is_not_found_and_stores_nothing()
    {
        var events = await platform.EventCount();
        var response = await platform.GraphQL("mutation($i: EraseClientDataInput!) { eraseClientData(input: $i) { episodesErased } }", new { i = new { clientId = "nobody-" + Guid.NewGuid() } });
        Assert.Equal("NOT_FOUND", response.FirstCode);
        Assert.Equal("clientId", response.FirstField);
        Assert.Equal(events, await platform.EventCount());
    }
}
