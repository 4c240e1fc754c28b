using System.Text.Json;
using System.Text.Json.Serialization;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using Npgsql;

namespace FeedbackPlatform.Bench.Chaos;

/// <summary>What the event store holds, checked against what the clients were told and what the rules imply.</summary>
public sealed record StoreVerdict(int Acked, int Lost, int DuplicateAlerts, int MissedAlerts, int Alerts, IReadOnlyList<string> Details);

public static class StoredFacts
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Lost: an acknowledged session or rating without its fact in the store. Alerts: the clinical core replays each
    /// organization's stored facts under its rules (as `simulateAlertRules` does) and names every alert they imply,
    /// with the ids the platform gives alerts; each must be raised in its episode's stream exactly once (missed:
    /// implied but not raised; duplicate: raised twice, or raised though not implied).
    /// </summary>
    public static async Task<StoreVerdict> Verify(ChaosEnvironment environment, Ledger ledger, IReadOnlyDictionary<string, AlertRuleSettings> organizations)
    {
        var facts = new Dictionary<string, List<(DateTimeOffset At, object Fact)>>();
        var raised = new Dictionary<Guid, int>();
        await using (var connection = new NpgsqlConnection(environment.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"select tenant_id, mt_dotnet_type, data, timestamp, stream_id from \"{environment.Schema}\".mt_events " +
                "where tenant_id = any(@orgs) and mt_dotnet_type like 'FeedbackPlatform.Clinical.Episodes.%' order by seq_id", connection);
            command.Parameters.AddWithValue("orgs", organizations.Keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var type = Type.GetType(reader.GetString(1), throwOnError: true)!;
                var fact = JsonSerializer.Deserialize(reader.GetString(2), type, Json)!;
                if (fact is AlertRaised alert)
                {
                    // Raised in the episode's stream (and started as the alert's own stream: counted once).
                    if (reader.GetGuid(4) == alert.EpisodeId)
                        raised[alert.AlertId] = raised.GetValueOrDefault(alert.AlertId) + 1;
                    continue;
                }
                var organization = reader.GetString(0);
                if (!facts.TryGetValue(organization, out var history))
                    facts[organization] = history = [];
                history.Add((reader.GetFieldValue<DateTimeOffset>(3), fact));
            }
        }

        var details = new List<string>();
        var stored = facts.SelectMany(o => o.Value.Select(f => (o.Key, f.Fact)))
            .Select(x => x.Fact switch
            {
                SessionRecorded s => (x.Key, s.EpisodeId, s.SessionId, false),
                SessionRatingSubmitted r => (x.Key, r.EpisodeId, r.SessionId, true),
                _ => default,
            })
            .ToHashSet();
        var acked = ledger.Acked.Distinct().ToList();
        var lost = acked.Count(a => !stored.Contains((a.Organization, a.Episode, a.Session, a.Rating)));
        if (lost > 0)
            details.Add($"{lost} acknowledged facts are not in the event store");

        var now = DateTimeOffset.UtcNow;
        var implied = organizations
            .SelectMany(o => AlertSimulation.AlertsImplied(facts.GetValueOrDefault(o.Key) ?? [], o.Value, now))
            .Select(a => a.AlertId)
            .ToHashSet();
        var missed = implied.Count(id => !raised.ContainsKey(id));
        var twice = raised.Values.Sum(n => Math.Max(0, n - 1));
        var unexpected = raised.Keys.Count(id => !implied.Contains(id));
        if (missed > 0)
            details.Add($"{missed} alerts the rules imply were never raised");
        if (twice > 0)
            details.Add($"{twice} alerts were raised more than once");
        if (unexpected > 0)
            details.Add($"{unexpected} alerts were raised that the rules do not imply");
        return new StoreVerdict(acked.Count, lost, twice + unexpected, missed, implied.Count, details);
    }
}
