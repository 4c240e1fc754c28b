using System.Text.Json.Serialization;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Dashboards;

public sealed record ScorePoint(int SessionNumber, decimal Total, DateTimeOffset SubmittedAt);

/// <summary>An alert the episode has open now: what its status and the open-alert count need, nothing of its history.</summary>
public sealed record OpenAlert(Guid AlertId, AlertKind Kind, AlertSeverity Severity);

/// <summary>A session still held, remembered by when it was held, so that a cancellation can find the one before it.</summary>
public sealed record HeldSession(Guid SessionId, DateTimeOffset HeldAt);

/// <summary>
/// What lists and summaries show of one episode, kept inline: it is current in the same transaction as the fact.
/// It holds the latest figures, counts and what is open now, never the history: the sessions with their ratings and
/// the goals are rows of their own (<see cref="EpisodeSession"/>, <see cref="EpisodeGoal"/>) and the alerts are the
/// inbox's <c>AlertCase</c> documents, so a rating rewrites a document of constant size however long the episode.
/// </summary>
public sealed class EpisodeAllianceHealth : IEpisodeRecord
{
    /// <summary>How many held sessions are remembered by their held-at, latest first (see <see cref="LatestHeldSessions"/>).</summary>
    public const int HeldSessionsRemembered = 8;

    public Guid Id { get; set; }
    Guid IEpisodeScoped.EpisodeId => Id;
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

    public OutcomeRating? LatestOutcomeRating { get; set; }
    public decimal? IntakeOrsTotal { get; set; }
    public decimal? LatestOrsTotal { get; set; }
    public OutcomeChange? OrsChange { get; set; }

    public AllianceInventoryScores? LatestAllianceInventory { get; set; }

    public int SessionsHeld { get; set; }
    public int SessionsWithSrs { get; set; }
    public int RupturesNoted { get; set; }
    public DateTimeOffset? LastSessionAt { get; set; }

    /// <summary>
    /// The latest sessions still held, by held-at, at most <see cref="HeldSessionsRemembered"/>: when one is cancelled,
    /// <see cref="LastSessionAt"/> becomes the next one's. Sessions are recorded after they were held and only one without
    /// feedback can be cancelled, so this is the latest one or two in practice; should more of the latest sessions be
    /// cancelled than are remembered, <see cref="LastSessionAt"/> keeps the earliest held-at it still knew.
    /// </summary>
    public List<HeldSession> LatestHeldSessions { get; set; } = [];

    /// <summary>At most one per kind: the rules keep one alert of each kind open.</summary>
    public List<OpenAlert> OpenAlerts { get; set; } = [];

    /// <summary>The goals client and therapist both agree to now (a revision can withdraw agreement).</summary>
    public List<Guid> AgreedGoals { get; set; } = [];

    /// <summary>Set when the episode was rebuilt as it stood at an earlier instant (time travel); never stored.</summary>
    [JsonIgnore]
    public DateTimeOffset? AsOf { get; set; }

    /// <summary>
    /// The sessions and goals as they stood at <see cref="AsOf"/> (folded from the same events), or right after one
    /// mutation of a document of several (<see cref="EpisodeHistory.AfterCommand"/>); else null and read by the batch loader.
    /// Never stored.
    /// </summary>
    [JsonIgnore]
    public EpisodeHistoryRows? History { get; set; }

    /// <summary>The statuses the site's episode list filters on, kept in columns of their own beside the document.</summary>
    public static readonly string[] FilteredStatuses = [nameof(EpisodeStatus), nameof(Status)];

    /// <summary>Sessions with an SRS over sessions held; null before the first session.</summary>
    public decimal? FeedbackCompletion => SessionsHeld == 0 ? null : Math.Round((decimal)SessionsWithSrs / SessionsHeld, 3);
    public bool HasAgreedGoal => AgreedGoals.Count > 0;

    public AllianceHealthStatus Status
    {
        get => AllianceHealth.StatusOf(OpenAlerts.Select(a => a.Severity).ToList(), SrsFlaggedItems.Count);
        // Stored with the document so that dashboards can filter on it; always recomputed.
        set { }
    }
}

/// <summary>
/// An episode where only where it is and whose it is are needed, not its figures: an inbox row's <c>episode { id }</c>.
/// </summary>
public sealed record EpisodeReference(Guid Id, Guid SiteId, Guid TherapistId) : IEpisodeRecord
{
    Guid IEpisodeScoped.EpisodeId => Id;
}
