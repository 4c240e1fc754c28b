using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FeedbackPlatform.Clinical.Alerts;

namespace FeedbackPlatform.Notifications;

/// <summary>
/// What a notification says: the alert's kind, severity, status and numbers, its episode and site (id and name)
/// and the link to its page in the web app (`link`, absent when no address is known: see AlertLinks).
/// Never the client id, goal texts or notes.
/// </summary>
public static class Payloads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static JsonObject Alert(AlertCase alert, string? siteName, string? link) => new()
    {
        ["id"] = alert.Id,
        ["kind"] = Constant(alert.Kind.ToString()),
        ["severity"] = Constant(alert.Severity.ToString()),
        ["status"] = Constant(alert.Status.ToString()),
        ["resolution"] = alert.Resolution is { } r ? Constant(r.ToString()) : null,
        ["episodeId"] = alert.EpisodeId,
        ["siteId"] = alert.SiteId,
        ["siteName"] = siteName,
        ["sessionNumber"] = alert.SessionNumber,
        ["occurrences"] = alert.Occurrences,
        ["evidence"] = alert.Evidence,
        ["raisedAt"] = alert.RaisedAt,
        ["escalatedAt"] = alert.EscalatedAt,
        ["resolvedAt"] = alert.ResolvedAt,
        ["link"] = link,
    };

    public static string AlertEvent(string key, string eventName, AlertCase alert, DateTimeOffset at, string? siteName, string? link) =>
        new JsonObject { ["id"] = key, ["type"] = "alert." + eventName, ["occurredAt"] = at, ["alert"] = Alert(alert, siteName, link) }.ToJsonString(Json);

    /// <summary>A digest: its events as each was sent alone (each with its alert's link), and the link to the worklist.</summary>
    public static string Digest(string key, DateTimeOffset windowEnd, IEnumerable<string> alertEvents, string? worklistLink) =>
        new JsonObject
        {
            ["id"] = key,
            ["type"] = "alert.digest",
            ["until"] = windowEnd,
            ["link"] = worklistLink,
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

/// <summary>
/// The text of an alert e-mail. Mail is read on phones, forwarded and kept in inboxes outside the platform's
/// policy, so it says only what happened (kind, severity, event, when), at which site, and where to open it:
/// no client id, no episode id, no score or evidence, no note. Signing in to the web app shows the rest.
/// </summary>
public static class EmailText
{
    public static string From(NotificationDelivery delivery)
    {
        var payload = JsonNode.Parse(delivery.Payload)!;
        var events = payload["events"]?.AsArray().Select(e => e!).ToList() ?? [payload];
        var text = new StringBuilder();
        foreach (var e in events)
        {
            var alert = e["alert"]!;
            var happened = e["type"]!.GetValue<string>().Replace("alert.", "");
            var at = e["occurredAt"]!.GetValue<DateTimeOffset>().ToUniversalTime();
            text.AppendLine($"{alert["kind"]} alert {happened}, severity {alert["severity"]}");
            text.AppendLine($"  site: {alert["siteName"]?.GetValue<string>() ?? "(unnamed site)"}");
            text.AppendLine($"  {happened} at {at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
            text.AppendLine(alert["link"] is { } link ? $"  open it: {link.GetValue<string>()}" : "  open it in the FeedbackPlatform web app's alert worklist");
            text.AppendLine();
        }
        text.AppendLine(payload["link"] is { } worklist
            ? $"All alerts of your sites: {worklist.GetValue<string>()}"
            : "Sign in to the FeedbackPlatform web app to acknowledge or resolve.");
        return text.ToString();
    }
}
