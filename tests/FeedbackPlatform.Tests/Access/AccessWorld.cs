using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Access;

/// <summary>
/// Two organizations for access tests. In the fixture's organization: site S1 with therapists T1 (the test
/// clinician) and T2 (a colleague), site S2 with T3; one episode each (own, colleague, other), each with a
/// session, a goal, an open alert and an open ORS feedback request. In a second organization: the same shape once (foreign). A director works
/// at S1; a clinician is T1 at S1.
/// </summary>
public sealed class AccessWorldFixture : PlatformFixture
{
    public string ForeignOrganization { get; } = "other-" + Guid.NewGuid().ToString("N")[..8];
    public Guid S1 { get; } = Guid.NewGuid();
    public Guid S2 { get; } = Guid.NewGuid();
    public Guid SB { get; } = Guid.NewGuid();
    public Guid T1 { get; } = Guid.NewGuid();
    public Guid T2 { get; } = Guid.NewGuid();
    public Guid T3 { get; } = Guid.NewGuid();
    public Guid TB { get; } = Guid.NewGuid();
    public Dictionary<string, Target> Episodes { get; } = [];

    public sealed record Target(Guid Episode, Guid Session, Guid Goal, Guid Alert, Guid Site, Guid Therapist, string ClientId, Guid FeedbackRequest = default);

    public string TokenOf(string role) => role switch
    {
        "admin" => AdminToken,
        "director" => Tokens.For("director", Organization, [S1], subject: "director-s1"),
        "clinician" => Tokens.For("clinician", Organization, [S1], T1, subject: "clinician-t1"),
        "integrator" => Tokens.For("integrator", Organization, subject: "integrator"),
        "integrator+free-text" => Tokens.For("integrator", Organization, scope: "free-text", subject: "integrator-ft"),
        "foreign-admin" => Tokens.For("admin", ForeignOrganization, subject: "foreign-admin"),
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var admin = AdminToken;
        var foreign = TokenOf("foreign-admin");
        await Site(admin, S1, "North");
        await Site(admin, S2, "South");
        await Site(foreign, SB, "Elsewhere");
        await Therapist(admin, T1, S1);
        await Therapist(admin, T2, S1);
        await Therapist(admin, T3, S2);
        await Therapist(foreign, TB, SB);
        Episodes["own"] = await Episode(admin, S1, T1);
        Episodes["colleague"] = await Episode(admin, S1, T2);
        Episodes["other"] = await Episode(admin, S2, T3);
        Episodes["foreign"] = await Episode(foreign, SB, TB);
    }

    private async Task Site(string token, Guid id, string name) =>
        (await GraphQL("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = id, name } }, token: token)).At("registerSite.id");

    private async Task Therapist(string token, Guid id, Guid site) =>
        (await GraphQL("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }", new { i = new { therapistId = id, siteId = site, displayName = "T " + id.ToString()[..4] } }, token: token)).At("registerTherapist.id");

    private async Task<Target> Episode(string token, Guid site, Guid therapist)
    {
        var episode = Guid.NewGuid();
        var session = Guid.NewGuid();
        var goal = Guid.NewGuid();
        var client = "client-" + episode.ToString("N")[..10];
        (await GraphQL("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }",
            new { i = new { episodeId = episode, siteId = site, therapistId = therapist, clientId = client, population = "ADULT", openedAt = DateTimeOffset.UtcNow.AddDays(-7) } }, token: token)).At("openEpisode.id");
        (await GraphQL("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }",
            new { i = new { episodeId = episode, sessionId = session, heldAt = DateTimeOffset.UtcNow.AddDays(-1) } }, token: token)).At("recordSession.id");
        (await GraphQL("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }",
            new { i = new { episodeId = episode, goalId = goal, description = "Private goal of " + client, agreedByClient = true, agreedByTherapist = true } }, token: token)).At("recordGoalAgreement.id");
        var alerts = (await GraphQL("mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { alerts { id } } }",
            new { i = new { episodeId = episode, sessionId = session, relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 } }, token: token))
            .At("submitSessionRating.alerts")!.AsArray();
        var request = (await GraphQL("mutation($i: RequestFeedbackInput!) { requestFeedback(input: $i) { request { id } } }",
            new { i = new { episodeId = episode, sessionId = session, instruments = new[] { "ORS" }, expiresInHours = 48 } }, token: token)).At("requestFeedback.request.id")!.GetValue<string>();
        return new Target(episode, session, goal, Guid.Parse(alerts[0]!["id"]!.GetValue<string>()), site, therapist, client, Guid.Parse(request));
    }
}
