using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FeedbackPlatform.Tests.Support;

/// <summary>
/// The platform as its own process on a free loopback port (the Debug build), for clients that need real
/// HTTP rather than Alba's in-memory server: the GraphQL-over-HTTP audit, streaming subscriptions.
/// </summary>
public sealed class PlatformProcess : IAsyncDisposable
{
    private readonly Process _process;
    public string Url { get; }
    public string Schema { get; }

    private PlatformProcess(Process process, string url, string schema)
    {
        _process = process;
        Url = url;
        Schema = schema;
    }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FeedbackPlatform.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("FeedbackPlatform.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>`dotnet FeedbackPlatform.dll args…` of the Debug build, on the test database and the given schema, in Development.</summary>
    public static ProcessStartInfo Command(string schema, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", ["FeedbackPlatform.dll", .. args])
        {
            WorkingDirectory = Path.Combine(RepositoryRoot, "src", "FeedbackPlatform", "bin", "Debug", "net10.0"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["FEEDBACK_DB"] = PlatformFixture.ConnectionString;
        info.Environment["FEEDBACK_SCHEMA"] = schema;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        return info;
    }

    public static async Task<PlatformProcess> Start(params (string Key, string Value)[] settings)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var schema = "t_process_" + Guid.NewGuid().ToString("N")[..6];
        var info = Command(schema);
        info.Environment["FEEDBACK_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Auth__SigningKey"] = Tokens.SigningKey;
        foreach (var (key, value) in settings)
            info.Environment[key] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var platform = new PlatformProcess(process, $"http://127.0.0.1:{port}", schema);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(platform.Url + "/health/ready")).IsSuccessStatusCode)
                    return platform;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        await platform.DisposeAsync();
        throw new InvalidOperationException("The platform process did not become ready within 60 s.");
    }

    /// <summary>kill -9: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>Posts a GraphQL operation with a bearer token and returns the parsed body.</summary>
    public async Task<System.Text.Json.Nodes.JsonObject> GraphQL(string query, object? variables, string token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + "/graphql") { Content = System.Net.Http.Json.JsonContent.Create(new { query, variables }) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        await using var connection = new Npgsql.NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync();
        await new Npgsql.NpgsqlCommand($"drop schema if exists \"{Schema}\" cascade", connection).ExecuteNonQueryAsync();
    }
}
