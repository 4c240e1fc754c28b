using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Tests.Support;
using Marten;

namespace FeedbackPlatform.Tests.Episodes;

public sealed class FirstSliceFixture : PlatformFixture;

/// <summary>openEpisode and submitSessionRating through /graphql land in the episode's stream and its read model.</summary>
public sealed class FirstSliceTests(FirstSliceFixture platform) : IClassFixture<FirstSliceFixture>
{
    [Fact]
    public async Task A_session_rating_lands_in_the_stream_and_the_read_model_in_the_same_request()
    {
        var clinic = await new Clinic(platform).Register();
        var episodeId = await clinic.OpenEpisode();
        var sessionId = await clinic.RecordSession(episodeId);

        var submitted = (await clinic.SubmitSrs(episodeId, sessionId, 9.5, 8.5, 9.0, 8.0)).Read<EpisodeAnswer>("submitSessionRating")!;
        Assert.Equal(35.0, submitted.AllianceHealth!.LatestSrsTotal);

        var read = await platform.GraphQL("query($id: ID!) { episode(id: $id) { allianceHealth { latestSrsTotal srsFlaggedItems } sessions { number sessionRating { relationship overall total } } } }", new { id = episodeId });
        var episode = read.Read<EpisodeAnswer>("episode")!;
        Assert.Equal(8.0, episode.Sessions![0].SessionRating!.Overall);
        Assert.Equal(35.0, episode.AllianceHealth!.LatestSrsTotal);
        Assert.Equal(["goalsAndTopics", "overall"], episode.AllianceHealth.SrsFlaggedItems!);

        await using var session = platform.QuerySession();
        var events = await session.Events.FetchStreamAsync(episodeId, token: TestContext.Current.CancellationToken);
        Assert.Collection(events.Select(e => e.Data),
            e => Assert.IsType<EpisodeOpened>(e),
            e => Assert.IsType<SessionRecorded>(e),
            e => Assert.Equal(35.0m, Assert.IsType<SessionRatingSubmitted>(e).Total),
            e => Assert.Equal(Clinical.Alerts.AlertKind.LowAlliance, Assert.IsType<AlertRaised>(e).Kind));
    }

    [Fact]
    public async Task An_unknown_episode_is_not_found_and_nothing_is_stored()
    {
        var before = await platform.EventCount();
        var response = await new Clinic(platform).SubmitSrs(Guid.NewGuid(), Guid.NewGuid(), 9, 9, 9, 9);
        Assert.Equal("NOT_FOUND", response.FirstCode);
        Assert.Equal("episodeId", response.FirstField);
        Assert.Equal(before, await platform.EventCount());
    }

    [Theory]
    [InlineData(11.0, "relationship")]
    [InlineData(-0.1, "relationship")]
    [InlineData(9.25, "relationship")]
    public async Task An_out_of_range_score_is_refused_with_its_field_and_nothing_is_stored(double relationship, string field)
    {
        var clinic = await new Clinic(platform).Register();
        var episodeId = await clinic.OpenEpisode();
        var sessionId = await clinic.RecordSession(episodeId);
        var before = await platform.EventCount();

        var response = await clinic.SubmitSrs(episodeId, sessionId, relationship, 9, 9, 9);

        Assert.Equal("VALIDATION_FAILED", response.FirstCode);
        Assert.Equal(field, response.FirstField);
        Assert.Equal(before, await platform.EventCount());
    }

    [Theory]
    [InlineData("{ \"query\": \"{ episode(id")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"variables\": {} }")]
    [InlineData("{ \"query\": 42 }")]
    public async Task A_malformed_body_is_a_400_not_a_500(string body)
    {
        var result = await platform.Host.Scenario(s =>
        {
            s.Post.Text(body).ToUrl("/graphql");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains("\"code\"", await result.ReadAsTextAsync());
    }
}
