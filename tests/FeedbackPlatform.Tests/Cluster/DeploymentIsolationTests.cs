using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;
using Npgsql;

namespace FeedbackPlatform.Tests.Cluster;

/// <summary>
/// Two complete deployments (an `api` and a `worker` each, their own FEEDBACK_SCHEMA) on one database at the same
/// time, each with an organization of the same name and its own webhook receiver. Everything a deployment keeps in
/// PostgreSQL is its own: each receiver hears only its own deployment's alerts, once each; each deployment's
/// follow-up checks (here the escalations, due after a few seconds) run in it; a replaced worker of one delivers
/// what waited in that deployment and nothing of the other's.
/// </summary>
[Collection(PlatformProcesses.Name)]
public sealed class DeploymentIsolationTests
{
    private const string Organization = "same-name";
    private static readonly string Token = Tokens.For("admin", Organization);

    private sealed class Deployment(string schema, WebhookReceiver receiver) : IAsyncDisposable
    {
        public string Schema { get; } = schema;
        public WebhookReceiver Receiver { get; } = receiver;
        public PlatformProcess Api { get; set; } = null!;
        public PlatformProcess Worker { get; set; } = null!;
        public List<PlatformProcess> Retired { get; } = [];
        public (Guid Site, Guid Therapist) Clinic { get; set; }

        public (string, string)[] Settings(string role) =>
            [("FEEDBACK_SCHEMA", Schema), ("FEEDBACK_ROLE", role), ("FEEDBACK_NODE_CHECK_SECONDS", "1"), ("FEEDBACK_NOTIFY_RETRY_SECONDS", "0.5")];

        /// <summary>The idempotency keys the receiver got, and how many requests in all.</summary>
        public (HashSet<string> Keys, int Requests) Heard() =>
            (Receiver.Accepted.Select(r => r.IdempotencyKey).ToHashSet(), Receiver.Accepted.Count);

        public async ValueTask DisposeAsync()
        {
            foreach (var process in Retired.Append(Api).Append(Worker).Where(p => p is not null))
                await process.DisposeAsync();
            await Receiver.DisposeAsync();
            await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
            await connection.OpenAsync(CancellationToken.None);
            await new NpgsqlCommand($"drop schema if exists \"{Schema}\" cascade", connection).ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task<JsonNode?> Ok(PlatformProcess node, string query, object? variables = null)
    {
        var body = await node.GraphQL(query, variables, Token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"];
    }

    private static async Task<Deployment> Start(string name)
    {
        var deployment = new Deployment($"t_iso_{name}_" + Guid.NewGuid().ToString("N")[..6], await WebhookReceiver.Start());
        deployment.Worker = await PlatformProcess.Start(deployment.Settings("worker"));
        deployment.Api = await PlatformProcess.Start(deployment.Settings("api"));
        var (site, therapist) = (Guid.NewGuid(), Guid.NewGuid());
        await Ok(deployment.Api, "mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = site, name = "Main street" } });
        await Ok(deployment.Api, "mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }", new { i = new { therapistId = therapist, siteId = site, displayName = "T" } });
        // Unacknowledged alerts escalate after 3.6 s: a follow-up check each deployment's worker must run.
        await Ok(deployment.Api, "mutation($i: AlertRuleSettingsInput!) { updateAlertRules(input: $i) { escalateUnacknowledgedAfterHours } }",
            new { i = new { escalateUnacknowledgedAfterHours = 0.001 } });
        await Ok(deployment.Api, "mutation($i: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $i) { secret } }",
            new { i = new { subscriptionId = Guid.NewGuid(), channel = "WEBHOOK", target = deployment.Receiver.Url + "/" + name, digest = "IMMEDIATE" } });
        deployment.Clinic = (site, therapist);
        return deployment;
    }

    /// <summary>An episode whose first SRS raises LOW_ALLIANCE; returns the alert's id.</summary>
    private static async Task<string> LowAlliance(Deployment deployment)
    {
        var (episode, session) = (Guid.NewGuid(), Guid.NewGuid());
        await Ok(deployment.Api, "mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }",
            new { i = new { episodeId = episode, siteId = deployment.Clinic.Site, therapistId = deployment.Clinic.Therapist, clientId = "c-" + episode.ToString("N")[..8], population = "ADULT", openedAt = DateTimeOffset.UtcNow.AddDays(-3) } });
        await Ok(deployment.Api, "mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }",
            new { i = new { episodeId = episode, sessionId = session, heldAt = DateTimeOffset.UtcNow.AddHours(-1) } });
        var rated = await Ok(deployment.Api, "mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { alerts { id kind } } }",
            new { i = new { episodeId = episode, sessionId = session, relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 } });
        return rated!["submitSessionRating"]!["alerts"]!.AsArray().Single(a => a!["kind"]!.GetValue<string>() == "LOW_ALLIANCE")!["id"]!.GetValue<string>();
    }

    /// <summary>The webhook keys of an alert raised and then escalated (the receiver's idempotency keys).</summary>
    private static IEnumerable<string> RaisedAndEscalated(IEnumerable<string> alertIds) =>
        alertIds.SelectMany(id => new[] { $"{Guid.Parse(id):N}:raised", $"{Guid.Parse(id):N}:escalated" });

    private static async Task HearsExactly(Deployment deployment, IReadOnlyCollection<string> keys)
    {
        await Eventually.Get(() => Task.FromResult(deployment.Heard().Keys.Count), n => n >= keys.Count, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken); // nothing more arrives
        var (heard, requests) = deployment.Heard();
        Assert.Equal(keys.Order(), heard.Order());
        Assert.Equal(keys.Count, requests); // once each
    }

    private static async Task<long> Count(string sql)
    {
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return Convert.ToInt64(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Two_deployments_on_one_database_each_hear_and_follow_up_only_their_own_alerts_also_when_a_worker_is_replaced()
    {
        await using var a = await Start("a");
        await using var b = await Start("b");

        // The background queues are tables of each deployment's own schema.
        foreach (var deployment in new[] { a, b })
            Assert.Equal(4, await Count($"select count(*) from information_schema.tables where table_schema = '{deployment.Schema}' and table_name like 'wolverine_queue_%'"));

        // Both at once: three alerts in a, two in b, in the organization of the same name.
        var raised = await Task.WhenAll(Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LowAlliance(a))), Task.WhenAll(Enumerable.Range(0, 2).Select(_ => LowAlliance(b))));
        var (inA, inB) = (raised[0].ToList(), raised[1].ToList());
        await HearsExactly(a, [.. RaisedAndEscalated(inA)]);
        await HearsExactly(b, [.. RaisedAndEscalated(inB)]);

        // a's worker dies: a's new alerts wait in a; b goes on as before.
        a.Worker.Kill();
        a.Retired.Add(a.Worker);
        inA.AddRange(await Task.WhenAll(LowAlliance(a), LowAlliance(a)));
        inB.Add(await LowAlliance(b));
        await HearsExactly(b, [.. RaisedAndEscalated(inB)]);
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.Equal(6, a.Heard().Keys.Count); // no worker in a, and b's took nothing of a's
        Assert.True(await Count($"select count(*) from \"{a.Schema}\".wolverine_queue_notifications") +
                    await Count($"select count(*) from \"{a.Schema}\".wolverine_queue_follow_ups_scheduled") > 0);

        // A replacement worker of a delivers a's waiting notifications and runs a's escalations; nothing of b's.
        a.Worker = await PlatformProcess.Start(a.Settings("worker"));
        await HearsExactly(a, [.. RaisedAndEscalated(inA)]);
        await HearsExactly(b, [.. RaisedAndEscalated(inB)]);
        foreach (var deployment in new[] { a, b })
            Assert.Equal(0, await Count($"select count(*) from \"{deployment.Schema}\".wolverine_dead_letters"));
    }
}
