using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FeedbackPlatform.Bench;

/// <summary>GraphQL over loopback HTTP with a bearer token; a refused or failed call throws.</summary>
public sealed class Client(string url, string token, int connections)
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    { Timeout = TimeSpan.FromMinutes(2) };

    public string Url => url;
    public string Token => token;

    public async Task<JsonNode> Send(string query, object? variables = null, CancellationToken ct = default)
    {
        using var request = Request(query, variables);
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var body = JsonNode.Parse(text) ?? throw new InvalidOperationException("empty response");
        if (!response.IsSuccessStatusCode || body["errors"] is JsonArray { Count: > 0 })
            throw new InvalidOperationException($"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 400)]}");
        return body["data"]!;
    }

    /// <summary>Sends and times one call; false when it failed.</summary>
    public async Task<(bool Ok, double Milliseconds)> Timed(string query, object? variables)
    {
        var answer = await Attempt(query, variables, TimeSpan.FromMinutes(2));
        return (answer.Acknowledged, answer.Milliseconds);
    }

    /// <summary>One call that never throws: its status (0 refused, -1 no answer in time) and the first error's code.</summary>
    public async Task<Answer> Attempt(string query, object? variables, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = Request(query, variables);
        using var waiting = new CancellationTokenSource(timeout);
        try
        {
            using var response = await _http.SendAsync(request, waiting.Token);
            var text = await response.Content.ReadAsStringAsync(waiting.Token);
            string? code = null;
            try
            {
                var body = JsonNode.Parse(text);
                if (body?["errors"] is JsonArray { Count: > 0 } errors)
                    code = errors[0]?["extensions"]?["code"]?.GetValue<string>() ?? "ERROR";
                else if (body?["data"] is null)
                    code = "NO_DATA";
            }
            catch (JsonException)
            {
                code = "NOT_JSON";
            }
            return new Answer(DateTimeOffset.UtcNow, (int)response.StatusCode, code, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (HttpRequestException)
        {
            return new Answer(DateTimeOffset.UtcNow, 0, "REFUSED", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            return new Answer(DateTimeOffset.UtcNow, -1, "NO_ANSWER", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>A GET of one of the platform's files (the CSV exports), read to the end as it streams: status, lines, bytes, time.</summary>
    public async Task<(int Status, long Lines, long Bytes, double Milliseconds)> Get(string path)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, url + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long lines = 0, bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return ((int)response.StatusCode, lines, bytes, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public HttpRequestMessage Request(string query, object? variables)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url + "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public Task<HttpResponseMessage> Stream(HttpRequestMessage request, CancellationToken ct) =>
        _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
}

/// <summary>One answer: when, which status (0 refused, -1 no answer in time), the first error's code, how long it took.</summary>
public sealed record Answer(DateTimeOffset At, int Status, string? Code, double Milliseconds)
{
    public bool Acknowledged => Status == 200 && Code is null;
}

/// <summary>Percentiles of a sample, nearest-rank.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
            return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
