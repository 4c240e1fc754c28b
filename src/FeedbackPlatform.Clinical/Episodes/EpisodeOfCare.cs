using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Episodes;

public enum EpisodeStatus
{
    Open,
    Closed,
}

/// <summary>
/// A session as the rules see it: when it was held and recorded, whether it was cancelled, and which instruments
/// are in, each as its <see cref="Fingerprint"/> (the ratings themselves are in the events and the read models).
/// </summary>
public sealed record CareSession(
    Guid SessionId, int Number, DateTimeOffset HeldAt, DateTimeOffset RecordedAt, bool Cancelled = false,
    long? Srs = null, long? Ors = null, long? WaiSr = null)
{
    /// <summary>Feedback is due from the later of when the session was held and when it was recorded.</summary>
    public DateTimeOffset FeedbackClockStart => HeldAt > RecordedAt ? HeldAt : RecordedAt;

    public bool HasSessionRating => Srs is not null;
    public bool HasOutcomeRating => Ors is not null;
    public bool HasFeedback => Srs is not null || Ors is not null || WaiSr is not null;
}

/// <summary>A goal as the rules see it: its agreement and a fingerprint of its description (no free text here).</summary>
public sealed record Goal(Guid GoalId, string Fingerprint, bool AgreedByClient, bool AgreedByTherapist, bool Achieved = false)
{
    public bool AgreedByBoth => AgreedByClient && AgreedByTherapist;
}

/// <summary>An alert of the episode that is still open; at most one per kind.</summary>
public sealed record OpenAlert(Guid AlertId, AlertKind Kind, int? SessionNumber, int Occurrences, decimal? RepairReference, IReadOnlyList<Guid> Sessions);

/// <summary>
/// The episode as the rules see it, and nothing more (the write model): immutable, rebuilt by applying its events
/// in order; each When returns a new state and never changes the one it was given. Its size grows by a few fixed-size
/// entries per session and goal, whatever the ratings and texts; the history a dashboard shows is in the read models.
/// </summary>
public sealed record EpisodeOfCare
{
    public Guid Id { get; init; }
    public Guid SiteId { get; init; }
    public Guid TherapistId { get; init; }
    public string ClientId { get; init; } = "";
    public Population Population { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public EpisodeStatus Status { get; init; }
    public EpisodeClosure? ClosedAs { get; init; }
    public IReadOnlyList<CareSession> Sessions { get; init; } = [];
    public IReadOnlyList<Goal> Goals { get; init; } = [];
    public decimal? LastSrsTotal { get; init; }
    public decimal? IntakeOrsTotal { get; init; }
    public int OrsCount { get; init; }
    public IReadOnlyList<OpenAlert> OpenAlerts { get; init; } = [];
    /// <summary>How many alerts of each kind this episode has ever raised; gives the next alert its stable id.</summary>
    public IReadOnlyDictionary<AlertKind, int> AlertsRaised { get; init; } = new Dictionary<AlertKind, int>();

    public bool IsOpen => Status == EpisodeStatus.Open;

    // The questions the rules ask on every fact, as plain loops: the alert simulation asks them hundreds of thousands
    // of times per call, and LINQ's iterators and delegates took about a fifth of its time (a perf profile).
    public int SessionsHeld
    {
        get
        {
            var held = 0;
            for (var i = 0; i < Sessions.Count; i++)
                held += Sessions[i].Cancelled ? 0 : 1;
            return held;
        }
    }

    public CareSession? Session(Guid sessionId)
    {
        for (var i = 0; i < Sessions.Count; i++)
            if (Sessions[i].SessionId == sessionId)
                return Sessions[i];
        return null;
    }

    public OpenAlert? OpenAlert(AlertKind kind)
    {
        for (var i = 0; i < OpenAlerts.Count; i++)
            if (OpenAlerts[i].Kind == kind)
                return OpenAlerts[i];
        return null;
    }

    public bool HasAgreedGoal
    {
        get
        {
            for (var i = 0; i < Goals.Count; i++)
                if (Goals[i].AgreedByBoth)
                    return true;
            return false;
        }
    }

    /// <summary>
    /// The latest of the sessions' held and recorded times (cancelled sessions aside); before any session, the later
    /// of the opening and when it was recorded. Importing old episodes or sessions so starts no clock in the past.
    /// </summary>
    public DateTimeOffset LastContact
    {
        get
        {
            DateTimeOffset? latest = null;
            for (var i = 0; i < Sessions.Count; i++)
            {
                var s = Sessions[i];
                if (!s.Cancelled && (latest is not { } l || s.FeedbackClockStart > l))
                    latest = s.FeedbackClockStart;
            }
            return latest ?? (OpenedAt > RecordedAt ? OpenedAt : RecordedAt);
        }
    }

    public static EpisodeOfCare From(EpisodeOpened e) => new()
    {
        Id = e.EpisodeId,
        SiteId = e.SiteId,
        TherapistId = e.TherapistId,
        ClientId = e.ClientId,
        Population = e.Population,
        OpenedAt = e.OpenedAt,
        RecordedAt = e.RecordedAt,
        Status = EpisodeStatus.Open,
    };

    /// <summary>The episode after one more fact of its stream: its opening starts it, nothing before that does.</summary>
    public static EpisodeOfCare? Evolve(EpisodeOfCare? state, object fact) =>
        state?.When(fact) ?? (fact is EpisodeOpened opened ? From(opened) : null);

    /// <summary>Applies any fact of the episode's stream; unknown events leave the state as it is.</summary>
    public EpisodeOfCare When(object fact) => fact switch
    {
        TherapistReassigned e => this with { TherapistId = e.ToTherapistId },
        SessionRecorded e => this with { Sessions = Appended(Sessions, new CareSession(e.SessionId, e.SessionNumber, e.HeldAt, e.RecordedAt)) },
        SessionCancelled e => this with { Sessions = WithSession(e.SessionId, s => s with { Cancelled = true }) },
        SessionRatingSubmitted e => this with { Sessions = WithSession(e.SessionId, s => s with { Srs = Fingerprint.Of(e.Rating) }), LastSrsTotal = e.Total },
        OutcomeRatingSubmitted e => this with
        {
            Sessions = WithSession(e.SessionId, s => s with { Ors = Fingerprint.Of(e.Rating) }),
            IntakeOrsTotal = IntakeOrsTotal ?? e.Total,
            OrsCount = OrsCount + 1,
        },
        AllianceInventorySubmitted e => this with { Sessions = WithSession(e.SessionId, s => s with { WaiSr = Fingerprint.Of(e.Items) }) },
        GoalAgreementRecorded e => WithGoal(new Goal(e.GoalId, Fingerprint.OfGoal(e.Description), e.AgreedByClient, e.AgreedByTherapist)),
        GoalRevised e => WithGoal(new Goal(e.GoalId, Fingerprint.OfGoal(e.Description), e.AgreedByClient, e.AgreedByTherapist,
            Goals.FirstOrDefault(g => g.GoalId == e.GoalId)?.Achieved ?? false)),
        GoalAchieved e => this with { Goals = Goals.Select(g => g.GoalId == e.GoalId ? g with { Achieved = true } : g).ToList() },
        EpisodeClosed e => this with { Status = EpisodeStatus.Closed, ClosedAs = e.Reason },
        AlertRaised e => this with
        {
            OpenAlerts = [.. OpenAlerts, new OpenAlert(e.AlertId, e.Kind, e.SessionNumber, 1, e.RepairReference, SessionsOf(e.Kind, e.SessionNumber))],
            AlertsRaised = new Dictionary<AlertKind, int>(AlertsRaised) { [e.Kind] = AlertsRaised.GetValueOrDefault(e.Kind) + 1 },
        },
        AlertOccurrenceAdded e => this with
        {
            OpenAlerts = OpenAlerts.Select(a => a.AlertId == e.AlertId
                ? a with { Occurrences = a.Occurrences + 1, Sessions = [.. a.Sessions, .. SessionsOf(e.Kind, e.SessionNumber)] }
                : a).ToList(),
        },
        AlertResolved e => this with { OpenAlerts = OpenAlerts.Where(a => a.AlertId != e.AlertId).ToList() },
        _ => this,
    };

    // MISSING_FEEDBACK remembers which sessions are waiting for an SRS, so that it resolves when all have arrived.
    private IReadOnlyList<Guid> SessionsOf(AlertKind kind, int? sessionNumber) =>
        kind == AlertKind.MissingFeedback && Sessions.FirstOrDefault(s => s.Number == sessionNumber) is { } session
            ? [session.SessionId]
            : [];

    // A session list is always an array here (not whichever type a collection expression picks for the interface),
    // so the loops above meet one list type.
    private static T[] Appended<T>(IReadOnlyList<T> list, T item)
    {
        var copy = new T[list.Count + 1];
        for (var i = 0; i < list.Count; i++)
            copy[i] = list[i];
        copy[^1] = item;
        return copy;
    }

    private CareSession[] WithSession(Guid sessionId, Func<CareSession, CareSession> change)
    {
        var sessions = new CareSession[Sessions.Count];
        for (var i = 0; i < sessions.Length; i++)
            sessions[i] = Sessions[i].SessionId == sessionId ? change(Sessions[i]) : Sessions[i];
        return sessions;
    }

    private EpisodeOfCare WithGoal(Goal goal) =>
        this with { Goals = [.. Goals.Where(g => g.GoalId != goal.GoalId), goal] };
}
