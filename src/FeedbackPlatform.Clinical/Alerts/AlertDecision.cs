namespace FeedbackPlatform.Clinical.Alerts;

/// <summary>What the rules decide about one kind of alert for one fact.</summary>
public abstract record AlertDecision(AlertKind Kind);

/// <summary>No open alert of this kind: open one. RepairReference is the SRS total a drop must come back to.</summary>
public sealed record RaiseAlert(AlertKind Kind, int? SessionNumber, string Evidence, decimal? RepairReference = null, Guid? SessionId = null)
    : AlertDecision(Kind);

/// <summary>An alert of this kind is open: the new trigger is one more occurrence of it, not a second alert.</summary>
public sealed record AddOccurrence(Guid AlertId, AlertKind Kind, int? SessionNumber, string Evidence, Guid? SessionId = null)
    : AlertDecision(Kind);

/// <summary>The open alert's condition is gone: the rules resolve it.</summary>
public sealed record ClearAlert(Guid AlertId, AlertKind Kind, AlertResolution Resolution, string Evidence)
    : AlertDecision(Kind);
