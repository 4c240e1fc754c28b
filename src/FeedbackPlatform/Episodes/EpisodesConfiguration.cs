using JasperFx.Events.Projections;
using Marten;

namespace FeedbackPlatform.Episodes;

/// <summary>What the episodes capability registers with the platform.</summary>
public static class EpisodesConfiguration
{
    /// <summary>The episode's write model: the clinical core's immutable aggregate, an inline snapshot, so a command reads one document instead of replaying its stream.</summary>
    public static StoreOptions ConfigureEpisodes(this StoreOptions opts)
    {
        opts.Projections.Add<EpisodeOfCareProjection>(ProjectionLifecycle.Inline);
        return opts;
    }
}
