using System.Diagnostics;
using Npgsql;

namespace FeedbackPlatform.Bench.Chaos;

/// <summary>
/// Where the chaos run works: the repository (for ops/postgres.sh), the published platform, the local
/// PostgreSQL cluster and a schema of its own. Starts platform processes and stops and starts the database.
/// </summary>
public sealed class ChaosEnvironment(string root, string appDirectory, string connectionString, string schema, string signingKey, string logDirectory)
{
    public string ConnectionString => connectionString;
    public string Schema => schema;
    public string LogDirectory => logDirectory;

    /// <summary>A platform process in Production mode (pre-generated code) with one role, on a loopback port.</summary>
    public Node Start(string name, string role, int port)
    {
        var log = Path.Combine(logDirectory, name + ".log");
        var info = new ProcessStartInfo("bash", ["-c", $"exec dotnet FeedbackPlatform.dll --urls http://127.0.0.1:{port} >> '{log}' 2>&1"])
        {
            WorkingDirectory = appDirectory,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["FEEDBACK_DB"] = connectionString;
        info.Environment["FEEDBACK_SCHEMA"] = schema;
        info.Environment["FEEDBACK_ROLE"] = role;
        info.Environment["Auth__SigningKey"] = signingKey;
        info.Environment["FEEDBACK_MUTATIONS_PER_MINUTE"] = "1000000000";
        // Node health every second (stale after three), so a dead node's work moves within seconds.
        info.Environment["FEEDBACK_NODE_CHECK_SECONDS"] = "1";
        // Webhook retries that fit a chaos run: a receiver down for 20 s is reached on the 5th attempt.
        info.Environment["FEEDBACK_NOTIFY_RETRY_SECONDS"] = "1,2,4,8,15,30,60";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        File.AppendAllText(log, $"--- {DateTimeOffset.UtcNow:O} start {role} on {port}\n");
        return new Node(name, port, Process.Start(info)!);
    }

    /// <summary>A token for an admin of an organization, signed by the platform's own dev-token command.</summary>
    public async Task<string> Token(string organization)
    {
        var info = new ProcessStartInfo("dotnet", ["FeedbackPlatform.dll", "dev-token", "--role", "admin", "--org", organization, "--sub", "chaos"])
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Auth__SigningKey"] = signingKey;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim().Split('\n')[^1].Trim();
    }

    public Task StopDatabase() => PostgresScript("stop");

    public Task StartDatabase() => PostgresScript("start");

    private async Task PostgresScript(string verb)
    {
        var info = new ProcessStartInfo(Path.Combine(root, "ops", "postgres.sh"), [verb]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment.Remove("FEEDBACK_DB"); // the local cluster itself, never a database given from outside
        using var process = Process.Start(info)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ops/postgres.sh {verb} failed: {await process.StandardError.ReadToEndAsync()}");
    }

    public async Task<T> Scalar<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", $"\"{schema}\""), connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The Wolverine node ids registered now, so a new process's node can be told apart.</summary>
    public async Task<HashSet<Guid>> NodeIds()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id from \"{schema}\".wolverine_nodes", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<Guid>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>The node that runs the async projections (the summary projection's agent), if one does.</summary>
    public async Task<Guid?> ProjectionNode()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select node_id from \"{schema}\".wolverine_node_assignments where id like 'event-subscriptions://%' limit 1", connection);
        return await command.ExecuteScalarAsync() is Guid id ? id : null;
    }
}

/// <summary>One platform process.</summary>
public sealed class Node(string name, int port, Process process)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public string Name => name;
    public string Url => $"http://127.0.0.1:{port}";
    public Guid? WolverineNode { get; set; }
    public bool Exited => process.HasExited;

    public async Task<int> Readiness()
    {
        try
        {
            using var response = await Http.GetAsync(Url + "/health/ready");
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException)
        {
            return -1; // no answer within 5 s: hanging
        }
    }

    /// <summary>Waits for /health/ready to answer 200; false when the process died or the time ran out.</summary>
    public async Task<bool> WaitReady(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
                return false;
            if (await Readiness() == 200)
                return true;
            await Task.Delay(200);
        }
        return false;
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then a kill after 30 s.</summary>
    public async Task Stop()
    {
        if (process.HasExited)
            return;
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString()]))
            await term.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }
}
