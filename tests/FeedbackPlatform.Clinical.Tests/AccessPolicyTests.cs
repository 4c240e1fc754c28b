using FeedbackPlatform.Clinical.Access;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>The access rules of the spec's roles, on their own; the API-wide matrix is an integration test.</summary>
public sealed class AccessPolicyTests
{
    private static readonly Guid SiteA = Guid.NewGuid(), SiteB = Guid.NewGuid(), Me = Guid.NewGuid(), Colleague = Guid.NewGuid();

    private static Caller As(Role role, Guid? therapist = null, bool freeText = false, params Guid[] sites) =>
        new("someone", role, "org", new HashSet<Guid>(sites), therapist, freeText);

    [Fact]
    public void A_clinician_sees_and_treats_only_their_own_episodes_at_their_sites()
    {
        var clinician = As(Role.Clinician, Me, sites: SiteA);
        Assert.True(AccessPolicy.MaySeeEpisode(clinician, new(SiteA, Me)));
        Assert.True(AccessPolicy.MayTreat(clinician, new(SiteA, Me)));
        Assert.False(AccessPolicy.MaySeeEpisode(clinician, new(SiteA, Colleague)));
        Assert.False(AccessPolicy.MayTreat(clinician, new(SiteB, Me))); // their therapist id, but not a site they work at
        Assert.False(AccessPolicy.MaySeeAlert(clinician, SiteA));
        Assert.Equal(new ListScope(clinician.Sites, Me), AccessPolicy.EpisodeList(clinician));
    }

    [Fact]
    public void A_director_reads_and_works_their_sites_but_records_nothing()
    {
        var director = As(Role.Director, sites: SiteA);
        Assert.True(AccessPolicy.MaySeeEpisode(director, new(SiteA, Colleague)));
        Assert.False(AccessPolicy.MaySeeEpisode(director, new(SiteB, Colleague)));
        Assert.False(AccessPolicy.MayTreat(director, new(SiteA, Colleague)));
        Assert.True(AccessPolicy.MayWorkAlert(director, SiteA));
        Assert.False(AccessPolicy.MayWorkAlert(director, SiteB));
        Assert.True(AccessPolicy.MaySeeSiteSummary(director, SiteA));
        Assert.False(AccessPolicy.MaySeeOrganizationSummary(director));
        Assert.False(AccessPolicy.MayCall(director, "submitSessionRating"));
        Assert.True(AccessPolicy.MayCall(director, "acknowledgeAlert"));
    }

    [Fact]
    public void An_integrator_reads_the_organization_without_free_text_unless_given_the_scope()
    {
        var integrator = As(Role.Integrator);
        Assert.True(AccessPolicy.MaySeeEpisode(integrator, new(SiteB, Colleague)));
        Assert.True(AccessPolicy.MaySeeOrganizationSummary(integrator));
        Assert.False(AccessPolicy.MayReadFreeText(integrator));
        Assert.True(AccessPolicy.MayReadFreeText(As(Role.Integrator, freeText: true)));
        Assert.All(AccessPolicy.Operations.Where(o => o.Value.Contains(Role.Integrator)), o => Assert.DoesNotMatch("^(register|rename|deactivate|assign|submit|record|update|erase|acknowledge|resolve)", o.Key));
    }

    [Fact]
    public void Admins_may_call_everything_and_an_unknown_operation_is_nobodys()
    {
        var admin = As(Role.Admin);
        Assert.All(AccessPolicy.Operations.Keys, o => Assert.True(AccessPolicy.MayCall(admin, o)));
        Assert.False(AccessPolicy.MayCall(admin, "deleteEverything"));
        Assert.Equal(ListScope.Everything, AccessPolicy.EpisodeList(admin));
    }
}
