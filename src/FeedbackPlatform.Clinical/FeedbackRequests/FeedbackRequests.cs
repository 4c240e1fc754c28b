using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.FeedbackRequests;

/// <summary>The client's own instruments a request can ask for.</summary>
public enum FeedbackInstrument
{
    Ors,
    Srs,
}

// The facts of one feedback request; one stream per request. The link's token appears only as its SHA-256 hash
// (null for a request the platform made by itself, which has no link until a clinician issues one), and an
// e-mail only as the time it was sent: the address is never a fact.

public sealed record FeedbackRequested(
    Guid RequestId, Guid EpisodeId, Guid SessionId, Guid SiteId, Guid TherapistId, IReadOnlyList<FeedbackInstrument> Instruments,
    string? TokenHash, DateTimeOffset ExpiresAt, string RequestedBy, bool Automatic, DateTimeOffset RequestedAt);

public sealed record FeedbackRequestSentByEmail(Guid RequestId, DateTimeOffset SentAt);

/// <summary>The client submitted this instrument through the link; the rating itself is a fact of the episode.</summary>
public sealed record FeedbackRequestUsed(Guid RequestId, FeedbackInstrument Instrument, DateTimeOffset UsedAt);

public enum FeedbackRequestRevocation
{
    /// <summary>A person revoked it.</summary>
    Revoked,
    /// <summary>A newer request for the same session and instrument took its place.</summary>
    Superseded,
}

public sealed record FeedbackRequestRevoked(Guid RequestId, FeedbackRequestRevocation Reason, string RevokedBy, DateTimeOffset RevokedAt);

/// <summary>What a link is, to the one who holds it; anything but Open is answered the same to a client.</summary>
public enum FeedbackRequestStatus
{
    Open,
    Used,
    Expired,
    Revoked,
    /// <summary>Open by its own facts, but its session was cancelled or its episode closed (see <see cref="FeedbackRequestDecisions.StatusOf"/>).</summary>
    SessionClosed,
}

/// <summary>One feedback request as the decisions see it: immutable, rebuilt by applying its events in order.</summary>
public sealed record FeedbackRequest : IEpisodeScoped
{
    public Guid Id { get; init; }
    public Guid EpisodeId { get; init; }
    public Guid SessionId { get; init; }
    public Guid SiteId { get; init; }
    public Guid TherapistId { get; init; }
    public IReadOnlyList<FeedbackInstrument> Instruments { get; init; } = [];
    public string? TokenHash { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public string RequestedBy { get; init; } = "";
    public bool Automatic { get; init; }
    public IReadOnlyList<DateTimeOffset> SentByEmailAt { get; init; } = [];
    public IReadOnlyList<FeedbackInstrument> Used { get; init; } = [];
    public DateTimeOffset? RevokedAt { get; init; }
    public FeedbackRequestRevocation? RevokedAs { get; init; }

    /// <summary>The instruments the client has not submitted yet.</summary>
    public IReadOnlyList<FeedbackInstrument> Pending => Instruments.Where(i => !Used.Contains(i)).ToList();

    public bool HasLink => TokenHash is not null;

    public FeedbackRequestStatus StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? FeedbackRequestStatus.Revoked
        : Pending.Count == 0 ? FeedbackRequestStatus.Used
        : now >= ExpiresAt ? FeedbackRequestStatus.Expired
        : FeedbackRequestStatus.Open;

    public bool IsOpenAt(DateTimeOffset now) => StatusAt(now) == FeedbackRequestStatus.Open;

    public static FeedbackRequest From(FeedbackRequested e) => new()
    {
        Id = e.RequestId,
        EpisodeId = e.EpisodeId,
        SessionId = e.SessionId,
        SiteId = e.SiteId,
        TherapistId = e.TherapistId,
        Instruments = e.Instruments,
        TokenHash = e.TokenHash,
        ExpiresAt = e.ExpiresAt,
        RequestedAt = e.RequestedAt,
        RequestedBy = e.RequestedBy,
        Automatic = e.Automatic,
    };

    public static FeedbackRequest? Evolve(FeedbackRequest? state, object fact) =>
        state?.When(fact) ?? (fact is FeedbackRequested requested ? From(requested) : null);

    public FeedbackRequest When(object fact) => fact switch
    {
        FeedbackRequestSentByEmail e => this with { SentByEmailAt = [.. SentByEmailAt, e.SentAt] },
        FeedbackRequestUsed e when !Used.Contains(e.Instrument) => this with { Used = [.. Used, e.Instrument] },
        FeedbackRequestRevoked e => this with { RevokedAt = e.RevokedAt, RevokedAs = e.Reason },
        _ => this,
    };
}

/// <summary>Why a link cannot be used.</summary>
public enum FeedbackLinkRefusal
{
    Used,
    Expired,
    /// <summary>Revoked, superseded, or no such request.</summary>
    Revoked,
    /// <summary>The link is open but its session no longer takes the answer: cancelled, its episode closed, or rated meanwhile.</summary>
    SessionClosed,
}

/// <summary>
/// A link the client holds cannot be used. The host answers every reason the same way to the client; the reason
/// is for the tests.
/// </summary>
public sealed class FeedbackLinkUnusable(FeedbackLinkRefusal reason) : Exception("This link cannot be used.")
{
    public FeedbackLinkRefusal Reason { get; } = reason;
}

/// <summary>
/// What a feedback request may be: for a recorded, not cancelled session of an open episode, one or both of the
/// client's instruments not yet rated for it, expiring within a week; used once per instrument; revocable. Who may
/// ask (the episode's clinician or an admin) is the access policy's, asked by the host before this runs.
/// </summary>
public static class FeedbackRequestDecisions
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);
    public const int MaxHours = 7 * 24;

    /// <summary>
    /// A new request, and the revocation of every open request of the same session that asks for one of its
    /// instruments (the newest link is the one that works). expiresInHours counts from now; without it the link
    /// expires 24 h after the session (the later of held and recorded, as the missing-feedback clock counts).
    /// </summary>
    public static IReadOnlyList<object> Request(EpisodeOfCare? episode, IReadOnlyList<FeedbackRequest> openOfSession, Guid requestId, Guid sessionId,
        IReadOnlyList<FeedbackInstrument>? instruments, int? expiresInHours, string? tokenHash, string by, bool automatic, DateTimeOffset now)
    {
        if (requestId == Guid.Empty)
            throw new ArgumentException("A request needs an id.", nameof(requestId));
        if (sessionId == Guid.Empty)
            throw ClinicalRejection.Invalid("sessionId", "sessionId is required (a UUID).");
        var ep = episode ?? throw ClinicalRejection.NotFound("episodeId", "No such episode.");
        if (!ep.IsOpen)
            throw ClinicalRejection.Conflict("episodeId", "The episode is closed: no feedback can be requested.");
        var session = ep.Session(sessionId) ?? throw ClinicalRejection.NotFound("sessionId", "No such session in this episode; record the session first.");
        if (session.Cancelled)
            throw ClinicalRejection.Conflict("sessionId", "The session was cancelled.");
        if (instruments is null || instruments.Count == 0)
            throw ClinicalRejection.Invalid("instruments", "instruments must name ORS, SRS or both.");
        if (instruments.Distinct().Count() != instruments.Count)
            throw ClinicalRejection.Invalid("instruments", "instruments must name each instrument once.");
        if (instruments.Contains(FeedbackInstrument.Srs) && session.HasSessionRating)
            throw ClinicalRejection.Conflict("instruments", "This session already has an SRS.");
        if (instruments.Contains(FeedbackInstrument.Ors) && session.HasOutcomeRating)
            throw ClinicalRejection.Conflict("instruments", "This session already has an ORS.");

        DateTimeOffset expiresAt;
        if (expiresInHours is { } hours)
        {
            if (hours is < 1 or > MaxHours)
                throw ClinicalRejection.Invalid("expiresInHours", $"expiresInHours must be from 1 to {MaxHours} (a week).");
            expiresAt = now.AddHours(hours);
        }
        else
        {
            expiresAt = session.FeedbackClockStart + DefaultLifetime;
            if (expiresAt <= now)
                throw ClinicalRejection.Invalid("expiresInHours",
                    "The session is more than 24 hours old, so the default expiry has passed: give expiresInHours (1 to 168) for a link that expires that long from now.");
            if (expiresAt > now.AddHours(MaxHours))
                expiresAt = now.AddHours(MaxHours);
        }

        var ordered = instruments.Order().ToList();
        var events = new List<object>();
        foreach (var open in openOfSession)
        {
            if (open.SessionId == sessionId && open.Id != requestId && open.IsOpenAt(now) && open.Pending.Any(ordered.Contains))
                events.Add(new FeedbackRequestRevoked(open.Id, FeedbackRequestRevocation.Superseded, by, now));
        }
        events.Add(new FeedbackRequested(requestId, ep.Id, sessionId, ep.SiteId, ep.TherapistId, ordered, tokenHash, expiresAt, by, automatic, now));
        return events;
    }

    /// <summary>The request made by itself when a session is recorded and the organization asks for it: the SRS, no link yet.</summary>
    public static IReadOnlyList<object> RequestAutomatically(EpisodeOfCare? episode, Guid requestId, Guid sessionId, DateTimeOffset now)
    {
        try
        {
            return Request(episode, [], requestId, sessionId, [FeedbackInstrument.Srs], null, null, "automatic", true, now);
        }
        catch (ClinicalRejection)
        {
            // A session already rated, or recorded long after it was held: there is nothing to ask for by itself.
            return [];
        }
    }

    /// <summary>The link was sent by e-mail now; only while it can still be used.</summary>
    public static IReadOnlyList<object> SentByEmail(FeedbackRequest? request, DateTimeOffset now)
    {
        var r = request ?? throw ClinicalRejection.NotFound("requestId", "No such feedback request.");
        if (!r.HasLink || !r.IsOpenAt(now))
            throw ClinicalRejection.Conflict("requestId", "This feedback request can no longer be used; request feedback again.");
        return [new FeedbackRequestSentByEmail(r.Id, now)];
    }

    /// <summary>
    /// What the client can still answer through the request now: its pending instruments while it is open, and only
    /// while its session takes them (the episode open, the session not cancelled, the instrument not rated meanwhile,
    /// by the clinician for instance). Empty: the link cannot be used.
    /// </summary>
    public static IReadOnlyList<FeedbackInstrument> Answerable(FeedbackRequest request, EpisodeOfCare? episode, DateTimeOffset now)
    {
        if (!request.IsOpenAt(now) || episode is not { IsOpen: true } || episode.Id != request.EpisodeId)
            return [];
        if (episode.Session(request.SessionId) is not { Cancelled: false } session)
            return [];
        return request.Pending.Where(i => i == FeedbackInstrument.Srs ? !session.HasSessionRating : !session.HasOutcomeRating).ToList();
    }

    /// <summary>
    /// What the request is to the clinician now: its own status while the client can still answer it; once nothing of
    /// it can be answered, Used when its session has every instrument it asks for (some entered by the clinician
    /// meanwhile), SessionClosed when the session was cancelled or the episode closed.
    /// </summary>
    public static FeedbackRequestStatus StatusOf(FeedbackRequest request, EpisodeOfCare? episode, DateTimeOffset now)
    {
        var status = request.StatusAt(now);
        if (status != FeedbackRequestStatus.Open || Answerable(request, episode, now).Count > 0)
            return status;
        return episode is { IsOpen: true } && episode.Id == request.EpisodeId && episode.Session(request.SessionId) is { Cancelled: false }
            ? FeedbackRequestStatus.Used
            : FeedbackRequestStatus.SessionClosed;
    }

    /// <summary>
    /// The client submits one instrument through the link. Anything but an open link that asks for this instrument,
    /// has not had it yet and whose session still takes it is unusable: the client is told only that.
    /// </summary>
    public static IReadOnlyList<object> Use(FeedbackRequest? request, EpisodeOfCare? episode, FeedbackInstrument instrument, DateTimeOffset now)
    {
        var r = request ?? throw new FeedbackLinkUnusable(FeedbackLinkRefusal.Revoked);
        switch (r.StatusAt(now))
        {
            case FeedbackRequestStatus.Used: throw new FeedbackLinkUnusable(FeedbackLinkRefusal.Used);
            case FeedbackRequestStatus.Expired: throw new FeedbackLinkUnusable(FeedbackLinkRefusal.Expired);
            case FeedbackRequestStatus.Revoked: throw new FeedbackLinkUnusable(FeedbackLinkRefusal.Revoked);
        }
        if (!r.Instruments.Contains(instrument))
            throw ClinicalRejection.Invalid("instrument", "This link does not ask for that instrument.");
        if (r.Used.Contains(instrument))
            throw new FeedbackLinkUnusable(FeedbackLinkRefusal.Used);
        if (!Answerable(r, episode, now).Contains(instrument))
            throw new FeedbackLinkUnusable(FeedbackLinkRefusal.SessionClosed);
        return [new FeedbackRequestUsed(r.Id, instrument, now)];
    }

    /// <summary>A person revokes the request; revoking it again changes nothing.</summary>
    public static IReadOnlyList<object> Revoke(FeedbackRequest? request, string by, DateTimeOffset now)
    {
        var r = request ?? throw ClinicalRejection.NotFound("requestId", "No such feedback request.");
        return r.RevokedAt is not null ? [] : [new FeedbackRequestRevoked(r.Id, FeedbackRequestRevocation.Revoked, by, now)];
    }
}
