using System.Text.Json.Nodes;
using Alba;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace FeedbackPlatform.Tests.Cluster;

/// <summary>Two platform processes (hosts) on one database and one schema, as two nodes of a cluster.</summary>
public sealed class TwoNodeFixture : IAsyncLifetime
{
    public string Schema { get; } = "t_cluster_" + Guid.NewGuid().ToString("N")[..6];
    public IAlbaHost NodeA { get; private set; } = null!;
    public IAlbaHost NodeB { get; private set; } = null!;
    public WebhookReceiver Receiver { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Receiver = await WebhookReceiver.Start();
        NodeA = await Node();
        NodeB = await Node();
    }

    private Task<IAlbaHost> Node() => AlbaHost.For<Program>(builder =>
    {
        builder.UseSetting("FEEDBACK_DB", PlatformFixture.ConnectionString);
        builder.UseSetting("FEEDBACK_SCHEMA", Schema);
        builder.UseSetting("FEEDBACK_NODE_CHECK_SECONDS", Environment.GetEnvironmentVariable("NODE_CHECK") ?? "1");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Auth:SigningKey", Tokens.SigningKey);
        builder.UseEnvironment("Development");

    });

    public async ValueTask DisposeAsync()
    {
        foreach (var node in new[] { NodeA, NodeB })
        {
            try { await node.StopAsync(); await node.DisposeAsync(); }
            catch (ObjectDisposedException) { }
        }
        await Receiver.DisposeAsync();
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand($"drop schema if exists \"{Schema}\" cascade", connection).ExecuteNonQueryAsync();
    }
}

public sealed class TwoNodeTests(TwoNodeFixture cluster) : IClassFixture<TwoNodeFixture>
{
    private const string Organization = "cluster";
    private static readonly string Token = Tokens.For("admin", Organization);

    private static async Task<JsonNode?> GraphQL(IAlbaHost node, string query, object? variables = null)
    {
        var result = await node.Scenario(s =>
        {
            s.Post.Json(new { query, variables }).ToUrl("/graphql");
            s.WithRequestHeader("Authorization", "Bearer " + Token);
            s.StatusCodeShouldBe(200);
        });
        var body = JsonNode.Parse(await result.ReadAsTextAsync())!;
        Assert.Null(body["errors"]);
        return body["data"];
    }

    private static Task SubmitSrs(IAlbaHost node, Guid episodeId, Guid sessionId, double each) => GraphQL(node,
        "mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { id } }",
        new { i = new { episodeId, sessionId, relationship = each, goalsAndTopics = each, approachOrMethod = each, overall = each } });

    private static async Task<Guid> RecordSession(IAlbaHost node, Guid episodeId, int day)
    {
        var id = Guid.NewGuid();
        await GraphQL(node, "mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }",
            new { i = new { episodeId, sessionId = id, heldAt = new DateTimeOffset(2026, 2, 2, 9, 0, 0, TimeSpan.Zero).AddDays(day) } });
        return id;
    }

    private static async Task<Guid> OpenEpisode(IAlbaHost node, Guid siteId, Guid therapistId)
    {
        var id = Guid.NewGuid();
        await GraphQL(node, "mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }",
            new { i = new { episodeId = id, siteId, therapistId, clientId = "c-" + id.ToString("N")[..6], population = "ADULT", openedAt = "2026-01-05T09:00:00Z" } });
        return id;
    }

    [Fact]
    public async Task Two_nodes_raise_each_alert_once_notify_once_and_keep_projecting_when_one_stops()
    {
        var (a, b) = (cluster.NodeA, cluster.NodeB);
        var siteId = Guid.NewGuid();
        var therapistId = Guid.NewGuid();
        await GraphQL(a, "mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId, name = "Cluster site" } });
        await GraphQL(b, "mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }", new { i = new { therapistId, siteId, displayName = "T" } });
        await GraphQL(a, "mutation($i: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $i) { secret } }",
            new { i = new { subscriptionId = Guid.NewGuid(), siteId, channel = "WEBHOOK", target = cluster.Receiver.Url + "/cluster", digest = "IMMEDIATE" } });

        // Ten episodes; for each, two low ratings arrive at the same moment, one through each node.
        var episodes = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var episode = await OpenEpisode(i % 2 == 0 ? a : b, siteId, therapistId);
            episodes.Add(episode);
            await SubmitSrs(a, episode, await RecordSession(a, episode, 0), 9.8);                        // 39.2
            var (s2, s3) = (await RecordSession(b, episode, 7), await RecordSession(a, episode, 8));
            await Task.WhenAll(SubmitSrs(a, episode, s2, 8.5), SubmitSrs(b, episode, s3, 8.4));         // 34.0 and 33.6
        }

        await using var session = a.Services.GetRequiredService<IDocumentStore>().QuerySession(Organization);
        var alerts = await session.Query<AlertCase>().ToListAsync(TestContext.Current.CancellationToken);
        foreach (var episode in episodes)
        {
            var mine = alerts.Where(x => x.EpisodeId == episode).ToList();
            Assert.Single(mine, x => x.Kind == AlertKind.LowAlliance);
            Assert.Single(mine, x => x.Kind == AlertKind.AllianceDrop);
            Assert.Equal(2, mine.Single(x => x.Kind == AlertKind.LowAlliance).Occurrences);
        }

        // Every alert was announced once: as many webhook calls as alerts raised, no key twice.
        var expected = alerts.Count;
        var received = await Eventually.Get(() => Task.FromResult(cluster.Receiver.Accepted.ToList()), r => r.Count >= expected, TimeSpan.FromSeconds(30));
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        received = cluster.Receiver.Accepted.ToList();
        Assert.Equal(expected, received.Count);
        Assert.Equal(expected, received.Select(r => r.IdempotencyKey).Distinct().Count());

        // The site summary is projected by whichever node holds the projection...
        const string summary = "query($id: ID!) { site(id: $id) { summary { activeEpisodes } } }";
        var active = await Eventually.Get(async () => (await GraphQL(b, summary, new { id = siteId }))?["site"]?["summary"]?["activeEpisodes"]?.GetValue<int>(),
            n => n == 10, TimeSpan.FromSeconds(60));
        Assert.Equal(10, active);

        // ...and keeps being projected after node A stops.
        await a.StopAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 3; i++)
            await OpenEpisode(b, siteId, therapistId);
        active = await Eventually.Get(async () => (await GraphQL(b, summary, new { id = siteId }))?["site"]?["summary"]?["activeEpisodes"]?.GetValue<int>(),
            n => n == 13, TimeSpan.FromSeconds(60));
        Assert.Equal(13, active);
    }
}
