using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Directory;

public sealed class DirectoryFixture : PlatformFixture;

public sealed class DirectoryTests(DirectoryFixture platform) : IClassFixture<DirectoryFixture>
{
    private const string RegisterSite = "mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id name timeZone } }";

    [Fact]
    public async Task Registering_a_site_twice_is_idempotent_and_reusing_its_id_is_a_conflict()
    {
        var siteId = Guid.NewGuid();
        (await platform.GraphQL(RegisterSite, new { i = new { siteId, name = "Harbour" } })).At("registerSite");
        var before = await platform.EventCount();
        var again = await platform.GraphQL(RegisterSite, new { i = new { siteId, name = "Harbour" } });
        Assert.Equal("UTC", again.At("registerSite.timeZone")!.GetValue<string>());
        var reused = await platform.GraphQL(RegisterSite, new { i = new { siteId, name = "Elsewhere" } });
        Assert.Equal(("CONFLICT", "siteId"), (reused.FirstCode, reused.FirstField));
        Assert.Equal(before, await platform.EventCount());
    }

    [Fact]
    public async Task An_unknown_time_zone_is_refused()
    {
        var response = await platform.GraphQL(RegisterSite, new { i = new { siteId = Guid.NewGuid(), name = "X", timeZone = "Mars/Olympus" } });
        Assert.Equal(("VALIDATION_FAILED", "timeZone"), (response.FirstCode, response.FirstField));
    }

    [Fact]
    public async Task A_therapist_at_an_unknown_site_is_not_found()
    {
        var response = await platform.GraphQL("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }",
            new { i = new { therapistId = Guid.NewGuid(), siteId = Guid.NewGuid(), displayName = "T" } });
        Assert.Equal(("NOT_FOUND", "siteId"), (response.FirstCode, response.FirstField));
    }

    [Fact]
    public async Task A_deactivated_therapist_takes_no_new_episode()
    {
        var clinic = await new Clinic(platform).Register();
        (await platform.GraphQL("mutation($i: DeactivateTherapistInput!) { deactivateTherapist(input: $i) { active } }",
            new { i = new { therapistId = clinic.TherapistId } })).At("deactivateTherapist");
        var before = await platform.EventCount();
        var response = await platform.GraphQL("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }",
            new { i = new { episodeId = Guid.NewGuid(), siteId = clinic.SiteId, therapistId = clinic.TherapistId, clientId = "c-9", population = "CHILD" } });
        Assert.Equal(("NOT_FOUND", "therapistId"), (response.FirstCode, response.FirstField));
        Assert.Equal(before, await platform.EventCount());
    }

    [Fact]
    public async Task Directors_are_assigned_and_sites_renamed()
    {
        var clinic = await new Clinic(platform).Register();
        (await platform.GraphQL("mutation($i: AssignClinicalDirectorInput!) { assignClinicalDirector(input: $i) { id } }",
            new { i = new { siteId = clinic.SiteId, directorId = Guid.NewGuid(), displayName = "Director D" } })).At("assignClinicalDirector");
        var renamed = await platform.GraphQL("mutation($i: RenameSiteInput!) { renameSite(input: $i) { name } }",
            new { i = new { siteId = clinic.SiteId, name = "Riverside North" } });
        Assert.Equal("Riverside North", renamed.At("renameSite.name")!.GetValue<string>());
    }
}
