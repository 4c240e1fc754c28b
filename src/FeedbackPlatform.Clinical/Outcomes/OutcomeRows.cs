using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Outcomes;

/// <summary>
/// What the outcome figures need of one episode, and nothing more: where it is now (site, therapist), who it is for
/// (the population decides the ORS cutoff), its intake and latest ORS totals, when the latest ORS arrived, how many
/// sessions were held and rated, and how it closed. No client id, no free text.
/// </summary>
public sealed record EpisodeOutcome(
    Guid EpisodeId, Guid SiteId, Guid TherapistId, Population Population,
    decimal? IntakeTotal, decimal? FinalTotal, DateTimeOffset? LatestOrsAt, int OrsCount,
    int SessionsHeld, int SrsCount, EpisodeClosure? ClosedAs, DateTimeOffset? ClosedAt)
{
    /// <summary>Final minus intake at the instrument's resolution; null before a second ORS.</summary>
    public decimal? Change => OrsCount >= 2 && IntakeTotal is { } intake && FinalTotal is { } final ? RatingScale.Round(final - intake) : null;

    /// <summary>A measured episode of the period: an intake and a later ORS, the latest submitted within the period.</summary>
    public bool IsMeasuredIn(OutcomePeriod period) => Change is not null && LatestOrsAt is { } at && period.Contains(at);

    public bool IsClosedIn(OutcomePeriod period) => ClosedAt is { } at && period.Contains(at);
}

/// <summary>What the engagement figures need of one session: when it was held, whether it was, and its SRS total.</summary>
public sealed record SessionFeedback(Guid SessionId, Guid EpisodeId, DateTimeOffset HeldAt, bool Cancelled, decimal? SrsTotal, DateTimeOffset? SrsSubmittedAt)
{
    public bool IsHeldIn(OutcomePeriod period) => !Cancelled && period.Contains(HeldAt);

    public bool IsRatedIn(OutcomePeriod period) => !Cancelled && SrsTotal is not null && SrsSubmittedAt is { } at && period.Contains(at);
}

/// <summary>
/// Keeps the two rows from the episode's facts, in stream order. Each call returns new rows and never changes the
/// ones it was given; facts that concern neither row leave them as they are, and a fact seen twice counts once.
/// </summary>
public static class OutcomeRows
{
    /// <summary>The session a fact is about, when it is about one the rows keep.</summary>
    public static Guid? SessionOf(object fact) => fact switch
    {
        SessionRecorded e => e.SessionId,
        SessionCancelled e => e.SessionId,
        SessionRatingSubmitted e => e.SessionId,
        _ => null,
    };

    /// <summary>Whether a fact changes either row (the rest of an episode's stream is of no concern here).</summary>
    public static bool Concerns(object fact) =>
        fact is EpisodeOpened or TherapistReassigned or SessionRecorded or SessionCancelled or SessionRatingSubmitted or OutcomeRatingSubmitted or EpisodeClosed;

    /// <summary>The episode's row and the row of the session the fact names (null when it names none), after the fact.</summary>
    public static (EpisodeOutcome? Episode, SessionFeedback? Session) When(EpisodeOutcome? episode, SessionFeedback? session, object fact)
    {
        if (episode is null)
        {
            return fact is EpisodeOpened o
                ? (new EpisodeOutcome(o.EpisodeId, o.SiteId, o.TherapistId, o.Population, null, null, null, 0, 0, 0, null, null), session)
                : (null, session);
        }
        switch (fact)
        {
            case TherapistReassigned e:
                return (episode with { TherapistId = e.ToTherapistId }, session);
            case SessionRecorded e when session is null:
                return (episode with { SessionsHeld = episode.SessionsHeld + 1 }, new SessionFeedback(e.SessionId, e.EpisodeId, e.HeldAt, false, null, null));
            case SessionCancelled when session is { Cancelled: false }:
                return (episode with
                {
                    SessionsHeld = episode.SessionsHeld - 1,
                    SrsCount = episode.SrsCount - (session.SrsTotal is null ? 0 : 1),
                }, session with { Cancelled = true });
            case SessionRatingSubmitted e when session is { Cancelled: false, SrsTotal: null }:
                return (episode with { SrsCount = episode.SrsCount + 1 }, session with { SrsTotal = e.Total, SrsSubmittedAt = e.SubmittedAt });
            case OutcomeRatingSubmitted e:
                return (episode with
                {
                    IntakeTotal = episode.IntakeTotal ?? e.Total,
                    FinalTotal = e.Total,
                    LatestOrsAt = e.SubmittedAt,
                    OrsCount = episode.OrsCount + 1,
                }, session);
            case EpisodeClosed e:
                return (episode with { ClosedAs = e.Reason, ClosedAt = e.ClosedAt }, session);
            default:
                return (episode, session);
        }
    }

    /// <summary>Every episode's rows from its facts in order (what the projection keeps, computed in memory).</summary>
    public static (IReadOnlyList<EpisodeOutcome> Episodes, IReadOnlyList<SessionFeedback> Sessions) From(IEnumerable<object> facts)
    {
        var episodes = new Dictionary<Guid, EpisodeOutcome>();
        var sessions = new Dictionary<Guid, SessionFeedback>();
        foreach (var fact in facts)
        {
            if (!Concerns(fact) || fact is not IEpisodeFact { EpisodeId: var episodeId })
                continue;
            var sessionId = SessionOf(fact);
            var (episode, session) = When(episodes.GetValueOrDefault(episodeId),
                sessionId is { } id ? sessions.GetValueOrDefault(id) : null, fact);
            if (episode is not null)
                episodes[episodeId] = episode;
            if (session is not null)
                sessions[session.SessionId] = session;
        }
        return (episodes.Values.ToList(), sessions.Values.ToList());
    }
}
