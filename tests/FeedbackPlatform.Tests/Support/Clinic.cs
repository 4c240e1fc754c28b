namespace FeedbackPlatform.Tests.Support;

/// <summary>Builds a small clinic through the public API: a site, a therapist, episodes, sessions, ratings.</summary>
public sealed class Clinic(PlatformFixture platform)
{
    public Guid SiteId { get; } = Guid.NewGuid();
    public Guid TherapistId { get; } = Guid.NewGuid();

    public async Task<Clinic> Register()
    {
        (await platform.GraphQL("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }",
            new { i = new { siteId = SiteId, name = "Riverside", timeZone = "Europe/London" } })).Read<SiteAnswer>("registerSite");
        (await platform.GraphQL("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }",
            new { i = new { therapistId = TherapistId, siteId = SiteId, displayName = "Therapist A" } })).Read<TherapistAnswer>("registerTherapist");
        return this;
    }

    public async Task<Guid> OpenEpisode(string population = "ADULT", Guid? episodeId = null)
    {
        var id = episodeId ?? Guid.NewGuid();
        (await platform.GraphQL("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }",
            new { i = new { episodeId = id, siteId = SiteId, therapistId = TherapistId, clientId = "client-" + id.ToString("N")[..8], population, openedAt = "2026-01-05T09:00:00Z" } }))
            .Read<EpisodeAnswer>("openEpisode");
        return id;
    }

    public async Task<Guid> RecordSession(Guid episodeId, int dayOffset = 0)
    {
        var sessionId = Guid.NewGuid();
        (await platform.GraphQL("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }",
            new { i = new { episodeId, sessionId, heldAt = new DateTimeOffset(2026, 1, 12, 10, 0, 0, TimeSpan.Zero).AddDays(dayOffset) } }))
            .Read<EpisodeAnswer>("recordSession");
        return sessionId;
    }

    public Task<GraphQLResponse> SubmitSrs(Guid episodeId, Guid sessionId, double relationship, double goals, double approach, double overall) =>
        platform.GraphQL(
            "mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { allianceHealth { latestSrsTotal status } alerts { kind status resolution occurrences sessionNumber } } }",
            new { i = new { episodeId, sessionId, relationship, goalsAndTopics = goals, approachOrMethod = approach, overall } });

    public Task<GraphQLResponse> SubmitOrs(Guid episodeId, Guid sessionId, double individual, double interpersonal, double social, double overall) =>
        platform.GraphQL(
            "mutation($i: SubmitOutcomeRatingInput!) { submitOutcomeRating(input: $i) { allianceHealth { latestOrsTotal intakeOrsTotal orsChange } alerts { kind status resolution } } }",
            new { i = new { episodeId, sessionId, individual, interpersonal, social, overall } });
}
