using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Dashboards;

public sealed class EpisodeQueryFixture : PlatformFixture;

public sealed class EpisodeQueryTests(EpisodeQueryFixture platform) : IClassFixture<EpisodeQueryFixture>
{
    [Fact]
    public async Task An_episode_as_of_an_earlier_instant_shows_what_was_known_then()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 0), 8.5, 8.5, 9, 9)).Read<EpisodeAnswer>("submitSessionRating");   // 35.0: LOW_ALLIANCE
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(300, TestContext.Current.CancellationToken);
        (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode, 7), 9.5, 9.5, 9.5, 9.5)).Read<EpisodeAnswer>("submitSessionRating"); // 38.0: recovered

        const string query = "query($id: ID!, $asOf: DateTime) { episode(id: $id, asOf: $asOf) { allianceHealth { latestSrsTotal sessionsHeld } alerts { kind status } } }";
        var then = (await platform.GraphQL(query, new { id = episode, asOf = between.ToString("O") })).Read<EpisodeAnswer>("episode")!;
        Assert.Equal(35.0, then.AllianceHealth!.LatestSrsTotal);
        Assert.Equal(1, then.AllianceHealth.SessionsHeld);
        Assert.Equal("OPEN", then.Alerts!.Single(a => a.Kind == "LOW_ALLIANCE").Status);

        var now = (await platform.GraphQL(query, new { id = episode, asOf = (string?)null })).Read<EpisodeAnswer>("episode")!;
        Assert.Equal(38.0, now.AllianceHealth!.LatestSrsTotal);
        Assert.Equal("RESOLVED", now.Alerts!.Single(a => a.Kind == "LOW_ALLIANCE").Status);

        var before = await platform.GraphQL(query, new { id = episode, asOf = "2000-01-01T00:00:00Z" });
        Assert.Null(before.Read<EpisodeAnswer>("episode"));
    }

    [Fact]
    public async Task A_site_lists_its_episodes_newest_first_with_filters_and_pages()
    {
        var clinic = await new Clinic(platform).Register();
        var first = await clinic.OpenEpisode();
        var atRisk = await clinic.OpenEpisode();
        var closed = await clinic.OpenEpisode();
        (await clinic.SubmitSrs(atRisk, await clinic.RecordSession(atRisk, 0), 10, 10, 10, 10)).Read<EpisodeAnswer>("submitSessionRating");
        (await clinic.SubmitSrs(atRisk, await clinic.RecordSession(atRisk, 7), 8, 8, 8, 8)).Read<EpisodeAnswer>("submitSessionRating");   // a drop: AT_RISK
        (await platform.GraphQL("mutation($i: CloseEpisodeInput!) { closeEpisode(input: $i) { id } }", new { i = new { episodeId = closed, reason = "REFERRED" } })).Read<EpisodeAnswer>("closeEpisode");

        const string query = """
            query($site: ID!, $status: EpisodeStatus, $risk: Boolean, $therapist: ID, $after: String, $first: Int) {
              site(id: $site) { episodes(status: $status, atRiskOnly: $risk, therapistId: $therapist, after: $after, first: $first) {
                nodes { id } pageInfo { hasNextPage endCursor } } } }
            """;
        PageAnswer<EpisodeAnswer> Episodes(GraphQLResponse r) => r.Read<SiteAnswer>("site")!.Episodes!;
        string[] Ids(GraphQLResponse r) => Episodes(r).Nodes!.Select(n => n.Id!).ToArray();

        var all = await platform.GraphQL(query, new { site = clinic.SiteId, status = (string?)null, risk = (bool?)null, therapist = (Guid?)null, after = (string?)null, first = 50 });
        Assert.Equal([closed.ToString(), atRisk.ToString(), first.ToString()], Ids(all));
        var open = await platform.GraphQL(query, new { site = clinic.SiteId, status = "OPEN", risk = (bool?)null, therapist = clinic.TherapistId, after = (string?)null, first = 50 });
        Assert.Equal([atRisk.ToString(), first.ToString()], Ids(open));
        var risky = await platform.GraphQL(query, new { site = clinic.SiteId, status = (string?)null, risk = true, therapist = (Guid?)null, after = (string?)null, first = 50 });
        Assert.Equal([atRisk.ToString()], Ids(risky));

        var page1 = await platform.GraphQL(query, new { site = clinic.SiteId, status = (string?)null, risk = (bool?)null, therapist = (Guid?)null, after = (string?)null, first = 2 });
        Assert.True(Episodes(page1).PageInfo!.HasNextPage);
        var page2 = await platform.GraphQL(query, new { site = clinic.SiteId, status = (string?)null, risk = (bool?)null, therapist = (Guid?)null, after = Episodes(page1).PageInfo!.EndCursor, first = 2 });
        Assert.Equal([first.ToString()], Ids(page2));
        Assert.False(Episodes(page2).PageInfo!.HasNextPage);
    }
}
