using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FeedbackPlatform.Clinical.Alerts;

namespace FeedbackPlatform.Notifications;

/// <summary>
/// What a notification says: the alert's kind, severity, status and numbers, its episode and site ids.
/// Never the client id, goal texts or notes.
/// </summary>
public static class Payloads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static JsonObject Alert(AlertCase alert) => new()
    {
        ["id"] = alert.Id,
        ["kind"] = Constant(alert.Kind.ToString()),
        ["severity"] = Constant(alert.Severity.ToString()),
        ["status"] = Constant(alert.Status.ToString()),
        ["resolution"] = alert.Resolution is { } r ? Constant(r.ToString()) : null,
        ["episodeId"] = alert.EpisodeId,
        ["siteId"] = alert.SiteId,
        ["sessionNumber"] = alert.SessionNumber,
        ["occurrences"] = alert.Occurrences,
        ["evidence"] = alert.Evidence,
        ["raisedAt"] = alert.RaisedAt,
        ["escalatedAt"] = alert.EscalatedAt,
        ["resolvedAt"] = alert.ResolvedAt,
    };

    public static string AlertEvent(string key, string eventName, AlertCase alert, DateTimeOffset at) =>
        new JsonObject { ["id"] = key, ["type"] = "alert." + eventName, ["occurredAt"] = at, ["alert"] = Alert(alert) }.ToJsonString(Json);

    public static string Digest(string key, DateTimeOffset windowEnd, IEnumerable<string> alertEvents) =>
        new JsonObject
        {
            ["id"] = key,
            ["type"] = "alert.digest",
            ["until"] = windowEnd,
            ["events"] = new JsonArray(alertEvents.Select(e => (JsonNode?)JsonNode.Parse(e)).ToArray()),
        }.ToJsonString(Json);

    public static string Subject(string eventName, AlertCase alert) =>
        $"[FeedbackPlatform] {Constant(alert.Kind.ToString())} alert {eventName} ({Constant(alert.Severity.ToString())})";

    /// <summary>LowAlliance → LOW_ALLIANCE, as the GraphQL API names it.</summary>
    public static string Constant(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
                builder.Append('_');
            builder.Append(char.ToUpperInvariant(name[i]));
        }
        return builder.ToString();
    }
}

public static class EmailText
{
    public static string From(NotificationDelivery delivery)
    {
        var payload = JsonNode.Parse(delivery.Payload)!;
        var events = payload["events"]?.AsArray().Select(e => e!) ?? [payload];
        var text = new StringBuilder();
        foreach (var e in events)
        {
            var alert = e["alert"]!;
            text.AppendLine($"{alert["kind"]} ({alert["severity"]}), {e["type"]!.GetValue<string>().Replace("alert.", "")} at {e["occurredAt"]}");
            text.AppendLine($"  status {alert["status"]}, occurrences {alert["occurrences"]}, session {alert["sessionNumber"]}");
            text.AppendLine($"  {alert["evidence"]}");
            text.AppendLine($"  episode {alert["episodeId"]}, site {alert["siteId"]}");
            text.AppendLine();
        }
        text.AppendLine("Open the FeedbackPlatform alert inbox to acknowledge or resolve.");
        return text.ToString();
    }
}
