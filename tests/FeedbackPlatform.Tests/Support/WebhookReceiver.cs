using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FeedbackPlatform.Tests.Support;

/// <summary>A real HTTP receiver on loopback that records what it is sent and can be told to fail.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, string Body, string Timestamp, string Signature, string IdempotencyKey);

    private readonly WebApplication _app;
    public ConcurrentQueue<Received> Accepted { get; } = new();
    public int Refused;
    /// <summary>Every request that arrived, refused or not.</summary>
    public int Arrived;
    /// <summary>How long to take before answering each request.</summary>
    public TimeSpan Delay { get; set; }
    /// <summary>How many of the next requests to answer with 503 (-1: all of them).</summary>
    public int FailNext { get; set; }
    public string Url { get; private set; } = "";

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            Interlocked.Increment(ref Arrived);
            if (Delay > TimeSpan.Zero)
                await Task.Delay(Delay);
            if (FailNext != 0)
            {
                if (FailNext > 0) FailNext--;
                Interlocked.Increment(ref Refused);
                return Results.StatusCode(503);
            }
            Accepted.Enqueue(new Received(http.Request.Path, body, http.Request.Headers["Feedback-Timestamp"].ToString(),
                http.Request.Headers["Feedback-Signature"].ToString(), http.Request.Headers["Idempotency-Key"].ToString()));
            return Results.Ok();
        });
    }

    public static async Task<WebhookReceiver> Start()
    {
        var receiver = new WebhookReceiver();
        await receiver._app.StartAsync();
        receiver.Url = receiver._app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("no server");
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
