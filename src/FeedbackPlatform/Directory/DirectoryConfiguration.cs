using JasperFx.Events.Projections;
using Marten;

namespace FeedbackPlatform.Directory;

/// <summary>What the directory registers with the platform.</summary>
public static class DirectoryConfiguration
{
    /// <summary>Sites, therapists and the organization's rules: the core's write models, kept as inline snapshots.</summary>
    public static StoreOptions ConfigureDirectory(this StoreOptions opts)
    {
        opts.Projections.Add<SiteProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<TherapistProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<OrganizationRulesProjection>(ProjectionLifecycle.Inline);
        return opts;
    }
}
