namespace FeedbackPlatform.Tests.Support;

// The schema's types as the tests read them (GraphQLResponse.Read). Every field is nullable because the operation's
// selection decides which are present; enum values stay the contract's strings (ALLIANCE_DROP) and ids the contract's
// text, so a test asserts exactly what a client receives.

public sealed record EpisodeAnswer(
    string? Id,
    string? ClientId,
    string? Population,
    string? Status,
    string? ClosedAs,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt,
    SiteAnswer? Site,
    TherapistAnswer? Therapist,
    AllianceHealthAnswer? AllianceHealth,
    IReadOnlyList<SessionAnswer>? Sessions,
    IReadOnlyList<GoalAnswer>? Goals,
    IReadOnlyList<AlertAnswer>? Alerts);

public sealed record AllianceHealthAnswer(
    string? Status,
    double? LatestSrsTotal,
    SessionRatingAnswer? LatestSessionRating,
    IReadOnlyList<string>? SrsFlaggedItems,
    IReadOnlyList<ScorePointAnswer>? SrsSeries,
    double? IntakeOrsTotal,
    double? LatestOrsTotal,
    OutcomeRatingAnswer? LatestOutcomeRating,
    string? OrsChange,
    IReadOnlyList<ScorePointAnswer>? OrsSeries,
    AllianceInventoryAnswer? LatestAllianceInventory,
    bool? HasAgreedGoal,
    int? SessionsHeld,
    int? SessionsWithSrs,
    double? FeedbackCompletion,
    DateTimeOffset? LastSessionAt,
    int? OpenAlerts,
    int? RupturesNoted);

public sealed record SessionAnswer(
    string? Id,
    int? Number,
    DateTimeOffset? HeldAt,
    bool? Cancelled,
    bool? HasSessionRating,
    bool? HasOutcomeRating,
    bool? HasAllianceInventory,
    SessionRatingAnswer? SessionRating,
    OutcomeRatingAnswer? OutcomeRating,
    AllianceInventoryAnswer? AllianceInventory);

public sealed record SessionRatingAnswer(double? Relationship, double? GoalsAndTopics, double? ApproachOrMethod, double? Overall, double? Total);

public sealed record OutcomeRatingAnswer(double? Individual, double? Interpersonal, double? Social, double? Overall, double? Total);

public sealed record AllianceInventoryAnswer(int? Task, int? Goal, int? Bond, int? Total, double? TaskMean, double? GoalMean, double? BondMean, double? Mean);

public sealed record ScorePointAnswer(int? SessionNumber, double? Total, DateTimeOffset? SubmittedAt);

public sealed record GoalAnswer(string? Id, string? Description, bool? AgreedByClient, bool? AgreedByTherapist, bool? Agreed, bool? Achieved);

public sealed record AlertAnswer(
    string? Id,
    string? Kind,
    string? Severity,
    string? Status,
    string? Resolution,
    int? Occurrences,
    int? SessionNumber,
    string? Evidence,
    DateTimeOffset? RaisedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? EscalatedAt,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    IReadOnlyList<string>? Notes,
    EpisodeAnswer? Episode,
    SiteAnswer? Site);

public sealed record SiteAnswer(
    string? Id,
    string? Name,
    string? TimeZone,
    bool? Active,
    AllianceSummaryAnswer? Summary,
    IReadOnlyList<WeekAnswer>? WeeklySeries,
    OutcomeFiguresAnswer? Outcomes,
    IReadOnlyList<TherapistOutcomesAnswer>? TherapistComparison,
    PageAnswer<EpisodeAnswer>? Episodes,
    IReadOnlyList<TherapistAnswer>? Therapists);

public sealed record TherapistAnswer(
    string? Id, string? DisplayName, bool? Active, SiteAnswer? Site, AllianceSummaryAnswer? Summary, IReadOnlyList<WeekAnswer>? WeeklySeries, OutcomeFiguresAnswer? Outcomes);

public sealed record OrganizationAnswer(
    string? Id, string? Key, AllianceSummaryAnswer? Summary, IReadOnlyList<WeekAnswer>? WeeklySeries, OutcomeFiguresAnswer? Outcomes, IReadOnlyList<SiteAnswer>? Sites);

public sealed record AllianceSummaryAnswer(
    int? ActiveEpisodes,
    int? EpisodesAtRisk,
    double? ShareAtRisk,
    double? MeanLatestSrs,
    double? MeanLatestOrs,
    double? FeedbackCompletion,
    IReadOnlyList<AlertCountAnswer>? OpenAlertsByKind,
    int? OpenAlerts,
    DateTimeOffset? AsOf);

public sealed record AlertCountAnswer(string? Kind, int? Open);

public sealed record WeekAnswer(string? WeekStart, double? MeanSrs, int? SrsCount, double? MeanOrs, int? OrsCount, int? AlertsRaised, int? AlertsResolved);

/// <summary>A connection (episodes, alerts): its edges or nodes and where the page ends.</summary>
public sealed record PageAnswer<T>(IReadOnlyList<EdgeAnswer<T>>? Edges, IReadOnlyList<T>? Nodes, PageInfoAnswer? PageInfo);

public sealed record EdgeAnswer<T>(string? Cursor, T? Node);

public sealed record PageInfoAnswer(bool? HasNextPage, bool? HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed record AlertRuleSettingsAnswer(
    double? SrsClinicalCutoff,
    bool? SrsCutoffInclusive,
    double? SrsItemFlagBelow,
    double? SrsDropPoints,
    double? OrsCutoffAdult,
    double? OrsCutoffAdolescent,
    double? OrsCutoffChild,
    double? OrsReliableChange,
    int? NotOnTrackFromOrs,
    int? GoalConsensusBySession,
    double? MissingFeedbackAfterHours,
    double? DisengagementAfterDays,
    double? EscalateUnacknowledgedAfterHours,
    int? MinimumEpisodesForComparison);

public sealed record AlertRuleSimulationAnswer(
    DateTimeOffset? From,
    DateTimeOffset? To,
    int? Episodes,
    int? Facts,
    IReadOnlyList<AlertKindComparisonAnswer>? Kinds,
    int? TotalCurrent,
    int? TotalProposed);

public sealed record AlertKindComparisonAnswer(string? Kind, int? Current, int? Proposed, int? Difference);

/// <summary>Outcome figures of a period; its ends as the contract writes them, since that format is part of what is asserted.</summary>
public sealed record OutcomeFiguresAnswer(
    string? From,
    string? To,
    bool? Withheld,
    int? MeasuredEpisodes,
    double? ReliableImprovementRate,
    double? ReliableDeteriorationRate,
    double? RecoveryRate,
    int? StartedInClinicalRange,
    double? MeanChange,
    double? EffectSize,
    int? ClosedEpisodes,
    double? DropoutRate,
    double? MeanSessionsPerClosedEpisode,
    int? SessionsHeld,
    double? FeedbackCompletion,
    int? SrsCount,
    double? MeanSrs,
    double? SrsBelowCutoffRate);

public sealed record TherapistOutcomesAnswer(TherapistAnswer? Therapist, OutcomeFiguresAnswer? Outcomes);

public sealed record AccessRecordAnswer(string? Id, string? Subject, string? PersonId, string? ApiKeyId, string? Role, string? EpisodeId, string? Operation, DateTimeOffset? At);
