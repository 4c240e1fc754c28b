using FeedbackPlatform.Clinical.Directory;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.Directory;

// Each declares the events it is made of: without that an inline projection looks up its document for every
// stream a command touches (an episode's too), one round trip per projection per command.

public partial class SiteProjection : SingleStreamProjection<Site, Guid>
{
    public SiteProjection()
    {
        IncludeType<SiteRegistered>();
        IncludeType<SiteRenamed>();
        IncludeType<SiteDeactivated>();
        IncludeType<ClinicalDirectorAssigned>();
        IncludeType<ClinicalDirectorUnassigned>();
    }

    public override Site? Evolve(Site? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is SiteRegistered r ? Site.From(r) : null : snapshot.When(e.Data);
}

public partial class TherapistProjection : SingleStreamProjection<Therapist, Guid>
{
    public TherapistProjection()
    {
        IncludeType<TherapistRegistered>();
        IncludeType<TherapistRenamed>();
        IncludeType<TherapistDeactivated>();
    }

    public override Therapist? Evolve(Therapist? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is TherapistRegistered r ? Therapist.From(r) : null : snapshot.When(e.Data);
}

public partial class OrganizationRulesProjection : SingleStreamProjection<OrganizationRules, Guid>
{
    public OrganizationRulesProjection() => IncludeType<AlertRulesChanged>();

    public override OrganizationRules? Evolve(OrganizationRules? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is AlertRulesChanged c ? OrganizationRules.From(c) : null : snapshot.When(e.Data);
}
