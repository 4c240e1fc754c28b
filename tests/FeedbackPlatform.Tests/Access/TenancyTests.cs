using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Access;

public sealed class TenancyFixture : PlatformFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() => [("FEEDBACK_NOTIFY_RETRY_SECONDS", "0.3")];
}

/// <summary>
/// Two organizations that even use the same ids for their site, therapist and episode: nothing one does is seen,
/// summed up, streamed or notified in the other.
/// </summary>
public sealed class TenancyTests(TenancyFixture platform) : IClassFixture<TenancyFixture>
{
    private static readonly Guid Site = Guid.NewGuid(), Therapist = Guid.NewGuid(), Episode = Guid.NewGuid(), Session = Guid.NewGuid();

    private async Task Build(string token, double item)
    {
        (await platform.GraphQL("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = Site, name = "Same ids" } }, token: token)).At("registerSite.id");
        (await platform.GraphQL("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }", new { i = new { therapistId = Therapist, siteId = Site, displayName = "T" } }, token: token)).At("registerTherapist.id");
        (await platform.GraphQL("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }",
            new { i = new { episodeId = Episode, siteId = Site, therapistId = Therapist, clientId = "same-client", population = "ADULT", openedAt = DateTimeOffset.UtcNow.AddDays(-7) } }, token: token)).At("openEpisode.id");
        (await platform.GraphQL("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }",
            new { i = new { episodeId = Episode, sessionId = Session, heldAt = DateTimeOffset.UtcNow.AddHours(-1) } }, token: token)).At("recordSession.id");
        (await platform.GraphQL("mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { id } }",
            new { i = new { episodeId = Episode, sessionId = Session, relationship = item, goalsAndTopics = item, approachOrMethod = item, overall = item } }, token: token)).At("submitSessionRating.id");
    }

    [Fact]
    public async Task Organizations_with_the_same_ids_never_see_each_others_data_alerts_or_notifications()
    {
        var ct = TestContext.Current.CancellationToken;
        var mine = platform.AdminToken;
        var theirs = Tokens.For("admin", "their-" + Guid.NewGuid().ToString("N")[..8]);
        await using var receiver = await WebhookReceiver.Start();
        (await platform.GraphQL("mutation($i: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $i) { secret } }",
            new { i = new { subscriptionId = Guid.NewGuid(), channel = "WEBHOOK", target = receiver.Url + "/mine", digest = "IMMEDIATE" } }, token: mine)).At("createNotificationSubscription.secret");

        // My live feed, for every site of my organization.
        using var client = platform.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "subscription { alertRaised { id evidence episode { clientId } } }" }) };
        request.Headers.Accept.Add(new("text/event-stream"));
        request.Headers.Authorization = new("Bearer", mine);
        using var stream = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var feed = platform.Host.Services.GetService(typeof(FeedbackPlatform.Alerts.AlertFeed)) as FeedbackPlatform.Alerts.AlertFeed;
        await Eventually.Get(() => Task.FromResult(feed!.Subscribers), n => n > 0);

        // They raise an alert first (total 8.0), then I do (total 20.0), on "the same" episode.
        await Build(theirs, 2.0);
        await Build(mine, 5.0);

        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(ct));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        JsonNode? first = null;
        while (first is null && await reader.ReadLineAsync(timeout.Token) is { } line)
            if (line.StartsWith("data: {\"data\""))
                first = JsonNode.Parse(line["data: ".Length..]);
        Assert.Contains("SRS total 20 ", first!["data"]!["alertRaised"]!["evidence"]!.GetValue<string>());

        // The episode, its alerts and the summaries are each organization's own.
        const string view = "query($id: ID!) { episode(id: $id) { allianceHealth { latestSrsTotal } alerts { id } } organization { summary { activeEpisodes } } }";
        var myView = await platform.GraphQL(view, new { id = Episode }, token: mine);
        var theirView = await platform.GraphQL(view, new { id = Episode }, token: theirs);
        Assert.Equal(20.0, myView.At("episode.allianceHealth.latestSrsTotal")!.GetValue<double>());
        Assert.Equal(8.0, theirView.At("episode.allianceHealth.latestSrsTotal")!.GetValue<double>());
        Assert.Single(myView.At("episode.alerts")!.AsArray());
        var summaries = await Eventually.Get(async () => (await platform.GraphQL(view, new { id = Episode }, token: mine)).Data?["organization"]?["summary"]?["activeEpisodes"]?.GetValue<int>(),
            n => n is not null, TimeSpan.FromSeconds(30));
        Assert.Equal(1, summaries);

        // Only my alert reached my webhook.
        await Eventually.Get(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1);
        await Task.Delay(1000, ct);
        var delivered = Assert.Single(receiver.Accepted);
        Assert.Contains("SRS total 20 ", delivered.Body);
        Assert.DoesNotContain("SRS total 8 ", delivered.Body);
    }
}
