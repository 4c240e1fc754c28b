using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using FeedbackPlatform.Clinical.Alerts;

namespace FeedbackPlatform.Bench.Chaos;

/// <summary>What one scenario found: its recovery time and anything that failed it.</summary>
public sealed record ScenarioOutcome(string Name, double RecoverySeconds, IReadOnlyList<string> Failures, IReadOnlyList<string> Notes);

/// <summary>
/// The four fault-injection scenarios of ./ops/chaos.sh, one after the other against one schema, then one check of
/// the whole store: kill -9 during ingestion, PostgreSQL stopped for 10 s, a webhook receiver that is down, and two
/// workers of which one is killed. Each is bounded in time and traffic, all on loopback.
/// </summary>
public sealed class ChaosRun(ChaosEnvironment environment, bool quick, int basePort, Action<string> say)
{
    private const string Clinic = "chaos";
    private const string WorkersClinic = "chaos-workers";
    private static readonly TimeSpan Sustain = TimeSpan.FromSeconds(8);

    private readonly Ledger _ledger = new();
    private readonly List<ScenarioOutcome> _outcomes = [];
    private int _undelivered;
    private TimeSpan Phase => quick ? TimeSpan.FromSeconds(6) : TimeSpan.FromSeconds(20);
    private const int Workers = 16;

    public async Task<int> Run()
    {
        var clinicToken = await environment.Token(Clinic);
        var node = environment.Start("all", "all", basePort);
        if (!await node.WaitReady(TimeSpan.FromMinutes(2)))
            throw new InvalidOperationException($"the platform did not become ready; see {environment.LogDirectory}/all.log");
        // The restarted process listens where the killed one did: one client serves every scenario on it.
        var clinic = new Client(node.Url, clinicToken, 64);
        var episodes = await Setup(clinic, quick ? 64 : 200, null);
        var traffic = new Traffic(clinic, Clinic, episodes, _ledger);

        node = await KillDuringIngestion(node, traffic);
        await DatabaseStop(node, traffic);
        await ReceiverDown(clinic, traffic);
        await node.Stop();
        var workersRules = AlertRuleSettings.Defaults with { MissingFeedbackAfter = TimeSpan.FromHours(0.005) };
        await WorkerKilled(await environment.Token(WorkersClinic), workersRules);

        say("checking the event store against the acknowledgements and the rules");
        var verdict = await StoredFacts.Verify(environment, _ledger, new Dictionary<string, AlertRuleSettings>
        {
            [Clinic] = AlertRuleSettings.Defaults,
            [WorkersClinic] = workersRules,
        });
        return Report(verdict);
    }

    /// <summary>A site, a therapist and open episodes in an organization (optionally with other alert rules first).</summary>
    private static async Task<List<Guid>> Setup(Client client, int count, AlertRuleSettings? rules)
    {
        if (rules is not null)
            await client.Send("mutation($i: AlertRuleSettingsInput!) { updateAlertRules(input: $i) { missingFeedbackAfterHours } }",
                new { i = new { missingFeedbackAfterHours = rules.MissingFeedbackAfter.TotalHours } });
        var site = Guid.NewGuid();
        var therapist = Guid.NewGuid();
        await client.Send("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = site, name = "Chaos clinic", timeZone = "Europe/London" } });
        await client.Send("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }", new { i = new { therapistId = therapist, siteId = site, displayName = "Chaos therapist" } });
        var episodes = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        foreach (var chunk in episodes.Chunk(20))
        {
            var document = new StringBuilder("mutation(");
            document.Append(string.Join(", ", chunk.Select((_, i) => $"$e{i}: OpenEpisodeInput!"))).Append(") {");
            document.Append(string.Join(" ", chunk.Select((_, i) => $"e{i}: openEpisode(input: $e{i}) {{ id }}"))).Append('}');
            var variables = chunk.Select((id, i) => (i, id)).ToDictionary(x => $"e{x.i}", x => (object)new
            {
                episodeId = x.id, siteId = site, therapistId = therapist, clientId = "chaos-" + x.id.ToString("N")[..12],
                population = "ADULT", openedAt = DateTimeOffset.UtcNow.AddDays(-1),
            });
            await client.Send(document.ToString(), variables);
        }
        return episodes;
    }

    /// <summary>kill -9 the platform in the middle of sustained ingestion and start it again.</summary>
    private async Task<Node> KillDuringIngestion(Node node, Traffic traffic)
    {
        say("scenario 1: kill -9 the platform during sustained ingestion, then restart it");
        using var stop = new CancellationTokenSource();
        var load = traffic.Run(Workers, stop.Token, 1);
        await Task.Delay(Phase);
        var killed = DateTimeOffset.UtcNow;
        node.Kill();
        var restarted = environment.Start("all", "all", basePort);
        var ready = await restarted.WaitReady(TimeSpan.FromMinutes(2));
        var readyAfter = (DateTimeOffset.UtcNow - killed).TotalSeconds;
        await Task.Delay(Phase);
        stop.Cancel();
        await load;
        var firstAck = _ledger.FirstAckAfter(killed.AddSeconds(readyAfter - 0.5));
        var recovery = firstAck is { } at ? (at - killed).TotalSeconds : double.NaN;
        var failures = new List<string>();
        if (!ready)
            failures.Add("the restarted platform never became ready");
        if (firstAck is null)
            failures.Add("nothing was acknowledged after the restart");
        _outcomes.Add(new ScenarioOutcome("kill -9 during ingestion", recovery, failures,
            [$"ready again {readyAfter:F1} s after the kill, first acknowledged write {recovery:F1} s after it"]));
        return restarted;
    }

    /// <summary>PostgreSQL stopped for 10 s during ingestion: 503 and unready meanwhile, recovery without help.</summary>
    private async Task DatabaseStop(Node node, Traffic traffic)
    {
        say("scenario 2: stop PostgreSQL for 10 s during ingestion");
        using var stop = new CancellationTokenSource();
        var load = traffic.Run(Workers, stop.Token, 2);
        await Task.Delay(Phase);
        var probes = new List<(DateTimeOffset At, int Status, double Ms)>();
        using var probing = new CancellationTokenSource();
        var probe = Task.Run(async () =>
        {
            while (!probing.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var status = await node.Readiness();
                lock (probes)
                    probes.Add((DateTimeOffset.UtcNow, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
                await Task.Delay(250);
            }
        });
        var stopping = DateTimeOffset.UtcNow;
        await environment.StopDatabase();
        var stopped = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(10));
        var starting = DateTimeOffset.UtcNow;
        await environment.StartDatabase();
        var started = DateTimeOffset.UtcNow;
        var ready = await node.WaitReady(TimeSpan.FromMinutes(2));
        var readyAt = DateTimeOffset.UtcNow;
        await Task.Delay(Phase);
        stop.Cancel();
        await load;
        probing.Cancel();
        await probe;

        var during = _ledger.Answers.Where(a => a.At >= stopping && a.At <= started).ToList();
        var failures = new List<string>();
        var firstUnready = probes.Where(p => p.At >= stopping && p.Status == 503).Select(p => (DateTimeOffset?)p.At).Min();
        if (firstUnready is null)
            failures.Add("/health/ready never answered 503 while the database was down");
        var hung = during.Count(a => a.Status == -1) + probes.Count(p => p.Status == -1);
        if (hung > 0)
            failures.Add($"{hung} requests got no answer within {Traffic.CallTimeout.TotalSeconds:F0} s (health: 5 s)");
        var errors = during.Where(a => a.Status >= 500 && a.Status != 503 || a.Status == 200 && a.Code is not null).ToList();
        if (errors.Count > 0)
            failures.Add($"{errors.Count} answers other than 503 while the database was down: " +
                string.Join(", ", errors.GroupBy(e => $"{e.Status} {e.Code}").Select(g => $"{g.Key} ×{g.Count()}")));
        if (!ready)
            failures.Add("the platform did not become ready again");
        var firstAck = _ledger.FirstAckAfter(started);
        var recovery = Math.Max((readyAt - started).TotalSeconds, firstAck is { } at ? (at - started).TotalSeconds : double.NaN);
        var unavailable = during.Where(a => a.Status == 503).ToList();
        _outcomes.Add(new ScenarioOutcome("PostgreSQL stopped for 10 s", recovery, failures,
        [
            $"pg_ctl stop took {(stopped - stopping).TotalSeconds:F1} s, start {(started - starting).TotalSeconds:F1} s",
            $"unready {(firstUnready is { } u ? $"{(u - stopping).TotalSeconds:F1} s" : "never")} after the stop began; " +
            $"{unavailable.Count} mutations answered 503 (slowest {(unavailable.Count > 0 ? unavailable.Max(a => a.Milliseconds) : 0):F0} ms), " +
            $"{during.Count(a => a.Status == 0)} refused before reaching the platform",
            $"ready {(readyAt - started).TotalSeconds:F1} s and first acknowledged write {(firstAck is { } f ? (f - started).TotalSeconds : double.NaN):F1} s after PostgreSQL was back",
        ]));
    }

    /// <summary>A webhook receiver down for a while: every notice arrives exactly once per idempotency key once it is back.</summary>
    private async Task ReceiverDown(Client client, Traffic traffic)
    {
        say("scenario 3: a webhook receiver that is down for a while, then returns");
        using var receiver = new Receiver(basePort + 10);
        await client.Send("mutation($i: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $i) { secret } }",
            new { i = new { subscriptionId = Guid.NewGuid(), channel = "WEBHOOK", target = receiver.Url, digest = "IMMEDIATE" } });
        var after = await environment.Scalar<long>("select coalesce(max(seq_id), 0) from {schema}.mt_events");
        using var stop = new CancellationTokenSource();
        var load = traffic.Run(Workers, stop.Token, 3);
        await Task.Delay(Phase);
        stop.Cancel();
        await load;
        var downFor = quick ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(30);
        await Task.Delay(downFor - Phase);
        var before = DateTimeOffset.UtcNow;
        receiver.Up();
        var expected = await ExpectedNotices(after);
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < until && !expected.All(receiver.Arrivals.ContainsKey))
            await Task.Delay(250);
        var recovery = (DateTimeOffset.UtcNow - before).TotalSeconds;
        // A late second attempt would show as a duplicate: keep listening a little longer.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var missing = expected.Count(k => !receiver.Arrivals.ContainsKey(k));
        var repeated = expected.Sum(k => Math.Max(0, receiver.Arrivals.GetValueOrDefault(k) - 1));
        _undelivered = missing + repeated;
        var failures = new List<string>();
        if (missing > 0)
            failures.Add($"{missing} of {expected.Count} notices never arrived");
        if (repeated > 0)
            failures.Add($"{repeated} notices arrived more than once");
        _outcomes.Add(new ScenarioOutcome("webhook receiver down", recovery, failures,
        [
            $"{expected.Count} notices (raised and resolved alerts) while the receiver was down for {downFor.TotalSeconds:F0} s; " +
            $"all arrived {recovery:F1} s after it came back; {receiver.Arrivals.Count - expected.Count(receiver.Arrivals.ContainsKey)} other keys",
        ]));
    }

    /// <summary>The idempotency keys of every alert raised or resolved in the clinic after a point of the event store.</summary>
    private async Task<List<string>> ExpectedNotices(long after)
    {
        await using var connection = new Npgsql.NpgsqlConnection(environment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select data->>'alertId', type from \"{environment.Schema}\".mt_events where seq_id > @after and tenant_id = @org " +
            "and type in ('alert_raised', 'alert_resolved') and stream_id::text = data->>'episodeId'", connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("org", Clinic);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
            keys.Add($"{Guid.Parse(reader.GetString(0)):N}:{(reader.GetString(1) == "alert_raised" ? "raised" : "resolved")}");
        return keys;
    }

    /// <summary>An API and two workers; the worker running the projections is killed: the other takes over within 30 s.</summary>
    private async Task WorkerKilled(string token, AlertRuleSettings rules)
    {
        say("scenario 4: two workers, kill the one running the projections");
        var api = environment.Start("api", "api", basePort + 1);
        if (!await api.WaitReady(TimeSpan.FromMinutes(2)))
            throw new InvalidOperationException("the api process did not become ready");
        var workers = new List<Node>();
        foreach (var (name, port) in new[] { ("worker-1", basePort + 2), ("worker-2", basePort + 3) })
        {
            var known = await environment.NodeIds();
            var worker = environment.Start(name, "worker", port);
            if (!await worker.WaitReady(TimeSpan.FromMinutes(2)))
                throw new InvalidOperationException($"{name} did not become ready");
            for (var i = 0; i < 50 && worker.WolverineNode is null; i++)
            {
                worker.WolverineNode = (await environment.NodeIds()).Except(known).Cast<Guid?>().FirstOrDefault();
                await Task.Delay(200);
            }
            workers.Add(worker);
        }
        var client = new Client(api.Url, token, 64);
        var episodes = await Setup(client, 32, rules);
        Node? victim = null;
        for (var i = 0; i < 150 && victim is null; i++)
        {
            var holder = await environment.ProjectionNode();
            victim = workers.FirstOrDefault(w => w.WolverineNode is { } id && id == holder);
            if (victim is null)
                await Task.Delay(200);
        }
        var failures = new List<string>();
        if (victim is null)
        {
            failures.Add("no worker took the projections within 30 s of starting");
            victim = workers[0];
        }
        var survivor = workers.Single(w => w != victim);

        // Sessions nobody rates: their missing-feedback checks are scheduled messages, due 10 s after the kill.
        var due = DateTimeOffset.UtcNow + rules.MissingFeedbackAfter;
        var unrated = episodes.Take(8).ToList();
        await Task.WhenAll(unrated.Select(e => client.Send("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }",
            new { i = new { episodeId = e, sessionId = Guid.NewGuid(), heldAt = DateTimeOffset.UtcNow.AddMinutes(-1) } })));
        var traffic = new Traffic(client, WorkersClinic, episodes.Skip(8).ToList(), _ledger);
        using var stop = new CancellationTokenSource();
        var load = traffic.Run(8, stop.Token, 4);
        var wait = due - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(10);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
        var killed = DateTimeOffset.UtcNow;
        victim.Kill();
        await Task.Delay(Sustain);
        stop.Cancel();
        await load;
        var last = await environment.Scalar<long>("select max(seq_id) from {schema}.mt_events");

        double? projections = null, scheduled = null;
        var until = killed + TimeSpan.FromSeconds(60);
        while (DateTimeOffset.UtcNow < until && (projections is null || scheduled is null))
        {
            var position = await environment.Scalar<long>("select coalesce(min(last_seq_id), 0) from {schema}.mt_event_progression where name like 'AllianceSummary%'");
            if (projections is null && position >= last)
                projections = (DateTimeOffset.UtcNow - killed).TotalSeconds;
            var missing = await environment.Scalar<long>(
                "select count(*) from {schema}.mt_events where tenant_id = @org and type = 'alert_raised' and stream_id::text = data->>'episodeId' " +
                "and lower(replace(data->>'kind', '_', '')) = 'missingfeedback'", ("org", WorkersClinic));
            if (scheduled is null && missing >= unrated.Count)
                scheduled = (DateTimeOffset.UtcNow - killed).TotalSeconds;
            await Task.Delay(250);
        }
        if (projections is not { } p || p > 30)
            failures.Add($"the projections were not caught up within 30 s of the kill ({(projections is { } x ? $"{x:F1} s" : "never")})");
        if (scheduled is not { } s || s > 30)
            failures.Add($"the scheduled checks did not run within 30 s of the kill ({(scheduled is { } y ? $"{y:F1} s" : "never")})");
        _outcomes.Add(new ScenarioOutcome("worker killed", Math.Max(projections ?? double.NaN, scheduled ?? double.NaN), failures,
        [
            $"killed the worker running the projections; the other caught the projections up {projections:F1} s after the kill",
            $"{unrated.Count} missing-feedback checks due 10 s after the kill had raised their alerts {scheduled:F1} s after it",
        ]));
        // Every check due before the store is verified has run (due + the slack above).
        await survivor.Stop();
        await api.Stop();
    }

    private int Report(StoreVerdict verdict)
    {
        foreach (var outcome in _outcomes)
        {
            say($"{outcome.Name}: {(outcome.Failures.Count == 0 ? "passed" : "FAILED")}, recovery {outcome.RecoverySeconds:F1} s");
            foreach (var note in outcome.Notes)
                say($"  {note}");
            foreach (var failure in outcome.Failures)
                say($"  FAILED: {failure}");
        }
        say($"store: {verdict.Acked} acknowledged facts, {verdict.Alerts} alerts implied by the rules");
        foreach (var detail in verdict.Details)
            say($"  FAILED: {detail}");
        var recovery = _outcomes.Max(o => double.IsNaN(o.RecoverySeconds) ? double.PositiveInfinity : o.RecoverySeconds);
        Console.WriteLine($"chaos: acked {verdict.Acked}, lost {verdict.Lost}, duplicate alerts {verdict.DuplicateAlerts}, " +
            $"missed alerts {verdict.MissedAlerts}, undelivered webhooks {_undelivered}, recovery {recovery:F1} s");
        var failed = verdict.Lost + verdict.DuplicateAlerts + verdict.MissedAlerts + _undelivered > 0 || _outcomes.Any(o => o.Failures.Count > 0);
        return failed ? 1 : 0;
    }
}
