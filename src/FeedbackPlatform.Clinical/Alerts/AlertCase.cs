using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.Alerts;

public enum AlertStatus
{
    Open,
    Acknowledged,
    Escalated,
    Resolved,
}

/// <summary>
/// One alert as a director works it: raised by the rules, acknowledged or escalated, resolved by the rules
/// or by a person. Rebuilt from the alert's own stream.
/// </summary>
public sealed record AlertCase : IAlertScoped
{
    public Guid Id { get; init; }
    public Guid EpisodeId { get; init; }
    public Guid SiteId { get; init; }
    public AlertKind Kind { get; init; }
    public AlertSeverity Severity { get; init; }
    public AlertStatus Status { get; init; }
    public AlertResolution? Resolution { get; init; }
    public int? SessionNumber { get; init; }
    public int Occurrences { get; init; }
    public string Evidence { get; init; } = "";
    public DateTimeOffset RaisedAt { get; init; }
    public DateTimeOffset? LastOccurredAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? EscalatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }
    /// <summary>Notes of the people who worked the alert (acknowledgement, manual resolution): free text.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public bool IsResolved => Status == AlertStatus.Resolved;

    public static AlertCase From(AlertRaised e) => new()
    {
        Id = e.AlertId,
        EpisodeId = e.EpisodeId,
        SiteId = e.SiteId,
        Kind = e.Kind,
        Severity = e.Severity,
        Status = AlertStatus.Open,
        SessionNumber = e.SessionNumber,
        Occurrences = 1,
        Evidence = e.Evidence,
        RaisedAt = e.RaisedAt,
    };

    public AlertCase When(object fact) => fact switch
    {
        AlertOccurrenceAdded e => this with { Occurrences = Occurrences + 1, Evidence = e.Evidence, LastOccurredAt = e.OccurredAt },
        AlertAcknowledged e => this with
        {
            Status = IsResolved ? Status : AlertStatus.Acknowledged,
            AcknowledgedAt = e.AcknowledgedAt,
            AcknowledgedBy = e.AcknowledgedBy,
            Notes = e.Note is { } note ? [.. Notes, note] : Notes,
        },
        AlertEscalated e => this with { Status = IsResolved ? Status : AlertStatus.Escalated, EscalatedAt = e.EscalatedAt },
        AlertResolved e => this with
        {
            Status = AlertStatus.Resolved,
            Resolution = e.Resolution,
            ResolvedAt = e.ResolvedAt,
            ResolvedBy = e.ResolvedBy,
            Notes = e.Note is { } note ? [.. Notes, note] : Notes,
        },
        _ => this,
    };
}

/// <summary>What people and the escalation clock may do with an alert.</summary>
public static class AlertDecisions
{
    /// <summary>
    /// The alerts one command both raised and resolved (an imported history's past drops): recorded in full, but
    /// history rather than news, so nobody is notified and no escalation clock starts.
    /// </summary>
    public static IReadOnlySet<Guid> RaisedAndResolved(IReadOnlyList<object> events)
    {
        // Most commands resolve nothing: no set is made for them (the alert simulation asks for every decision).
        HashSet<Guid>? resolved = null;
        for (var i = 0; i < events.Count; i++)
            if (events[i] is AlertResolved r)
                (resolved ??= []).Add(r.AlertId);
        if (resolved is null)
            return NoneSettled;
        var settled = new HashSet<Guid>();
        for (var i = 0; i < events.Count; i++)
            if (events[i] is AlertRaised r && resolved.Contains(r.AlertId))
                settled.Add(r.AlertId);
        return settled;
    }

    private static readonly IReadOnlySet<Guid> NoneSettled = new HashSet<Guid>();

    public const int MaxNoteLength = 2000;

    public static IReadOnlyList<object> Acknowledge(AlertCase? alert, string by, string? note, DateTimeOffset now)
    {
        var a = alert ?? throw ClinicalRejection.NotFound("alertId", "No such alert.");
        var text = Note(note, required: false);
        if (a.IsResolved)
            throw ClinicalRejection.Conflict("alertId", "The alert is already resolved.");
        if (a.AcknowledgedAt is not null)
            return [];
        return [new AlertAcknowledged(a.Id, a.EpisodeId, by, text, now)];
    }

    /// <summary>A person closes the alert (MANUAL) with a note saying why.</summary>
    public static IReadOnlyList<object> ResolveManually(AlertCase? alert, string by, string? note, DateTimeOffset now)
    {
        var a = alert ?? throw ClinicalRejection.NotFound("alertId", "No such alert.");
        var text = Note(note, required: true)!;
        if (a.IsResolved)
            return a.Resolution == AlertResolution.Manual && a.Notes.LastOrDefault() == text
                ? []
                : throw ClinicalRejection.Conflict("alertId", "The alert is already resolved.");
        return [new AlertResolved(a.Id, a.EpisodeId, a.Kind, AlertResolution.Manual, "Resolved by a person", now, by, text)];
    }

    /// <summary>The scheduled escalation check: nothing when the alert was acknowledged, resolved or escalated already.</summary>
    public static IReadOnlyList<object> EscalateIfUnacknowledged(AlertCase? alert, DateTimeOffset now, AlertRuleSettings settings)
    {
        if (alert is not { Status: AlertStatus.Open })
            return [];
        return now < alert.RaisedAt + settings.EscalateUnacknowledgedAfter ? [] : [new AlertEscalated(alert.Id, alert.EpisodeId, now)];
    }

    private static string? Note(string? note, bool required)
    {
        var trimmed = note?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return required ? throw ClinicalRejection.Invalid("note", "A note is required: say why the alert is closed.") : null;
        return trimmed.Length > MaxNoteLength ? throw ClinicalRejection.Invalid("note", $"note is longer than {MaxNoteLength} characters.") : trimmed;
    }
}
