using FeedbackPlatform.Tests.Support;
using Npgsql;

namespace FeedbackPlatform.Tests.Access;

/// <summary>Every read of an episode's data leaves a record: who, which episode, which operation, when.</summary>
public sealed class AccessLogTests(AccessWorldFixture world) : IClassFixture<AccessWorldFixture>
{
    private const string Log = "query($e: ID, $s: String) { accessLog(episodeId: $e, subject: $s, first: 50) { subject role episodeId operation at } }";

    [Fact]
    public async Task Reads_of_episode_data_are_recorded_and_admins_read_the_log()
    {
        var own = world.Episodes["own"];
        var other = world.Episodes["other"];
        var director = world.TokenOf("director");
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        (await world.GraphQL("query($id: ID!) { episode(id: $id) { id allianceHealth { status } } }", new { id = own.Episode }, token: director)).At("episode.id");
        (await world.GraphQL("query($s: ID!) { site(id: $s) { episodes(first: 10) { edges { node { id } } } } }", new { s = world.S1 }, token: director)).At("site.id");
        // Out of scope: answered as missing, and nothing was read, so nothing is recorded.
        Assert.Null((await world.GraphQL("query($id: ID!) { episode(id: $id) { id } }", new { id = other.Episode }, token: director)).At("episode"));

        var records = (await world.GraphQL(Log, new { s = "director-s1" })).At("accessLog")!.AsArray();
        Assert.Contains(records, r => r!["episodeId"]!.GetValue<string>() == own.Episode.ToString() && r["operation"]!.GetValue<string>() == "query episode");
        Assert.Contains(records, r => r!["episodeId"]!.GetValue<string>() == world.Episodes["colleague"].Episode.ToString() && r["operation"]!.GetValue<string>() == "query site");
        Assert.DoesNotContain(records, r => r!["episodeId"]!.GetValue<string>() == other.Episode.ToString());
        Assert.All(records, r =>
        {
            Assert.Equal("DIRECTOR", r!["role"]!.GetValue<string>());
            Assert.True(DateTimeOffset.Parse(r["at"]!.GetValue<string>()) >= started);
        });

        // Only admins read it.
        Assert.Equal("FORBIDDEN", (await world.GraphQL(Log, new { s = "director-s1" }, token: director)).FirstCode);
    }

    [Fact]
    public async Task An_inbox_row_that_links_its_episode_by_id_is_served_checked_and_recorded_like_a_full_read()
    {
        var director = Tokens.For("director", world.Organization, [world.S1], subject: "inbox-reader");
        const string inbox = "{ alerts(first: 50) { edges { node { id episode { id } } } } }";
        var rows = (await world.GraphQL(inbox, token: director)).At("alerts.edges")!.AsArray().Select(e => e!["node"]!).ToList();

        // Only the id was asked for, so only the episode's reference was loaded: it is the alert's episode all the same.
        foreach (var key in new[] { "own", "colleague" })
        {
            var target = world.Episodes[key];
            var row = Assert.Single(rows, r => r["id"]!.GetValue<string>() == target.Alert.ToString());
            Assert.Equal(target.Episode.ToString(), row["episode"]!["id"]!.GetValue<string>());
        }
        Assert.DoesNotContain(rows, r => r["id"]!.GetValue<string>() == world.Episodes["other"].Alert.ToString());
        var records = (await world.GraphQL(Log, new { s = "inbox-reader" })).At("accessLog")!.AsArray();
        Assert.Contains(records, r => r!["episodeId"]!.GetValue<string>() == world.Episodes["own"].Episode.ToString() && r["operation"]!.GetValue<string>() == "query alerts");

        // Asking for more of the episode loads all of it.
        var full = (await world.GraphQL("{ alerts(first: 50) { edges { node { id episode { id clientId } } } } }", token: director)).At("alerts.edges")!.AsArray();
        Assert.Contains(full, e => e!["node"]!["episode"]!["clientId"]!.GetValue<string>() == world.Episodes["own"].ClientId);
    }

    [Fact]
    public async Task Simultaneous_requests_are_each_recorded_before_their_answers_leave()
    {
        // Requests that arrive together share one COPY (a group commit); each answer still waits for its record.
        var own = world.Episodes["own"];
        var subjects = Enumerable.Range(1, 24).Select(i => $"burst-{i}").ToArray();
        await Task.WhenAll(subjects.Select(async subject =>
        {
            var token = Tokens.For("admin", world.Organization, subject: subject);
            (await world.GraphQL("query($id: ID!) { episode(id: $id) { id } }", new { id = own.Episode }, token: token)).At("episode.id");
            // Recorded by the time the answer arrived: the log already has it.
            var records = (await world.GraphQL(Log, new { e = own.Episode.ToString(), s = subject })).At("accessLog")!.AsArray();
            Assert.Single(records);
        }));
    }

    [Fact]
    public async Task The_log_holds_no_clinical_content_and_stays_in_its_organization()
    {
        var own = world.Episodes["own"];
        (await world.GraphQL("query($id: ID!) { episode(id: $id) { clientId goals { description } allianceHealth { latestSrsTotal } } }", new { id = own.Episode })).At("episode");
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var rows = new NpgsqlCommand($"select tenant_id, t::text from \"{world.Schema}\".feedback_access_log t", connection);
        await using var reader = await rows.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var count = 0;
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            count++;
            var data = reader.GetString(1);
            Assert.DoesNotContain(own.ClientId, data);
            Assert.DoesNotContain("Private goal", data);
            Assert.DoesNotContain("\"total\"", data);
            // Each organization's reads are in its own tenant.
            var episode = world.Episodes.Values.Single(t => data.Contains(t.Episode.ToString()));
            Assert.Equal(episode == world.Episodes["foreign"] ? world.ForeignOrganization : world.Organization, reader.GetString(0));
        }
        Assert.True(count > 0);

        // The other organization's admin sees none of these reads.
        var foreign = await world.GraphQL(Log, new { e = own.Episode }, token: world.TokenOf("foreign-admin"));
        Assert.Empty(foreign.At("accessLog")!.AsArray());
    }

    [Theory]
    [InlineData("update \"{0}\".feedback_access_log set operation = operation")]
    [InlineData("delete from \"{0}\".feedback_access_log")]
    [InlineData("truncate \"{0}\".feedback_access_log")]
    public async Task The_database_refuses_to_change_or_remove_access_records(string statement)
    {
        (await world.GraphQL("query($id: ID!) { episode(id: $id) { id } }", new { id = world.Episodes["own"].Episode })).At("episode.id");
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = new NpgsqlCommand($"select count(*) from \"{world.Schema}\".feedback_access_log", connection);
        var before = (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        await using var change = new NpgsqlCommand(string.Format(statement, world.Schema), connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => change.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        Assert.Contains("append-only", refused.MessageText);
        Assert.True(before > 0);
        Assert.Equal(before, (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }
}
