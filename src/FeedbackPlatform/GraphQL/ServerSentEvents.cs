using System.Text;
using System.Threading.Channels;
using GraphQL;

namespace FeedbackPlatform.GraphQL;

/// <summary>
/// The graphql-sse protocol in distinct-connections mode: one request, one operation, results as
/// `event: next` and a final `event: complete`. A subscription stays open until the client goes away.
/// </summary>
public static class ServerSentEvents
{
    public const string MediaType = "text/event-stream";
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static bool Wanted(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(MediaType, StringComparison.OrdinalIgnoreCase));

    public static async Task Stream(HttpContext http, ExecutionResult result, IGraphQLTextSerializer serializer)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = MediaType + "; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.Body.FlushAsync(http.RequestAborted);

        var ct = http.RequestAborted;
        if (result.Streams is not { Count: > 0 } streams)
        {
            // A query or mutation over SSE: its one result, then complete.
            await Write(http, "next", serializer.Serialize(result), ct);
            await Write(http, "complete", "", ct);
            return;
        }

        var results = Channel.CreateUnbounded<ExecutionResult?>(new UnboundedChannelOptions { SingleReader = true });
        var subscriptions = streams.Values.Select(s => s.Subscribe(new Forward(results.Writer))).ToList();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(KeepAlive);
                try
                {
                    if (!await results.Reader.WaitToReadAsync(wait.Token))
                        break;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(":\n\n", ct); // keep the connection alive through proxies
                    await http.Response.Body.FlushAsync(ct);
                    continue;
                }
                while (results.Reader.TryRead(out var next))
                {
                    if (next is null)
                    {
                        await Write(http, "complete", "", ct);
                        return;
                    }
                    // Each event's reads are on record before it leaves, as for a plain request.
                    await http.RequestServices.GetRequiredService<Access.AccessLog>().Flush(ct);
                    await Write(http, "next", serializer.Serialize(next), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            foreach (var subscription in subscriptions)
                subscription.Dispose();
        }
    }

    private static async Task Write(HttpContext http, string name, string data, CancellationToken ct)
    {
        var text = new StringBuilder().Append("event: ").Append(name).Append('\n').Append("data: ").Append(data.Replace("\n", "\ndata: ")).Append("\n\n");
        await http.Response.WriteAsync(text.ToString(), ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private sealed class Forward(ChannelWriter<ExecutionResult?> writer) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => writer.TryWrite(value);
        public void OnError(Exception error) => writer.TryWrite(new ExecutionResult { Errors = [new ExecutionError("The subscription failed.") { Code = "SUBSCRIPTION_FAILED" }] });
        public void OnCompleted() => writer.TryWrite(null);
    }
}
