using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FeedbackPlatform.Bench;
using Npgsql;

// Run by ./ops/bench.sh, which starts PostgreSQL and the platform first:
//   measure <url> <token> <connection string> <schema> <results.json> [--quick | --scale N]   the HTTP measurements (1-4)
//   set <results.json> <a.b> <value>                                                           a figure the script measured
//   report <results.json> <markdown file>                                                     the table and the last line
// and by ./ops/chaos.sh, which starts nothing but PostgreSQL (the scenarios start and kill the platform):
//   chaos <repository root> <platform folder> <connection string> <schema> <log folder> [--quick]
// and by hand, to compare two builds on a data set a run left behind:
//   rate <url> <token> <connection string> <schema> <seconds>                                 submitSessionRating alone, profiled
//   dashboards <url> <token> <connection string> <schema> <runs>                              dashboards idle and under ratings
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
void Say(string text) => Console.Error.WriteLine($"bench: {text}");

if (args is ["report", var resultsPath, var markdownPath])
{
    var results = JsonNode.Parse(await File.ReadAllTextAsync(resultsPath))!.AsObject();
    var (table, line) = Report.Render(results);
    // The hand-written history below the table (runs before and after each change) is kept.
    const string History = "\n## ";
    var previous = File.Exists(markdownPath) ? await File.ReadAllTextAsync(markdownPath) : "";
    var kept = previous.IndexOf(History, StringComparison.Ordinal) is var at and >= 0 ? previous[at..] : "";
    await File.WriteAllTextAsync(markdownPath, table.TrimEnd() + "\n" + kept);
    Console.WriteLine(line);
    return 0;
}
// set <results.json> <a.b.c> <value>: adds a figure measured by the script (pgbench, rebuild, memory, machine).
if (args is ["set", var file, var path, var value])
{
    var results = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
    var keys = path.Split('.');
    var node = results;
    foreach (var key in keys[..^1])
        node = (node[key] ??= new JsonObject()).AsObject();
    node[keys[^1]] = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);
    await File.WriteAllTextAsync(file, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    return 0;
}
// The token key comes from Auth__SigningKey, as the platform's.
if (args is ["chaos", var root, var appDirectory, var chaosDatabase, var chaosSchema, var logDirectory, ..])
{
    var key = Environment.GetEnvironmentVariable("Auth__SigningKey") ?? throw new InvalidOperationException("Auth__SigningKey is not set");
    var environment = new FeedbackPlatform.Bench.Chaos.ChaosEnvironment(root, appDirectory, chaosDatabase, chaosSchema, key, logDirectory);
    var port = int.TryParse(Environment.GetEnvironmentVariable("FEEDBACK_CHAOS_PORT"), out var p) ? p : 5100;
    return await new FeedbackPlatform.Bench.Chaos.ChaosRun(environment, args.Contains("--quick"), port, text => Console.Error.WriteLine($"chaos: {text}")).Run();
}
// rate <url> <token> <connection string> <schema> <seconds>: submitSessionRating at 16 connections on a data set a
// run left behind (its open episodes), profiled; for a CPU profiler attached to the platform meanwhile. Prints JSON.
if (args is ["rate", var rateUrl, var rateToken, var rateDatabase, var rateSchema, var rateSeconds])
{
    var rateClient = new Client(rateUrl, rateToken, 64);
    var existing = await DataSet.LeftBehind(rateClient, rateDatabase, rateSchema, 2_000);
    var sessions = await existing.PrepareSessions(6_000, 16);
    var queue = new ConcurrentQueue<(Guid, Guid)>(sessions.OrderBy(_ => Random.Shared.Next()));
    var rateProfile = await Profile.Start(rateDatabase);
    Say($"rating {sessions.Count} prepared sessions for {rateSeconds} s");
    var figures = await Measurements.Ingestion(rateClient, queue, 16, TimeSpan.FromSeconds(int.Parse(rateSeconds)), new Random(8));
    var profiled = await rateProfile.Stop(figures.Requests);
    profiled["perSecond"] = figures.PerSecond;
    profiled["p99"] = figures.P99;
    Console.WriteLine(profiled.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    return 0;
}
// dashboards <url> <token> <connection string> <schema> <runs>: the dashboard queries idle and while submitSessionRating
// runs at 16 connections, on a data set a run left behind; to compare two builds of the platform on the same data.
if (args is ["dashboards", var dashUrl, var dashToken, var dashDatabase, var dashSchema, var dashRuns])
{
    var dashClient = new Client(dashUrl, dashToken, 64);
    var existing = await DataSet.LeftBehind(dashClient, dashDatabase, dashSchema, 4_000);
    var dashCount = int.Parse(dashRuns);
    var idle = await Measurements.Dashboards(dashClient, existing, dashCount);
    var (busy, load, _) = await Measurements.DashboardsUnderLoad(dashClient, existing, 12_000, dashCount, new Random(8));
    foreach (var (name, figures) in idle)
        Console.WriteLine($"{name}: idle p50 {figures.P50:F1} p95 {figures.P95:F1} ms; under load p50 {busy[name].P50:F1} p95 {busy[name].P95:F1} ms");
    Console.WriteLine($"ratings meanwhile: {load.PerSecond:F0} req/s, p99 {load.P99:F1} ms, {load.Errors} errors");
    return 0;
}
if (args is not ["measure", var url, var token, var connectionString, var schema, var output, ..])
{
    Console.Error.WriteLine("usage: measure <url> <token> <connection string> <schema> <results.json> [--quick | --scale N] | set <results.json> <a.b> <value> | report <results.json> <markdown> | chaos <root> <platform folder> <connection string> <schema> <log folder> [--quick] | rate <url> <token> <connection string> <schema> <seconds> | dashboards <url> <token> <connection string> <schema> <runs>");
    return 2;
}
var quick = args.Contains("--quick");
// --scale N: a 1/N data set (--quick is --scale 20); smaller ones are for trying a change out quickly.
var divisor = args.SkipWhile(a => a != "--scale").Skip(1).Select(int.Parse).FirstOrDefault(quick ? 20 : 1);
var result = new JsonObject { ["quick"] = quick };
var client = new Client(url, token, 128);

async Task<long> Events()
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var count = new NpgsqlCommand($"select count(*) from \"{schema}\".mt_events", connection);
    return (long)(await count.ExecuteScalarAsync())!;
}

// 1. Data at scale, through the commands.
var data = new DataSet(client, divisor);
Say($"loading {data.Sites} sites, {data.Therapists} therapists, {data.Episodes} episodes with {DataSet.SessionsPerEpisode} sessions each");
var eventsBefore = await Events();
var (commands, loadSeconds) = await data.Load(16, Say);
var loaded = await Events() - eventsBefore;
// The measurements start once the projection daemon has caught up with the load, so they do not share the
// machine with it; how long that took is reported.
var loadedAt = System.Diagnostics.Stopwatch.StartNew();
await using (var connection = new NpgsqlConnection(connectionString))
{
    await connection.OpenAsync();
    await using var last = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from \"{schema}\".mt_events", connection);
    var lastSeq = (long)(await last.ExecuteScalarAsync())!;
    await using var progress = new NpgsqlCommand($"select coalesce(min(last_seq_id), 0) from \"{schema}\".mt_event_progression where name like 'AllianceSummary%' or name like 'EpisodeOutcomes%' or name like 'RuleFacts%'", connection);
    while ((long)(await progress.ExecuteScalarAsync())! < lastSeq)
    {
        if (loadedAt.Elapsed > TimeSpan.FromMinutes(30))
            throw new TimeoutException("The summary, outcome and rule-fact projections did not catch up with the load within 30 minutes.");
        await Task.Delay(500);
    }
}
Say($"summaries caught up {loadedAt.Elapsed.TotalSeconds:F0} s after the load");
result["load"] = new JsonObject
{
    ["sites"] = data.Sites, ["therapists"] = data.Therapists, ["episodes"] = data.Episodes, ["sessions"] = data.Episodes * DataSet.SessionsPerEpisode,
    ["commands"] = commands, ["events"] = loaded, ["seconds"] = loadSeconds, ["eventsPerSecond"] = loaded / loadSeconds,
    ["summariesCaughtUpAfter"] = loadedAt.Elapsed.TotalSeconds,
};
Say($"loaded {loaded} events in {loadSeconds:F0} s ({loaded / loadSeconds:F0} events/s)");

// 2 and 3. Ingestion at 16 and 64 connections; alert latency sampled during the 16-connection run.
var duration = TimeSpan.FromSeconds(20);
var random = new Random(8);
var runs = new JsonArray();
foreach (var connections in new[] { 16, 64 })
{
    Say($"preparing sessions to rate at {connections} connections");
    var prepared = await data.PrepareSessions(divisor == 1 ? 60_000 : Math.Max(3_000, 300_000 / divisor), 16);
    // The alert samples: one session each of a hundred different episodes, kept out of the load.
    var alertTargets = connections == 16 ? prepared.GroupBy(p => p.Episode).Take(100).Select(g => g.First()).ToList() : [];
    var sampled = alertTargets.Select(t => t.Episode).ToHashSet();
    // Shuffled, so that simultaneous ratings go to different episodes as they would in a clinic (ratings of one
    // episode are serialised by its stream version); the sampled episodes get no other rating meanwhile.
    var queue = new ConcurrentQueue<(Guid, Guid)>(prepared.Where(p => !sampled.Contains(p.Episode)).OrderBy(_ => random.Next()));
    Say($"submitSessionRating at {connections} connections for {duration.TotalSeconds} s");
    var latencyRun = connections == 16
        ? Measurements.AlertLatency(client, alertTargets, CancellationToken.None)
        : Task.FromResult((new List<double>(), new List<double>()));
    // The 16-connection run is profiled: CPU and statements per request (the alert samples' polling included).
    var profile = connections == 16 ? await Profile.Start(connectionString) : null;
    var load = await Measurements.Ingestion(client, queue, connections, duration, random);
    var (visible, streamed) = await latencyRun;
    if (profile is not null)
    {
        result["profile"] = await profile.Stop(load.Requests);
        Say($"  profile: {result["profile"]!["platformCpuMsPerRequest"]} ms platform CPU, {result["profile"]!["postgresCpuMsPerRequest"]} ms PostgreSQL CPU, {result["profile"]!["statementsPerRequest"]} statements per request");
    }
    runs.Add(new JsonObject
    {
        ["connections"] = connections, ["seconds"] = load.Seconds, ["requests"] = load.Requests, ["errors"] = load.Errors,
        ["perSecond"] = load.PerSecond, ["p50"] = load.P50, ["p99"] = load.P99, ["ranOut"] = queue.IsEmpty,
    });
    Say($"  {load.PerSecond:F0} req/s, p50 {load.P50:F1} ms, p99 {load.P99:F1} ms, {load.Errors} errors");
    if (connections == 16)
    {
        result["alerts"] = new JsonObject
        {
            ["samples"] = visible.Count, ["visibleP50"] = Stats.Percentile(visible, 50), ["visibleP99"] = Stats.Percentile(visible, 99),
            ["streamed"] = streamed.Count, ["streamedP50"] = Stats.Percentile(streamed, 50), ["streamedP99"] = Stats.Percentile(streamed, 99),
        };
        Say($"  alerts: visible p99 {Stats.Percentile(visible, 99):F1} ms, streamed p99 {Stats.Percentile(streamed, 99):F1} ms ({streamed.Count}/{visible.Count} arrived)");
    }
}
result["ingestion"] = runs;

// 4. Dashboards on the full data set.
Say("dashboard queries");
var dashboards = await Measurements.Dashboards(client, data, quick ? 50 : 100);
result["dashboards"] = new JsonObject(dashboards.Select(d => new KeyValuePair<string, JsonNode?>(d.Key, new JsonObject { ["p50"] = d.Value.P50, ["p95"] = d.Value.P95 })));
// 5. The same queries while ratings come in: a director looks at the dashboards during the clinic's day.
Say("dashboard queries while submitSessionRating runs at 16 connections");
{
    var (underLoad, figures, ranOut) = await Measurements.DashboardsUnderLoad(client, data, divisor == 1 ? 30_000 : Math.Max(3_000, 150_000 / divisor), quick ? 50 : 100, random);
    result["dashboardsUnderLoad"] = new JsonObject(underLoad.Select(d => new KeyValuePair<string, JsonNode?>(d.Key, new JsonObject { ["p50"] = d.Value.P50, ["p95"] = d.Value.P95 })));
    result["loadDuringDashboards"] = new JsonObject
    {
        ["perSecond"] = figures.PerSecond, ["p99"] = figures.P99, ["errors"] = figures.Errors, ["ranOut"] = ranOut,
    };
    Say($"  meanwhile {figures.PerSecond:F0} req/s, p99 {figures.P99:F1} ms, {figures.Errors} errors{(ranOut ? " (prepared sessions ran out)" : "")}");
}
Say("CSV exports");
result["exports"] = await Measurements.Exports(client, quick ? 20 : 50);
result["eventsTotal"] = await Events();
await File.WriteAllTextAsync(output, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
return 0;
