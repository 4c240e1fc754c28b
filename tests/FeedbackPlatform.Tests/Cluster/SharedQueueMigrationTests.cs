using FeedbackPlatform.Hosting;
using FeedbackPlatform.Tests.Support;
using Npgsql;

namespace FeedbackPlatform.Tests.Cluster;

/// <summary>
/// A database from before the queues moved into each deployment's schema: what waited in the old shared queue
/// schema is taken over by the deployment's upgraded worker and delivered, and the shared tables are left empty.
/// </summary>
[Collection(PlatformProcesses.Name)]
public sealed class SharedQueueMigrationTests
{
    private const string Organization = "upgraded";
    private static readonly string Token = Tokens.For("admin", Organization);

    private static async Task<NpgsqlConnection> Open()
    {
        var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static async Task<long> Scalar(string sql)
    {
        await using var connection = await Open();
        return Convert.ToInt64(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    private static async Task Ok(PlatformProcess node, string query, object variables)
    {
        var body = await node.GraphQL(query, variables, Token);
        Assert.True(body["errors"] is null, body.ToJsonString());
    }

    [Fact]
    public async Task A_worker_of_the_new_version_moves_what_waited_in_the_shared_queues_into_its_own_and_delivers_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var schema = "t_upg_" + Guid.NewGuid().ToString("N")[..6];
        var shared = "t_oldq_" + Guid.NewGuid().ToString("N")[..6];
        (string, string)[] Settings(string role) =>
            [("FEEDBACK_SCHEMA", schema), ("FEEDBACK_ROLE", role), ("FEEDBACK_SHARED_QUEUE_SCHEMA", shared), ("FEEDBACK_NODE_CHECK_SECONDS", "1")];
        await using var receiver = await WebhookReceiver.Start();
        PlatformProcess? worker = null;
        var api = await PlatformProcess.Start(Settings("api"));
        try
        {
            // Two alerts while no worker runs: their notices and follow-up checks wait in the queues.
            var (site, therapist) = (Guid.NewGuid(), Guid.NewGuid());
            await Ok(api, "mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = site, name = "Old" } });
            await Ok(api, "mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }", new { i = new { therapistId = therapist, siteId = site, displayName = "T" } });
            await Ok(api, "mutation($i: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $i) { secret } }",
                new { i = new { subscriptionId = Guid.NewGuid(), channel = "WEBHOOK", target = receiver.Url + "/old", digest = "IMMEDIATE" } });
            var episodes = new List<Guid>();
            for (var n = 0; n < 2; n++)
            {
                var (episode, session) = (Guid.NewGuid(), Guid.NewGuid());
                episodes.Add(episode);
                await Ok(api, "mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }",
                    new { i = new { episodeId = episode, siteId = site, therapistId = therapist, clientId = "c-" + n, population = "ADULT", openedAt = DateTimeOffset.UtcNow.AddDays(-2) } });
                await Ok(api, "mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }",
                    new { i = new { episodeId = episode, sessionId = session, heldAt = DateTimeOffset.UtcNow.AddHours(-1) } });
                await Ok(api, "mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { id } }",
                    new { i = new { episodeId = episode, sessionId = session, relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 } });
            }
            var notices = $"\"{schema}\".wolverine_queue_notifications";
            Assert.Equal(2, await Eventually.Get(() => Scalar($"select count(*) from {notices}"), n => n == 2));

            // As the database looked before this version: every waiting message in the shared schema's tables.
            await using (var connection = await Open())
            {
                await new NpgsqlCommand($"create schema \"{shared}\"", connection).ExecuteNonQueryAsync(ct);
                foreach (var table in SharedQueueMigration.Tables)
                    await new NpgsqlCommand(
                        $"""
                        create table "{shared}"."{table}" (like "{schema}"."{table}" including all);
                        with m as (delete from "{schema}"."{table}" returning *) insert into "{shared}"."{table}" select * from m
                        """, connection).ExecuteNonQueryAsync(ct);
            }
            Assert.Equal(2, await Scalar($"select count(*) from \"{shared}\".wolverine_queue_notifications"));
            Assert.Equal(0, await Scalar($"select count(*) from {notices}"));

            // The upgraded worker takes them over and delivers each once.
            worker = await PlatformProcess.Start(Settings("worker"));
            await Eventually.Get(() => Task.FromResult(receiver.Accepted.Count), n => n >= 2, TimeSpan.FromSeconds(60));
            Assert.Equal(2, receiver.Accepted.Select(r => r.IdempotencyKey).Distinct().Count());
            Assert.All(receiver.Accepted, r => Assert.EndsWith(":raised", r.IdempotencyKey));
            foreach (var table in SharedQueueMigration.Tables)
                Assert.Equal(0, await Scalar($"select count(*) from \"{shared}\".\"{table}\""));
            // Scheduled checks (per episode: two contact checks, a feedback check, an escalation) never were in the shared
            // schema: they wait in the deployment's own message storage until due.
            Assert.Equal(8, await Scalar($"select count(*) from \"{schema}\".wolverine_incoming_envelopes where status = 'Scheduled'"));
        }
        finally
        {
            if (worker is not null)
                await worker.DisposeAsync();
            await api.DisposeAsync();
            await using var connection = await Open();
            await new NpgsqlCommand($"drop schema if exists \"{schema}\" cascade; drop schema if exists \"{shared}\" cascade", connection).ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
