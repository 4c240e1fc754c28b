using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Dashboards;

public enum AllianceHealthStatus
{
    Healthy,
    Watch,
    AtRisk,
}

public sealed record ScorePoint(int SessionNumber, decimal Total, DateTimeOffset SubmittedAt);

public sealed record SessionSummary(
    Guid SessionId, int Number, DateTimeOffset HeldAt, bool Cancelled, bool HasSessionRating, bool HasOutcomeRating, bool HasAllianceInventory,
    SessionRating? SessionRating = null, OutcomeRating? OutcomeRating = null, AllianceInventoryScores? AllianceInventory = null);

public sealed record GoalSummary(Guid GoalId, string Description, bool AgreedByClient, bool AgreedByTherapist, bool Achieved)
{
    public bool AgreedByBoth => AgreedByClient && AgreedByTherapist;
}

public sealed record EpisodeAlert(
    Guid AlertId, Guid EpisodeId, Guid SiteId, AlertKind Kind, AlertSeverity Severity, AlertStatus Status, AlertResolution? Resolution,
    int? SessionNumber, int Occurrences, string Evidence, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt);

/// <summary>
/// What a dashboard shows of one episode, kept inline: it is current in the same transaction as the fact.
/// Status: AT_RISK with an open high-severity alert or two open alerts of any kind; WATCH with one open
/// alert or a flagged item on the latest SRS; HEALTHY otherwise.
/// </summary>
public sealed class EpisodeAllianceHealth
{
    public Guid Id { get; set; }
    public Guid SiteId { get; set; }
    public Guid TherapistId { get; set; }
    /// <summary>The clinic's pseudonymous client id, never a name.</summary>
    public string ClientId { get; set; } = "";
    public Population Population { get; set; }
    public EpisodeStatus EpisodeStatus { get; set; }
    public EpisodeClosure? ClosedAs { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    /// <summary>When the opening reached the platform: the order of the site's episode list.</summary>
    public DateTimeOffset RecordedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    public SessionRating? LatestSessionRating { get; set; }
    public decimal? LatestSrsTotal { get; set; }
    public List<string> SrsFlaggedItems { get; set; } = [];
    public List<ScorePoint> SrsSeries { get; set; } = [];

    public OutcomeRating? LatestOutcomeRating { get; set; }
    public decimal? IntakeOrsTotal { get; set; }
    public decimal? LatestOrsTotal { get; set; }
    public OutcomeChange? OrsChange { get; set; }
    public List<ScorePoint> OrsSeries { get; set; } = [];

    public AllianceInventoryScores? LatestAllianceInventory { get; set; }
    public List<GoalSummary> Goals { get; set; } = [];
    public List<SessionSummary> Sessions { get; set; } = [];
    public List<EpisodeAlert> Alerts { get; set; } = [];
    public int RupturesNoted { get; set; }

    /// <summary>Set when the episode was rebuilt as it stood at an earlier instant (time travel); never stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? AsOf { get; set; }
    public DateTimeOffset? LastSessionAt { get; set; }

    /// <summary>The members the summaries add up, kept in columns of their own beside the document.</summary>
    public static readonly string[] SummedFigures =
        [nameof(EpisodeStatus), nameof(Status), nameof(LatestSrsTotal), nameof(LatestOrsTotal), nameof(SessionsHeld), nameof(SessionsWithSrs)];

    public int SessionsHeld => Sessions.Count(s => !s.Cancelled);
    public int SessionsWithSrs => Sessions.Count(s => !s.Cancelled && s.HasSessionRating);
    /// <summary>Sessions with an SRS over sessions held; null before the first session.</summary>
    public decimal? FeedbackCompletion => SessionsHeld == 0 ? null : Math.Round((decimal)SessionsWithSrs / SessionsHeld, 3);
    public bool HasAgreedGoal => Goals.Any(g => g.AgreedByBoth);

    public AllianceHealthStatus Status
    {
        get
        {
            var open = Alerts.Where(a => a.Status != AlertStatus.Resolved).ToList();
            if (open.Any(a => a.Severity == AlertSeverity.High) || open.Count >= 2)
                return AllianceHealthStatus.AtRisk;
            return open.Count == 1 || SrsFlaggedItems.Count > 0 ? AllianceHealthStatus.Watch : AllianceHealthStatus.Healthy;
        }
        // Stored with the document so that dashboards can filter on it; always recomputed.
        set { }
    }
}
