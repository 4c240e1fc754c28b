using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;
using JasperFx.Events;
using Marten.Events.Projections;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// One session of an episode as a dashboard draws it: when it was held, whether it was cancelled, and each rating
/// with when it arrived. A row of its own, so a rating rewrites this small document, not the episode's whole history.
/// </summary>
public sealed class EpisodeSession
{
    /// <summary>The session's id.</summary>
    public Guid Id { get; set; }
    public Guid EpisodeId { get; set; }
    public int Number { get; set; }
    public DateTimeOffset HeldAt { get; set; }
    public bool Cancelled { get; set; }

    public SessionRating? SessionRating { get; set; }
    public decimal? SrsTotal { get; set; }
    public DateTimeOffset? SrsSubmittedAt { get; set; }
    /// <summary>The SRS's position in the episode's stream: the SRS series is drawn in the order the ratings arrived.</summary>
    public long? SrsVersion { get; set; }

    public OutcomeRating? OutcomeRating { get; set; }
    public decimal? OrsTotal { get; set; }
    public DateTimeOffset? OrsSubmittedAt { get; set; }
    /// <summary>The ORS's position in the episode's stream, for the ORS series' order.</summary>
    public long? OrsVersion { get; set; }

    public AllianceInventoryScores? AllianceInventory { get; set; }
    public DateTimeOffset? AllianceInventorySubmittedAt { get; set; }
}

/// <summary>One goal of an episode. The description is free text: the erasure rebuilds these rows from the masked events.</summary>
public sealed class EpisodeGoal
{
    /// <summary>The goal's id.</summary>
    public Guid Id { get; set; }
    public Guid EpisodeId { get; set; }
    /// <summary>Where the goal was first recorded in the episode's stream: goals are listed in that order, a revision keeps its place.</summary>
    public long Position { get; set; }
    public string Description { get; set; } = "";
    public bool AgreedByClient { get; set; }
    public bool AgreedByTherapist { get; set; }
    public bool Achieved { get; set; }
    public bool AgreedByBoth => AgreedByClient && AgreedByTherapist;
}

/// <summary>The sessions of the episodes' streams, a row per session, inline: written in the fact's transaction.</summary>
public partial class EpisodeSessionProjection : MultiStreamProjection<EpisodeSession, Guid>
{
    public EpisodeSessionProjection()
    {
        Identity<SessionRecorded>(e => e.SessionId);
        Identity<SessionCancelled>(e => e.SessionId);
        Identity<SessionRatingSubmitted>(e => e.SessionId);
        Identity<OutcomeRatingSubmitted>(e => e.SessionId);
        Identity<AllianceInventorySubmitted>(e => e.SessionId);
    }

    /// <summary>The session a fact is about, as the identities above say; for folding in memory.</summary>
    public static Guid? SessionOf(object fact) => fact switch
    {
        SessionRecorded e => e.SessionId,
        SessionCancelled e => e.SessionId,
        SessionRatingSubmitted e => e.SessionId,
        OutcomeRatingSubmitted e => e.SessionId,
        AllianceInventorySubmitted e => e.SessionId,
        _ => null,
    };

    public override EpisodeSession? Evolve(EpisodeSession? row, Guid id, IEvent e)
    {
        if (row is null)
            return e.Data is SessionRecorded s ? new EpisodeSession { Id = s.SessionId, EpisodeId = s.EpisodeId, Number = s.SessionNumber, HeldAt = s.HeldAt } : null;
        switch (e.Data)
        {
            case SessionCancelled:
                row.Cancelled = true;
                break;
            case SessionRatingSubmitted srs:
                (row.SessionRating, row.SrsTotal, row.SrsSubmittedAt, row.SrsVersion) = (srs.Rating, srs.Total, srs.SubmittedAt, e.Version);
                break;
            case OutcomeRatingSubmitted ors:
                (row.OutcomeRating, row.OrsTotal, row.OrsSubmittedAt, row.OrsVersion) = (ors.Rating, ors.Total, ors.SubmittedAt, e.Version);
                break;
            case AllianceInventorySubmitted wai:
                (row.AllianceInventory, row.AllianceInventorySubmittedAt) = (wai.Scores, wai.SubmittedAt);
                break;
        }
        return row;
    }
}

/// <summary>The goals of the episodes' streams, a row per goal, inline.</summary>
public partial class EpisodeGoalProjection : MultiStreamProjection<EpisodeGoal, Guid>
{
    public EpisodeGoalProjection()
    {
        Identity<GoalAgreementRecorded>(e => e.GoalId);
        Identity<GoalRevised>(e => e.GoalId);
        Identity<GoalAchieved>(e => e.GoalId);
    }

    /// <summary>The goal a fact is about, as the identities above say; for folding in memory.</summary>
    public static Guid? GoalOf(object fact) => fact switch
    {
        GoalAgreementRecorded e => e.GoalId,
        GoalRevised e => e.GoalId,
        GoalAchieved e => e.GoalId,
        _ => null,
    };

    public override EpisodeGoal? Evolve(EpisodeGoal? row, Guid id, IEvent e)
    {
        if (row is null)
        {
            return e.Data is GoalAgreementRecorded g
                ? new EpisodeGoal { Id = g.GoalId, EpisodeId = g.EpisodeId, Position = e.Version, Description = g.Description, AgreedByClient = g.AgreedByClient, AgreedByTherapist = g.AgreedByTherapist }
                : null;
        }
        switch (e.Data)
        {
            // The read side keeps a revised goal in its place (the write model moves it to the end; nothing reads that order).
            case GoalRevised g:
                (row.Description, row.AgreedByClient, row.AgreedByTherapist) = (g.Description, g.AgreedByClient, g.AgreedByTherapist);
                break;
            case GoalAchieved:
                row.Achieved = true;
                break;
        }
        return row;
    }
}

/// <summary>
/// The episode's read side folded in memory from its events, with the live projections' own Evolve: time travel
/// (the episode as it stood at an instant) and the erasure (rebuilt from masked events) use it, so there is one fold
/// per read model whether it runs in the fact's transaction or on a list of events.
/// </summary>
public sealed class EpisodeHistoryRows
{
    private static readonly EpisodeAllianceHealthProjection Health = new();
    private static readonly EpisodeSessionProjection Sessions = new();
    private static readonly EpisodeGoalProjection Goals = new();

    /// <summary>Sessions by number.</summary>
    public IReadOnlyList<EpisodeSession> SessionRows { get; }
    /// <summary>Goals in the order they were first recorded.</summary>
    public IReadOnlyList<EpisodeGoal> GoalRows { get; }

    private EpisodeHistoryRows(IEnumerable<EpisodeSession> sessions, IEnumerable<EpisodeGoal> goals)
    {
        SessionRows = Ordered(sessions);
        GoalRows = Ordered(goals);
    }

    /// <summary>Stored rows of one episode, as read.</summary>
    public static EpisodeHistoryRows Of(IEnumerable<EpisodeSession> sessions, IEnumerable<EpisodeGoal> goals) => new(sessions, goals);

    public static IReadOnlyList<EpisodeSession> Ordered(IEnumerable<EpisodeSession> sessions) => sessions.OrderBy(s => s.Number).ToList();

    public static IReadOnlyList<EpisodeGoal> Ordered(IEnumerable<EpisodeGoal> goals) => goals.OrderBy(g => g.Position).ToList();

    /// <summary>The episode and its rows after the given events of its stream (in stream order); null before its opening.</summary>
    public static EpisodeAllianceHealth? Fold(Guid episodeId, IEnumerable<IEvent> events)
    {
        EpisodeAllianceHealth? episode = null;
        var sessions = new Dictionary<Guid, EpisodeSession>();
        var goals = new Dictionary<Guid, EpisodeGoal>();
        foreach (var e in events)
        {
            episode = Health.Evolve(episode, episodeId, e);
            if (EpisodeSessionProjection.SessionOf(e.Data) is { } session && Sessions.Evolve(sessions.GetValueOrDefault(session), session, e) is { } row)
                sessions[session] = row;
            if (EpisodeGoalProjection.GoalOf(e.Data) is { } goal && Goals.Evolve(goals.GetValueOrDefault(goal), goal, e) is { } goalRow)
                goals[goal] = goalRow;
        }
        if (episode is not null)
            episode.History = new EpisodeHistoryRows(sessions.Values, goals.Values);
        return episode;
    }

    /// <summary>The SRS series: each session's total, in the order the ratings arrived (a cancelled session has none).</summary>
    public static IReadOnlyList<ScorePoint> SrsSeries(IEnumerable<EpisodeSession> sessions) =>
        sessions.Where(s => s.SrsTotal is not null).OrderBy(s => s.SrsVersion)
            .Select(s => new ScorePoint(s.Number, s.SrsTotal!.Value, s.SrsSubmittedAt!.Value)).ToList();

    /// <summary>The ORS series, in the order the ratings arrived.</summary>
    public static IReadOnlyList<ScorePoint> OrsSeries(IEnumerable<EpisodeSession> sessions) =>
        sessions.Where(s => s.OrsTotal is not null).OrderBy(s => s.OrsVersion)
            .Select(s => new ScorePoint(s.Number, s.OrsTotal!.Value, s.OrsSubmittedAt!.Value)).ToList();
}
