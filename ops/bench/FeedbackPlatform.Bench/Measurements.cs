using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace FeedbackPlatform.Bench;

public sealed record LoadFigures(int Connections, double Seconds, int Requests, int Errors, double PerSecond, double P50, double P99);

public static class Measurements
{
    private const string Rating = "mutation Rate($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { id } }";

    /// <summary>submitSessionRating at a fixed number of connections, each rating one prepared session, for the given time.</summary>
    public static async Task<LoadFigures> Ingestion(Client client, ConcurrentQueue<(Guid Episode, Guid Session)> sessions, int connections, TimeSpan duration, Random random, CancellationToken until = default)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(until);
        stop.CancelAfter(duration);
        var clock = Stopwatch.StartNew();
        async Task Connection(int seed)
        {
            var items = new Random(seed);
            while (!stop.IsCancellationRequested && sessions.TryDequeue(out var target))
            {
                double Item() => Math.Round(8.8 + items.NextDouble() * 1.2, 1);
                var (ok, ms) = await client.Timed(Rating, new { i = new { episodeId = target.Episode, sessionId = target.Session, relationship = Item(), goalsAndTopics = Item(), approachOrMethod = Item(), overall = Item() } });
                latencies.Add(ms);
                if (!ok)
                    Interlocked.Increment(ref errors);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, connections).Select(i => Connection(random.Next() + i)));
        var seconds = clock.Elapsed.TotalSeconds;
        var sample = latencies.ToArray();
        return new LoadFigures(connections, seconds, sample.Length, errors, sample.Length / seconds, Stats.Percentile(sample, 50), Stats.Percentile(sample, 99));
    }

    /// <summary>
    /// While the load runs: ratings that must raise LOW_ALLIANCE, one at a time; from each mutation's response to the
    /// alert in `episode { alerts }` (polled) and to its arrival on an `alertRaised` subscription (Server-Sent Events).
    /// </summary>
    public static async Task<(List<double> Visible, List<double> Streamed)> AlertLatency(Client client, IReadOnlyList<(Guid Episode, Guid Session)> targets, CancellationToken ct)
    {
        var arrived = new ConcurrentDictionary<Guid, long>();
        using var subscription = client.Request("subscription { alertRaised { kind episode { id } } }", null);
        subscription.Headers.Accept.Add(new("text/event-stream"));
        using var stream = await client.Stream(subscription, ct);
        using var listen = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = Task.Run(async () =>
        {
            using var lines = new StreamReader(await stream.Content.ReadAsStreamAsync(listen.Token));
            while (!listen.IsCancellationRequested && await lines.ReadLineAsync(listen.Token) is { } line)
            {
                if (line.StartsWith("data: {") && JsonNode.Parse(line[6..])?["data"]?["alertRaised"]?["episode"]?["id"]?.GetValue<string>() is { } id)
                    arrived.TryAdd(Guid.Parse(id), Stopwatch.GetTimestamp());
            }
        }, listen.Token);
        await Task.Delay(500, ct);

        var visible = new List<double>();
        var streamed = new List<double>();
        const string Alerts = "query($id: ID!) { episode(id: $id) { alerts { kind status } } }";
        static bool OpenLowAlliance(JsonNode data) =>
            data["episode"]!["alerts"]!.AsArray().Any(a => a!["kind"]!.GetValue<string>() == "LOW_ALLIANCE" && a["status"]!.GetValue<string>() != "RESOLVED");
        foreach (var (episode, session) in targets)
        {
            // Only an episode without an open LOW_ALLIANCE gets a new alert from a low rating (otherwise an occurrence).
            if (OpenLowAlliance(await client.Send(Alerts, new { id = episode }, ct)))
                continue;
            arrived.TryRemove(episode, out _);
            await client.Send(Rating, new { i = new { episodeId = episode, sessionId = session, relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 } }, ct);
            var answered = Stopwatch.GetTimestamp();
            var giveUp = answered + Stopwatch.Frequency * 10;
            while (!OpenLowAlliance(await client.Send(Alerts, new { id = episode }, ct)))
            {
                if (Stopwatch.GetTimestamp() > giveUp)
                    throw new InvalidOperationException($"no LOW_ALLIANCE alert on episode {episode} 10 s after a rating that must raise one");
            }
            visible.Add(Stopwatch.GetElapsedTime(answered).TotalMilliseconds);
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
            while (!arrived.ContainsKey(episode) && Stopwatch.GetTimestamp() < deadline)
                await Task.Delay(1, ct);
            if (arrived.TryGetValue(episode, out var at))
                streamed.Add(Stopwatch.GetElapsedTime(answered, at).TotalMilliseconds is var ms && ms > 0 ? ms : 0);
        }
        await listen.CancelAsync();
        try { await reader; } catch (OperationCanceledException) { } catch (IOException) { }
        return (visible, streamed);
    }

    private const string Outcomes = "from to withheld measuredEpisodes reliableImprovementRate reliableDeteriorationRate recoveryRate startedInClinicalRange meanChange effectSize " +
                                    "closedEpisodes dropoutRate meanSessionsPerClosedEpisode sessionsHeld feedbackCompletion srsCount meanSrs srsBelowCutoffRate";

    /// <summary>The CSV exports: the organization's outcomes by site (timed over runs) and every episode of the organization once (streamed).</summary>
    public static async Task<JsonObject> Exports(Client client, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            var (status, _, _, ms) = await client.Get("/exports/outcomes.csv?scope=organization");
            if (status != 200)
                throw new InvalidOperationException($"outcomes.csv answered {status}");
            if (i > 0) // the first is the warm-up
                times.Add(ms);
        }
        var episodes = await client.Get("/exports/episodes.csv");
        if (episodes.Status != 200)
            throw new InvalidOperationException($"episodes.csv answered {episodes.Status}");
        return new JsonObject
        {
            ["outcomesP50"] = Stats.Percentile(times, 50), ["outcomesP95"] = Stats.Percentile(times, 95),
            ["episodeRows"] = episodes.Lines - 1, ["episodeBytes"] = episodes.Bytes, ["episodeSeconds"] = episodes.Milliseconds / 1000,
        };
    }

    /// <summary>
    /// The dashboard queries while submitSessionRating runs at 16 connections on sessions prepared for it: a director looks
    /// at the dashboards during the clinic's day. Also what the ratings did meanwhile, and whether the sessions ran out.
    /// </summary>
    public static async Task<(Dictionary<string, (double P50, double P95)> Queries, LoadFigures Load, bool RanOut)> DashboardsUnderLoad(
        Client client, DataSet data, int sessions, int runs, Random random)
    {
        var prepared = await data.PrepareSessions(sessions, 16);
        var queue = new ConcurrentQueue<(Guid, Guid)>(prepared.OrderBy(_ => random.Next()));
        using var done = new CancellationTokenSource();
        var load = Ingestion(client, queue, 16, TimeSpan.FromMinutes(30), random, done.Token);
        await Task.Delay(2_000); // the load is running before the first query
        var queries = await Dashboards(client, data, runs);
        await done.CancelAsync();
        return (queries, await load, queue.IsEmpty);
    }

    /// <summary>Each dashboard query on the full data set, timed over a number of runs.</summary>
    public static async Task<Dictionary<string, (double P50, double P95)>> Dashboards(Client client, DataSet data, int runs)
    {
        var site = data.SiteIds[0];
        var episode = data.EpisodeIds[data.EpisodeIds.Count / 2].Id;
        var queries = new (string Name, string Query, object Variables, int Runs)[]
        {
            ("site summary with weekly series", "query($id: ID!) { site(id: $id) { name summary { activeEpisodes episodesAtRisk meanLatestSrs meanLatestOrs openAlerts } weeklySeries(weeks: 52) { weekStart meanSrs meanOrs alertsRaised } } }", new { id = site }, runs),
            ("alert inbox, first page", "{ alerts(first: 50, filter: { unresolved: true }) { edges { node { id kind severity status raisedAt evidence episode { id } site { name } } } pageInfo { hasNextPage endCursor } } }", new { }, runs),
            ("episode with its history", "query($id: ID!) { episode(id: $id) { id status sessions { number heldAt sessionRating { total } outcomeRating { total } } allianceHealth { status latestSrsTotal srsSeries { sessionNumber total } orsSeries { sessionNumber total } } alerts { kind status raisedAt } goals { agreed } } }", new { id = episode }, runs),
            ("organization outcomes", $"{{ organization {{ outcomes {{ {Outcomes} }} }} }}", new { }, runs),
            ("site outcomes with therapist comparison", $"query($id: ID!) {{ site(id: $id) {{ outcomes {{ {Outcomes} }} therapistComparison {{ therapist {{ id displayName }} outcomes {{ {Outcomes} }} }} }} }}", new { id = site }, runs),
            ("therapist outcomes", $"query($id: ID!) {{ therapist(id: $id) {{ outcomes {{ {Outcomes} }} }} }}", new { id = data.TherapistIds[0].Id }, runs),
            ("simulateAlertRules, one site's year", "query($id: ID!, $from: DateTime!) { simulateAlertRules(siteId: $id, from: $from, settings: { srsClinicalCutoff: 37 }) { episodes facts kinds { kind current proposed } } }",
                new { id = site, from = DateTimeOffset.UtcNow.AddYears(-1) }, Math.Max(5, runs / 10)),
        };
        var results = new Dictionary<string, (double, double)>();
        foreach (var (name, query, variables, count) in queries)
        {
            await client.Send(query, variables); // warm: parsed, planned, connections open
            var times = new List<double>();
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await client.Send(query, variables);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            results[name] = (Stats.Percentile(times, 50), Stats.Percentile(times, 95));
        }
        return results;
    }
}
