using System.Text.Json.Nodes;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace FeedbackPlatform.Tests.Notifications;

public sealed class NotificationFixture : PlatformFixture
{
    public SmtpListener Smtp { get; } = new();

    /// <summary>The address browsers use: notifications link to the alert's page there.</summary>
    public const string PublicUrl = "https://feedback.clinic.example";

    // Two short waits between attempts keep the retry tests fast; production waits minutes to hours.
    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        ("FEEDBACK_NOTIFY_RETRY_SECONDS", "0.3,0.3"),
        ("FEEDBACK_SMTP_HOST", "127.0.0.1"),
        ("FEEDBACK_SMTP_PORT", Smtp.Port.ToString()),
        ("FEEDBACK_PUBLIC_URL", PublicUrl + "/"),
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class NotificationTests(NotificationFixture platform) : IClassFixture<NotificationFixture>
{
    private const string Create = "mutation($i: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $i) { subscription { id active } secret } }";

    private async Task<(Clinic Clinic, string Secret)> SiteWithSubscription(string channel, string target, string digest = "IMMEDIATE")
    {
        var clinic = await new Clinic(platform).Register();
        var created = await platform.GraphQL(Create, new { i = new { subscriptionId = Guid.NewGuid(), siteId = clinic.SiteId, channel, target, digest } });
        return (clinic, created.At("createNotificationSubscription.secret")?.GetValue<string>() ?? "");
    }

    private static async Task<Guid> RaiseLowAlliance(Clinic clinic)
    {
        var episode = await clinic.OpenEpisode();
        (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode), 8, 8, 8, 8)).At("submitSessionRating");
        return episode;
    }

    private async Task<(Guid Id, string Evidence)> OnlyAlertOf(Guid episodeId)
    {
        var alerts = await platform.GraphQL("query($e: ID) { alerts(filter: {episodeId: $e}) { nodes { id evidence } } }", new { e = episodeId });
        var alert = Assert.Single(alerts.At("alerts.nodes")!.AsArray())!;
        return (Guid.Parse(alert["id"]!.GetValue<string>()), alert["evidence"]!.GetValue<string>());
    }

    private async Task<List<JsonNode>> Deliveries(string? status = null)
    {
        var response = status is null
            ? await platform.GraphQL("{ notificationDeliveries(first: 200) { id idempotencyKey status attempts lastError } }")
            : await platform.GraphQL("query($s: DeliveryStatus) { notificationDeliveries(status: $s, first: 200) { id idempotencyKey status attempts lastError } }", new { s = status });
        return response.At("notificationDeliveries")!.AsArray().Select(d => d!).ToList();
    }

    [Fact]
    public async Task A_raised_alert_reaches_the_webhook_signed_once_and_without_client_identity()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (clinic, secret) = await SiteWithSubscription("WEBHOOK", receiver.Url + "/hooks/alerts");
        Assert.False(string.IsNullOrEmpty(secret));
        var episode = await RaiseLowAlliance(clinic);
        var (alertId, _) = await OnlyAlertOf(episode);

        var accepted = await Eventually.Get(() => Task.FromResult(receiver.Accepted.ToList()), r => r.Count >= 1);
        var delivery = Assert.Single(accepted);
        Assert.Equal("v1=" + WebhookChannel.Sign(secret, delivery.Timestamp, delivery.Body), delivery.Signature);
        var body = JsonNode.Parse(delivery.Body)!;
        Assert.Equal("alert.raised", body["type"]!.GetValue<string>());
        Assert.Equal("LOW_ALLIANCE", body["alert"]!["kind"]!.GetValue<string>());
        Assert.Equal(delivery.IdempotencyKey, body["id"]!.GetValue<string>());
        Assert.DoesNotContain("client-", delivery.Body);
        // The receiver can send its people straight to the alert's page (FEEDBACK_PUBLIC_URL, its trailing slash dropped).
        Assert.Equal($"{NotificationFixture.PublicUrl}/alerts/{alertId:D}", body["alert"]!["link"]!.GetValue<string>());
        Assert.Equal("Riverside", body["alert"]!["siteName"]!.GetValue<string>());

        await Task.Delay(1000, TestContext.Current.CancellationToken); // nothing more arrives for the same alert event
        Assert.Single(receiver.Accepted);
    }

    [Fact]
    public async Task A_receiver_that_is_down_for_a_while_gets_the_notification_exactly_once()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.FailNext = 2;
        var (clinic, _) = await SiteWithSubscription("WEBHOOK", receiver.Url + "/flaky");
        await RaiseLowAlliance(clinic);

        await Eventually.Get(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Single(receiver.Accepted);
        Assert.Equal(2, receiver.Refused);
        var key = receiver.Accepted.Single().IdempotencyKey;
        var delivery = await Eventually.Get(async () => (await Deliveries()).Single(d => d["idempotencyKey"]!.GetValue<string>() == key),
            d => d["status"]!.GetValue<string>() == "DELIVERED");
        Assert.Equal(("DELIVERED", 3), (delivery["status"]!.GetValue<string>(), delivery["attempts"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_delivery_handled_twice_at_once_is_sent_once()
    {
        // A notice handled twice, or a message recovered from a node taken for dead while it was still sending: a second
        // DeliverNotification of the same delivery arrives while the first is waiting for the receiver.
        await using var receiver = await WebhookReceiver.Start();
        receiver.Delay = TimeSpan.FromSeconds(2);
        var (clinic, _) = await SiteWithSubscription("WEBHOOK", receiver.Url + "/slow");
        var (alertId, _) = await OnlyAlertOf(await RaiseLowAlliance(clinic));
        await Eventually.Get(() => Task.FromResult(receiver.Arrived), n => n >= 1);
        var sending = Assert.Single(await Deliveries(), d => d["idempotencyKey"]!.GetValue<string>() == $"{alertId:N}:raised");
        Assert.Equal("PENDING", sending["status"]!.GetValue<string>());

        using (var scope = platform.Host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(platform.Organization,
                new DeliverNotification(sending["id"]!.GetValue<string>()), TestContext.Current.CancellationToken);

        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Equal(1, receiver.Arrived);
        Assert.Single(receiver.Accepted);
        var delivered = Assert.Single(await Deliveries(), d => d["idempotencyKey"]!.GetValue<string>() == $"{alertId:N}:raised");
        Assert.Equal(("DELIVERED", 1), (delivered["status"]!.GetValue<string>(), delivered["attempts"]!.GetValue<int>()));
    }

    [Fact]
    public async Task After_the_last_retry_a_delivery_is_failed_visible_and_can_be_retried()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.FailNext = -1;
        var (clinic, _) = await SiteWithSubscription("WEBHOOK", receiver.Url + "/down");
        await RaiseLowAlliance(clinic);

        var failed = await Eventually.Get(() => Deliveries("FAILED"), d => d.Count >= 1);
        var delivery = Assert.Single(failed);
        Assert.Equal(3, delivery["attempts"]!.GetValue<int>());
        Assert.Equal("HTTP 503", delivery["lastError"]!.GetValue<string>());
        Assert.Empty(receiver.Accepted);

        receiver.FailNext = 0;
        var id = delivery["id"]!.GetValue<string>();
        (await platform.GraphQL("mutation($i: RetryNotificationInput!) { retryNotification(input: $i) { status } }", new { i = new { deliveryId = id } })).At("retryNotification");
        await Eventually.Get(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1);
        Assert.Single(receiver.Accepted);
        // The receiver answers before the delivery is recorded as DELIVERED.
        var retried = await Eventually.Get(async () => (await Deliveries()).Single(d => d["id"]!.GetValue<string>() == id)["status"]!.GetValue<string>(), s => s == "DELIVERED");
        Assert.Equal("DELIVERED", retried);
    }

    [Fact]
    public async Task Directors_get_an_email_over_SMTP()
    {
        var before = platform.Smtp.Messages.Count;
        var (clinic, _) = await SiteWithSubscription("EMAIL", "director@clinic.example");
        await RaiseLowAlliance(clinic);

        var mails = await Eventually.Get(() => Task.FromResult(platform.Smtp.Messages.Skip(before).ToList()), m => m.Count >= 1);
        var mail = Assert.Single(mails);
        Assert.Contains("director@clinic.example", mail.To.Single());
        Assert.Contains("LOW_ALLIANCE alert raised", mail.Data);
        Assert.DoesNotContain("client-", mail.Data);
    }

    [Fact]
    public async Task An_email_says_kind_severity_and_site_and_links_to_the_alert_but_holds_no_client_id_score_or_note()
    {
        var before = platform.Smtp.Messages.Count;
        var (clinic, _) = await SiteWithSubscription("EMAIL", "director@clinic.example");
        var episode = await RaiseLowAlliance(clinic);
        var (alertId, evidence) = await OnlyAlertOf(episode);
        const string note = "Talked it through with the client on Tuesday";
        (await platform.GraphQL("mutation($i: ResolveAlertInput!) { resolveAlert(input: $i) { status } }", new { i = new { alertId, note } })).At("resolveAlert");

        var mails = await Eventually.Get(() => Task.FromResult(platform.Smtp.Messages.Skip(before).ToList()), m => m.Count >= 2);
        Assert.Equal(2, mails.Count);
        var raised = Assert.Single(mails, m => m.Data.Contains("alert raised"));
        var resolved = Assert.Single(mails, m => m.Data.Contains("alert resolved"));
        foreach (var mail in new[] { raised, resolved })
        {
            Assert.Contains("LOW_ALLIANCE", mail.Data);
            Assert.Contains("severity MEDIUM", mail.Data);
            Assert.Contains("site: Riverside", mail.Data);
            Assert.Contains($"open it: {NotificationFixture.PublicUrl}/alerts/{alertId:D}", mail.Data);
            // Nothing that identifies the client or says how they scored: no client id, episode id, evidence, SRS total or note.
            Assert.DoesNotContain("client-", mail.Data);
            Assert.DoesNotContain(episode.ToString("D"), mail.Data, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(episode.ToString("N"), mail.Data, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(evidence, mail.Data);
            Assert.DoesNotContain("32.0", mail.Data);
            Assert.DoesNotContain("SRS", mail.Data);
            Assert.DoesNotContain("Talked it through", mail.Data);
        }
    }

    [Fact]
    public async Task An_hourly_subscription_gets_one_digest_instead_of_each_alert()
    {
        await using var receiver = await WebhookReceiver.Start();
        var (clinic, _) = await SiteWithSubscription("WEBHOOK", receiver.Url + "/digest", digest: "HOURLY");
        await RaiseLowAlliance(clinic);
        await RaiseLowAlliance(clinic);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Empty(receiver.Accepted);

        var subscriptions = await platform.GraphQL("{ notificationSubscriptions { id target digest } }");
        var subscriptionId = Guid.Parse(subscriptions.At("notificationSubscriptions")!.AsArray()
            .Single(s => s!["target"]!.GetValue<string>().EndsWith("/digest"))!["id"]!.GetValue<string>());
        // The window closes at the next full hour: deliver the scheduled digest now instead of waiting.
        using (var scope = platform.Host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(platform.Organization, new SendDigest(subscriptionId, DigestWindow.EndAfter(DateTimeOffset.UtcNow, DigestMode.Hourly)), TestContext.Current.CancellationToken);

        await Eventually.Get(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1);
        var digest = JsonNode.Parse(Assert.Single(receiver.Accepted).Body)!;
        Assert.Equal("alert.digest", digest["type"]!.GetValue<string>());
        Assert.Equal(2, digest["events"]!.AsArray().Count);
        // The digest links to the worklist, and each of its alerts to its own page.
        Assert.Equal(NotificationFixture.PublicUrl + "/alerts", digest["link"]!.GetValue<string>());
        foreach (var e in digest["events"]!.AsArray())
            Assert.Equal($"{NotificationFixture.PublicUrl}/alerts/{e!["alert"]!["id"]!.GetValue<string>()}", e["alert"]!["link"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("WEBHOOK", "ftp://example.org/x")]
    [InlineData("WEBHOOK", "not a url")]
    [InlineData("EMAIL", "nobody")]
    public async Task A_bad_target_is_refused(string channel, string target)
    {
        var response = await platform.GraphQL(Create, new { i = new { subscriptionId = Guid.NewGuid(), channel, target, digest = "IMMEDIATE" } });
        Assert.Equal(("VALIDATION_FAILED", "target"), (response.FirstCode, response.FirstField));
    }
}
