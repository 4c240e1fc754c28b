using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FeedbackPlatform.Notifications;

/// <summary>
/// Webhooks: POST of the JSON payload with `Feedback-Timestamp` (Unix seconds), `Feedback-Signature`
/// (v1=hex HMAC-SHA256 of "{timestamp}.{body}" with the subscription's secret) and `Idempotency-Key`.
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory clients, TimeProvider clock)
{
    public const string ClientName = "webhooks";

    public async Task Send(NotificationSubscription subscription, NotificationDelivery delivery, CancellationToken ct)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Target)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Feedback-Timestamp", timestamp);
        request.Headers.Add("Feedback-Signature", "v1=" + Sign(subscription.Secret ?? "", timestamp, delivery.Payload));
        request.Headers.Add("Idempotency-Key", delivery.Key);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("FeedbackPlatform", "1.0"));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
                throw new NotificationDeliveryFailed($"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new NotificationDeliveryFailed(e is TaskCanceledException ? "timed out" : "connection failed: " + e.GetType().Name, e);
        }
    }

    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));
}

/// <summary>E-mail over SMTP (MailKit). The message id follows from the idempotency key, so mail systems drop repeats.</summary>
public sealed class EmailChannel(NotificationSettings settings)
{
    public Task Send(NotificationSubscription subscription, NotificationDelivery delivery, CancellationToken ct) =>
        Send(subscription.Target, delivery.Subject, EmailText.From(delivery), $"{delivery.Key.Replace(':', '.')}@feedback-platform", ct);

    /// <summary>One plain-text message to one address (a notification, or a client's feedback link to an address typed for it).</summary>
    public async Task Send(string to, string subject, string text, string messageId, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.SmtpFrom));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId;
        message.Body = new TextPart("plain") { Text = text };

        using var smtp = new SmtpClient { Timeout = 15_000 };
        try
        {
            var security = settings.SmtpSecurity.ToLowerInvariant() switch
            {
                "ssl" => SecureSocketOptions.SslOnConnect,
                "starttls" => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await smtp.ConnectAsync(settings.SmtpHost, settings.SmtpPort, security, ct);
            if (!string.IsNullOrEmpty(settings.SmtpUser))
                await smtp.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", ct);
            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(true, ct);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or AuthenticationException or OperationCanceledException)
        {
            throw new NotificationDeliveryFailed("SMTP failed: " + e.GetType().Name, e);
        }
    }
}
