using FeedbackPlatform.Clinical.Directory;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.Directory;

public partial class SiteProjection : SingleStreamProjection<Site, Guid>
{
    public override Site? Evolve(Site? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is SiteRegistered r ? Site.From(r) : null : snapshot.When(e.Data);
}

public partial class TherapistProjection : SingleStreamProjection<Therapist, Guid>
{
    public override Therapist? Evolve(Therapist? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is TherapistRegistered r ? Therapist.From(r) : null : snapshot.When(e.Data);
}

public partial class OrganizationRulesProjection : SingleStreamProjection<OrganizationRules, Guid>
{
    public override OrganizationRules? Evolve(OrganizationRules? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is AlertRulesChanged c ? OrganizationRules.From(c) : null : snapshot.When(e.Data);
}
