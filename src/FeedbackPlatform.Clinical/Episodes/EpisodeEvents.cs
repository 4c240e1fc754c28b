using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Episodes;

// The facts of one episode of care, one event stream per episode, and the facts of its alerts (which also go to each
// alert's own stream). The client appears only by a pseudonymous id that the clinic's own record system maps back to a
// person.

/// <summary>
/// A fact that names its episode: the episode's own facts, and every alert fact, including those recorded only in the
/// alert's stream (acknowledged, escalated), so that a summary can tell which episode, and so which site, one changed.
/// </summary>
public interface IEpisodeFact
{
    Guid EpisodeId { get; }
}

public enum EpisodeClosure
{
    Planned,
    Dropout,
    Referred,
    Other,
}

/// <summary>OpenedAt is when care began; RecordedAt when the platform learned of it (they differ for imports).</summary>
public sealed record EpisodeOpened(Guid EpisodeId, Guid SiteId, Guid TherapistId, string ClientId, Population Population, DateTimeOffset OpenedAt, DateTimeOffset RecordedAt) : IEpisodeFact;

public sealed record TherapistReassigned(Guid EpisodeId, Guid FromTherapistId, Guid ToTherapistId, DateTimeOffset ReassignedAt) : IEpisodeFact;

/// <summary>SessionNumber is assigned in the order sessions are recorded, starting at 1.</summary>
public sealed record SessionRecorded(Guid EpisodeId, Guid SessionId, int SessionNumber, DateTimeOffset HeldAt, DateTimeOffset RecordedAt) : IEpisodeFact;

public sealed record SessionCancelled(Guid EpisodeId, Guid SessionId, DateTimeOffset CancelledAt) : IEpisodeFact;

/// <summary>FlaggedItems: the items under the organization's flag threshold when the rating arrived.</summary>
public sealed record SessionRatingSubmitted(Guid EpisodeId, Guid SessionId, int SessionNumber, SessionRating Rating, decimal Total, IReadOnlyList<string> FlaggedItems, DateTimeOffset SubmittedAt) : IEpisodeFact;

/// <summary>Change: against the intake ORS under the cutoff and RCI in force (null for the intake itself).</summary>
public sealed record OutcomeRatingSubmitted(Guid EpisodeId, Guid SessionId, int SessionNumber, OutcomeRating Rating, decimal Total, OutcomeChange? Change, DateTimeOffset SubmittedAt) : IEpisodeFact;

public sealed record AllianceInventorySubmitted(Guid EpisodeId, Guid SessionId, int SessionNumber, IReadOnlyList<int> Items, AllianceInventoryScores Scores, DateTimeOffset SubmittedAt) : IEpisodeFact;

/// <summary>Description is free text written by people and may hold health information.</summary>
public sealed record GoalAgreementRecorded(Guid EpisodeId, Guid GoalId, string Description, bool AgreedByClient, bool AgreedByTherapist, DateTimeOffset RecordedAt) : IEpisodeFact;

public sealed record GoalRevised(Guid EpisodeId, Guid GoalId, string Description, bool AgreedByClient, bool AgreedByTherapist, DateTimeOffset RevisedAt) : IEpisodeFact;

public sealed record GoalAchieved(Guid EpisodeId, Guid GoalId, DateTimeOffset AchievedAt) : IEpisodeFact;

/// <summary>A clinician's own observation of a rupture; the note is free text.</summary>
public sealed record RuptureNoted(Guid EpisodeId, Guid? SessionId, string Note, DateTimeOffset NotedAt) : IEpisodeFact;

public sealed record EpisodeClosed(Guid EpisodeId, EpisodeClosure Reason, DateTimeOffset ClosedAt) : IEpisodeFact;

// What the alert rules decided, recorded in the episode's stream (and again in each alert's own stream) in the same
// transaction as the fact that triggered it: an alert can be neither lost nor doubled, and a replay shows the same alerts.

public sealed record AlertRaised(
    Guid AlertId, Guid EpisodeId, Guid SiteId, AlertKind Kind, AlertSeverity Severity,
    int? SessionNumber, string Evidence, decimal? RepairReference, DateTimeOffset RaisedAt) : IEpisodeFact;

public sealed record AlertOccurrenceAdded(Guid AlertId, Guid EpisodeId, AlertKind Kind, int? SessionNumber, string Evidence, DateTimeOffset OccurredAt) : IEpisodeFact;

/// <summary>ResolvedBy and Note are set when a person resolved it (MANUAL); the rules leave them empty.</summary>
public sealed record AlertResolved(
    Guid AlertId, Guid EpisodeId, AlertKind Kind, AlertResolution Resolution, string Evidence, DateTimeOffset ResolvedAt,
    string? ResolvedBy = null, string? Note = null) : IEpisodeFact;

// What people and the escalation clock do to an alert: recorded only in the alert's own stream, never in the
// episode's (the rules do not read them). A manual resolution is an AlertResolved, appended to both.

public sealed record AlertAcknowledged(Guid AlertId, Guid EpisodeId, string AcknowledgedBy, string? Note, DateTimeOffset AcknowledgedAt) : IEpisodeFact;

/// <summary>Nobody acknowledged the alert in time: it goes to the organization's directors.</summary>
public sealed record AlertEscalated(Guid AlertId, Guid EpisodeId, DateTimeOffset EscalatedAt) : IEpisodeFact;
