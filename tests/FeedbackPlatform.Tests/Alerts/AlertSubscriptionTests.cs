using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackPlatform.Tests.Alerts;

public sealed class AlertSubscriptionFixture : PlatformFixture;

public sealed class AlertSubscriptionTests(AlertSubscriptionFixture platform) : IClassFixture<AlertSubscriptionFixture>
{
    [Fact]
    public async Task A_subscriber_receives_a_raised_alert_over_server_sent_events()
    {
        var ct = TestContext.Current.CancellationToken;
        var clinic = await new Clinic(platform).Register();
        var other = await new Clinic(platform).Register();
        var feed = platform.Host.Services.GetRequiredService<AlertFeed>();

        using var client = platform.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new
            {
                query = "subscription($site: ID) { alertRaised(siteId: $site) { kind severity status site { id } episode { id } } }",
                variables = new { site = clinic.SiteId },
            }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", platform.AdminToken);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await Eventually.Get(() => Task.FromResult(feed.Subscribers), n => n > 0);

        // An alert at another site is not this subscriber's; the one at its site arrives.
        var elsewhere = await other.OpenEpisode();
        (await other.SubmitSrs(elsewhere, await other.RecordSession(elsewhere), 8, 8, 8, 8)).At("submitSessionRating");
        var episode = await clinic.OpenEpisode();
        (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode), 8, 8, 8, 8)).At("submitSessionRating");

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        string? eventName = null;
        JsonNode? data = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: "))
                eventName = line["event: ".Length..];
            else if (line.StartsWith("data: ") && eventName == "next")
                data = JsonNode.Parse(line["data: ".Length..]);
        }
        Assert.NotNull(data);
        var alert = data["data"]!["alertRaised"]!;
        Assert.Equal("LOW_ALLIANCE", alert["kind"]!.GetValue<string>());
        Assert.Equal(clinic.SiteId.ToString(), alert["site"]!["id"]!.GetValue<string>());
        Assert.Equal(episode.ToString(), alert["episode"]!["id"]!.GetValue<string>());

        // What a subscriber was sent is on the access log like any other read.
        var log = await platform.GraphQL("query($e: ID) { accessLog(episodeId: $e) { operation subject } }", new { e = episode });
        Assert.Contains(log.At("accessLog")!.AsArray(), r => r!["operation"]!.GetValue<string>() == "subscription alertRaised");
    }

    [Fact]
    public async Task A_subscription_without_the_event_stream_media_type_is_refused()
    {
        await platform.Host.Scenario(s =>
        {
            s.Post.Json(new { query = "subscription { alertRaised { id } }" }).ToUrl("/graphql");
            s.WithRequestHeader("Accept", "application/json");
            s.StatusCodeShouldBe(406);
        });
    }
}
