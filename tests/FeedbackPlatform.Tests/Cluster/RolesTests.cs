using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;
using Npgsql;

namespace FeedbackPlatform.Tests.Cluster;

/// <summary>
/// The platform as separate processes on one database, as ops/cluster.sh runs it: two `api` processes take the
/// traffic, one `worker` keeps the summaries and sends the notifications. Then the worker is killed (kill -9)
/// and another started: the APIs keep taking facts and raising alerts, and the new worker picks up the work.
/// </summary>
[Collection(PlatformProcesses.Name)]
public sealed class RolesTests
{
    private const string Organization = "cluster";
    private static readonly string Token = Tokens.For("admin", Organization);

    private static async Task<JsonNode?> Ok(PlatformProcess node, string query, object? variables = null)
    {
        var body = await node.GraphQL(query, variables, Token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"];
    }

    private static async Task LowAllianceEpisode(PlatformProcess node, Guid site, Guid therapist)
    {
        var episode = Guid.NewGuid();
        var session = Guid.NewGuid();
        await Ok(node, "mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }",
            new { i = new { episodeId = episode, siteId = site, therapistId = therapist, clientId = "c-" + episode.ToString("N")[..8], population = "ADULT", openedAt = DateTimeOffset.UtcNow.AddDays(-3) } });
        await Ok(node, "mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }",
            new { i = new { episodeId = episode, sessionId = session, heldAt = DateTimeOffset.UtcNow.AddHours(-1) } });
        await Ok(node, "mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { id } }",
            new { i = new { episodeId = episode, sessionId = session, relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 } });
    }

    private static async Task<int?> ActiveEpisodes(PlatformProcess node) =>
        (await Ok(node, "{ organization { summary { activeEpisodes } } }"))?["organization"]?["summary"]?["activeEpisodes"]?.GetValue<int>();

    [Fact]
    public async Task Two_apis_and_a_worker_raise_every_alert_once_keep_summaries_and_survive_the_worker_being_replaced()
    {
        var ct = TestContext.Current.CancellationToken;
        var schema = "t_roles_" + Guid.NewGuid().ToString("N")[..6];
        (string, string)[] Settings(string role) =>
            [("FEEDBACK_SCHEMA", schema), ("FEEDBACK_ROLE", role), ("FEEDBACK_NODE_CHECK_SECONDS", "1"), ("FEEDBACK_NOTIFY_RETRY_SECONDS", "0.5")];
        await using var receiver = await WebhookReceiver.Start();
        var worker = await PlatformProcess.Start(Settings("worker"));
        await using var api1 = await PlatformProcess.Start(Settings("api"));
        await using var api2 = await PlatformProcess.Start(Settings("api"));
        PlatformProcess? replacement = null;
        try
        {
            // A worker serves no API.
            using (var http = new HttpClient())
                Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.PostAsync(worker.Url + "/graphql", new StringContent("{}"), ct)).StatusCode);

            var (site, therapist) = (Guid.NewGuid(), Guid.NewGuid());
            await Ok(api1, "mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = site, name = "Cluster" } });
            await Ok(api2, "mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }", new { i = new { therapistId = therapist, siteId = site, displayName = "T" } });
            await Ok(api1, "mutation($i: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $i) { secret } }",
                new { i = new { subscriptionId = Guid.NewGuid(), channel = "WEBHOOK", target = receiver.Url + "/cluster", digest = "IMMEDIATE" } });

            // Ten episodes through both APIs at once, each raising LOW_ALLIANCE.
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => LowAllianceEpisode(i % 2 == 0 ? api1 : api2, site, therapist)));
            var alerts = (await Ok(api2, "{ alerts(first: 100) { edges { node { id kind episode { id } } } } }"))!["alerts"]!["edges"]!.AsArray();
            Assert.Equal(10, alerts.Count);
            Assert.Equal(10, alerts.Select(a => a!["node"]!["episode"]!["id"]!.GetValue<string>()).Distinct().Count());

            // The worker sums them up and sends each alert's webhook once.
            Assert.Equal(10, await Eventually.Get(() => ActiveEpisodes(api1), n => n == 10, TimeSpan.FromSeconds(45)));
            await Eventually.Get(() => Task.FromResult(receiver.Accepted.Select(r => r.IdempotencyKey).Distinct().Count()), n => n == 10, TimeSpan.FromSeconds(45));

            // kill -9 the worker: the APIs still take facts and raise alerts in the fact's transaction...
            worker.Kill();
            await Task.WhenAll(Enumerable.Range(0, 5).Select(i => LowAllianceEpisode(i % 2 == 0 ? api1 : api2, site, therapist)));
            Assert.Equal(15, (await Ok(api1, "{ alerts(first: 100) { edges { node { id } } } }"))!["alerts"]!["edges"]!.AsArray().Count);
            // ...but no api process keeps the summaries: that is the worker's job.
            await Task.Delay(TimeSpan.FromSeconds(4), ct);
            Assert.Equal(10, await ActiveEpisodes(api2));
            Assert.Equal(10, receiver.Accepted.Select(r => r.IdempotencyKey).Distinct().Count()); // nor send notifications

            // Another worker takes over the projection and the waiting notifications.
            var takeover = System.Diagnostics.Stopwatch.StartNew();
            replacement = await PlatformProcess.Start(Settings("worker"));
            var started = takeover.Elapsed;
            Assert.Equal(15, await Eventually.Get(() => ActiveEpisodes(api2), n => n == 15, TimeSpan.FromSeconds(60)));
            TestContext.Current.TestOutputHelper?.WriteLine($"replacement worker: ready after {started.TotalSeconds:F1} s, summaries caught up after {takeover.Elapsed.TotalSeconds:F1} s");
            await Eventually.Get(() => Task.FromResult(receiver.Accepted.Select(r => r.IdempotencyKey).Distinct().Count()), n => n == 15, TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            Assert.Equal(15, receiver.Accepted.Count); // exactly once each
        }
        finally
        {
            if (replacement is not null)
                await replacement.DisposeAsync();
            await worker.DisposeAsync();
            await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
            await connection.OpenAsync(CancellationToken.None);
            await new NpgsqlCommand($"drop schema if exists \"{schema}\" cascade", connection).ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
