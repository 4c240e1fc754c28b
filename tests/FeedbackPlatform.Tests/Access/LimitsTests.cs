using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Access;

public sealed class LimitsFixture : PlatformFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [("FEEDBACK_MUTATIONS_PER_MINUTE", "2"), ("FEEDBACK_MAX_BODY_BYTES", "65536")];
}

/// <summary>Per-caller limits on changes and on request size, answered with clear errors.</summary>
public sealed class LimitsTests(LimitsFixture platform) : IClassFixture<LimitsFixture>
{
    [Fact]
    public async Task A_caller_sending_too_many_changes_is_told_to_slow_down_and_others_are_not()
    {
        var token = Tokens.For("admin", platform.Organization, subject: "busy-admin");
        var codes = new List<string?>();
        for (var i = 0; i < 6; i++)
        {
            var response = await platform.GraphQL("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }",
                new { i = new { siteId = Guid.NewGuid(), name = "Site " + i } }, token: token);
            codes.Add(response.FirstCode);
        }
        // Two a minute: the first two pass, the rest of the burst is refused until the bucket refills (30 s).
        Assert.Equal([null, null, "RATE_LIMITED", "RATE_LIMITED", "RATE_LIMITED", "RATE_LIMITED"], codes);

        var rest = await platform.Host.Scenario(s =>
        {
            s.Post.Json(new { siteId = Guid.NewGuid(), name = "Over REST" }).ToUrl("/api/sites");
            s.WithRequestHeader("Authorization", "Bearer " + token);
            s.StatusCodeShouldBe(429);
        });
        Assert.Equal("1", rest.Context.Response.Headers.RetryAfter.ToString());
        Assert.Contains("RATE_LIMITED", await rest.ReadAsTextAsync());

        // Reads are not changes, and another caller has their own allowance.
        Assert.NotNull((await platform.GraphQL("{ alertRules { srsClinicalCutoff } }", token: token)).At("alertRules"));
        var other = await platform.GraphQL("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }",
            new { i = new { siteId = Guid.NewGuid(), name = "Someone else's" } }, token: Tokens.For("admin", platform.Organization, subject: "calm-admin"));
        Assert.False(other.HasErrors, other.Body.ToJsonString());
    }

    [Theory]
    [InlineData("/graphql")]
    [InlineData("/api/session-ratings")]
    public async Task A_body_over_the_limit_is_refused_with_413_and_nothing_is_stored(string url)
    {
        var events = await platform.EventCount();
        var result = await platform.Host.Scenario(s =>
        {
            s.Post.Json(new { query = "{ alertRules { srsClinicalCutoff } }", padding = new string('x', 70_000) }).ToUrl(url);
            s.StatusCodeShouldBe(413);
        });
        Assert.Contains("PAYLOAD_TOO_LARGE", await result.ReadAsTextAsync());
        Assert.Equal(events, await platform.EventCount());
    }
}
