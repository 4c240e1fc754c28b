using System.Collections.Concurrent;
using System.Net;

namespace FeedbackPlatform.Bench.Chaos;

/// <summary>A clinic's webhook receiver on loopback that can be down (nothing listening) and come back.</summary>
public sealed class Receiver(int port) : IDisposable
{
    private HttpListener? _listener;

    public string Url => $"http://127.0.0.1:{port}/hooks";

    /// <summary>Idempotency key → how many times it arrived.</summary>
    public ConcurrentDictionary<string, int> Arrivals { get; } = new();

    public void Up()
    {
        _listener = new HttpListener();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        var listener = _listener;
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                var key = context.Request.Headers["Idempotency-Key"] ?? "(none)";
                using (var reader = new StreamReader(context.Request.InputStream))
                    await reader.ReadToEndAsync();
                Arrivals.AddOrUpdate(key, 1, (_, n) => n + 1);
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });
    }

    /// <summary>Down: the port refuses connections.</summary>
    public void Down()
    {
        _listener?.Close();
        _listener = null;
    }

    public void Dispose() => Down();
}
