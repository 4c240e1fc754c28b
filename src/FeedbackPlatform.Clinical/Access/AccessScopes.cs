namespace FeedbackPlatform.Clinical.Access;

/// <summary>
/// What an object served to a caller belongs to, which is all the policy needs to decide whether they may see it.
/// A read model declares it by implementing one of these; the GraphQL access middleware guards every object (and
/// every list of them) by that declaration alone, so a new read model is guarded by saying what it is.
/// </summary>
public interface IAccessScoped;

/// <summary>Part of one episode of care (a feedback request): seen by whoever may see the episode.</summary>
public interface IEpisodeScoped : IAccessScoped
{
    Guid EpisodeId { get; }
    Guid SiteId { get; }
    Guid TherapistId { get; }
}

/// <summary>The episode's clinical record itself: seen by whoever may see the episode, and every read of it is logged.</summary>
public interface IEpisodeRecord : IEpisodeScoped;

/// <summary>An alert of an episode: the inbox's rule (its site), or the episode's when reached through it; every read is logged.</summary>
public interface IAlertScoped : IAccessScoped
{
    Guid EpisodeId { get; }
    Guid SiteId { get; }
}

/// <summary>A site's directory entry: seen by the people who work there.</summary>
public interface ISiteScoped : IAccessScoped
{
    Guid SiteId { get; }
}

/// <summary>A therapist's directory entry: seen by their site's directors and by the therapist.</summary>
public interface ITherapistScoped : IAccessScoped
{
    Guid SiteId { get; }
    Guid TherapistId { get; }
}

/// <summary>A therapist's figures: the summaries' rule (their site's directors, the therapist, admins and integrators).</summary>
public interface ITherapistFigures : IAccessScoped
{
    Guid SiteId { get; }
    Guid TherapistId { get; }
}
