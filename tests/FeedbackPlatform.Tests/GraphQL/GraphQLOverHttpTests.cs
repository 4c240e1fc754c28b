using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.GraphQL;

public sealed class GraphQLOverHttpFixture : PlatformFixture;

/// <summary>The status codes and media types the GraphQL-over-HTTP specification gives.</summary>
public sealed class GraphQLOverHttpTests(GraphQLOverHttpFixture platform) : IClassFixture<GraphQLOverHttpFixture>
{
    [Fact]
    public async Task A_mutation_over_GET_is_refused_with_405()
    {
        await platform.Host.Scenario(s =>
        {
            s.Get.Url("/graphql?query=" + Uri.EscapeDataString("mutation { deactivateSite(input: {siteId: \"" + Guid.NewGuid() + "\"}) { id } }"));
            s.WithRequestHeader("GraphQL-Require-Preflight", "1");
            s.StatusCodeShouldBe(405);
        });
    }

    [Fact]
    public async Task A_query_over_GET_needs_the_preflight_header()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString("{ alertRules { srsClinicalCutoff } }");
        await platform.Host.Scenario(s => { s.Get.Url(url); s.StatusCodeShouldBe(400); });
        var ok = await platform.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader("GraphQL-Require-Preflight", "1");
            s.StatusCodeShouldBe(200);
        });
        Assert.Contains("36", await ok.ReadAsTextAsync());
    }

    [Fact]
    public async Task A_form_post_is_an_unsupported_media_type()
    {
        await platform.Host.Scenario(s =>
        {
            s.Post.Text("query={alertRules{srsClinicalCutoff}}").ToUrl("/graphql");
            s.WithRequestHeader("Content-Type", "application/x-www-form-urlencoded");
            s.StatusCodeShouldBe(415);
        });
    }

    [Fact]
    public async Task An_unacceptable_accept_header_is_406()
    {
        await platform.Host.Scenario(s =>
        {
            s.Post.Json(new { query = "{ alertRules { srsClinicalCutoff } }" }).ToUrl("/graphql");
            s.WithRequestHeader("Accept", "text/html");
            s.StatusCodeShouldBe(406);
        });
    }

    [Fact]
    public async Task A_validation_error_is_400_in_graphql_response_json_and_200_in_plain_json()
    {
        var strict = await platform.Host.Scenario(s =>
        {
            s.Post.Json(new { query = "{ noSuchField }" }).ToUrl("/graphql");
            s.WithRequestHeader("Accept", "application/graphql-response+json");
            s.StatusCodeShouldBe(400);
        });
        Assert.StartsWith("application/graphql-response+json", strict.Context.Response.ContentType);

        var legacy = await platform.Host.Scenario(s =>
        {
            s.Post.Json(new { query = "{ noSuchField }" }).ToUrl("/graphql");
            s.WithRequestHeader("Accept", "application/json");
            s.StatusCodeShouldBe(200);
        });
        Assert.StartsWith("application/json", legacy.Context.Response.ContentType);
        Assert.Contains("noSuchField", await legacy.ReadAsTextAsync());
    }

    [Theory]
    [InlineData("{ \"relationship\": 9, \"goalsAndTopics\": 9, \"approachOrMethod\": 9 }", "overall")]
    [InlineData("{ \"relationship\": \"high\", \"goalsAndTopics\": 9, \"approachOrMethod\": 9, \"overall\": 9 }", "relationship")]
    [InlineData("{ \"relationship\": 9, \"goalsAndTopics\": null, \"approachOrMethod\": 9, \"overall\": 9 }", "goalsAndTopics")]
    public async Task Input_the_schema_refuses_is_a_validation_failure_naming_the_field(string items, string field)
    {
        var input = items.Replace("{ ", "{ \"episodeId\": \"" + Guid.NewGuid() + "\", \"sessionId\": \"" + Guid.NewGuid() + "\", ");
        var response = await platform.GraphQL("mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { id } }",
            new { i = System.Text.Json.JsonDocument.Parse(input).RootElement }, expectedStatus: 400);
        Assert.Equal(("VALIDATION_FAILED", field), (response.FirstCode, response.FirstField));
    }

    [Fact]
    public async Task A_syntax_error_is_a_validation_failure()
    {
        var response = await platform.GraphQL("{ episode(id: 1) { id }", expectedStatus: 400);
        Assert.Equal("VALIDATION_FAILED", response.FirstCode);
        Assert.Null(response.Data);
    }

    [Fact]
    public async Task Health_endpoints_answer_live_and_ready()
    {
        await platform.Host.Scenario(s => { s.Get.Url("/health/live"); s.StatusCodeShouldBe(200); });
        var ready = await platform.Host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBe(200); });
        Assert.Equal("Healthy", await ready.ReadAsTextAsync());
    }
}
