using System.Text.Json.Nodes;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.People;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackPlatform.Tests.Notifications;

/// <summary>Where notifications link to when FEEDBACK_PUBLIC_URL is set, and when it is not (no host needed).</summary>
public sealed class AlertLinkTests
{
    private static readonly Guid AlertId = Guid.Parse("6f1c2a52-4b44-4c55-9a51-0c1b0de1a0aa");

    private static AlertLinks Links(string? publicUrl, PlatformRole role = PlatformRole.All) =>
        new(new SignInSettings(publicUrl, TimeSpan.FromHours(72), TimeSpan.FromDays(7), 20),
            new PlatformSettings { ConnectionString = "Host=unused", Role = role }, new ServiceCollection().BuildServiceProvider());

    [Fact]
    public void The_public_url_gives_the_alert_page_by_its_uuid()
    {
        Assert.Equal("https://clinic.example/feedback/alerts/6f1c2a52-4b44-4c55-9a51-0c1b0de1a0aa", Links("https://clinic.example/feedback").ForAlert(AlertId));
        Assert.Equal("https://clinic.example/feedback/alerts", Links("https://clinic.example/feedback").Worklist());
    }

    [Fact]
    public void Without_a_public_url_or_a_server_address_there_is_no_link()
    {
        Assert.Null(Links(null).ForAlert(AlertId));
        Assert.Null(Links(null).Worklist());
    }

    [Theory]
    [InlineData("all", "http://127.0.0.1:5080", "http://127.0.0.1:5080")]
    [InlineData("all", "http://[::]:8080;http://localhost:5081", "http://localhost:5081")]
    [InlineData("all", "http://0.0.0.0:8080", null)]
    [InlineData("all", "http://[::]:8080", null)]
    [InlineData("all", "http://+:8080", null)]
    [InlineData("worker", "http://127.0.0.1:5083", null)]
    [InlineData("api", "http://127.0.0.1:5081", null)]
    public void Without_a_public_url_a_whole_platform_links_to_the_first_address_that_names_a_host(string role, string addresses, string? expected) =>
        Assert.Equal(expected, AlertLinks.BaseFromListening(Enum.Parse<PlatformRole>(role, ignoreCase: true), addresses.Split(';')));

    [Fact]
    public void An_email_without_a_link_still_says_what_happened_and_where()
    {
        var alert = new AlertCase
        {
            Id = AlertId, EpisodeId = Guid.NewGuid(), SiteId = Guid.NewGuid(), Kind = AlertKind.AllianceDrop, Severity = AlertSeverity.High,
            Status = AlertStatus.Open, Occurrences = 1, SessionNumber = 3, Evidence = "SRS total 29.5 fell 6.0 from 35.5", RaisedAt = DateTimeOffset.Parse("2026-03-02T10:15:00Z"),
        };
        var payload = Payloads.AlertEvent($"{AlertId:N}:raised", "raised", alert, alert.RaisedAt, "Harbour", link: null);
        Assert.Null(JsonNode.Parse(payload)!["alert"]!["link"]);

        var text = EmailText.From(new NotificationDelivery { Payload = payload });
        Assert.Contains("ALLIANCE_DROP alert raised, severity HIGH", text);
        Assert.Contains("site: Harbour", text);
        Assert.Contains("raised at 2026-03-02 10:15 UTC", text);
        Assert.Contains("open it in the FeedbackPlatform web app's alert worklist", text);
        Assert.DoesNotContain("29.5", text);
        Assert.DoesNotContain(alert.EpisodeId.ToString("D"), text);
        Assert.DoesNotContain("http", text);
    }
}
