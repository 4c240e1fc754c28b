using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Ingestion;

public sealed class RestIngestionFixture : PlatformFixture;

/// <summary>Record systems and tablets post the same commands over REST; the same handlers take them.</summary>
public sealed class RestIngestionTests(RestIngestionFixture platform) : IClassFixture<RestIngestionFixture>
{
    private async Task<(int Status, JsonNode? Body)> Post(string url, object body)
    {
        var result = await platform.Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        return (result.Context.Response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task A_tablet_form_posted_over_REST_lands_like_a_mutation_and_refusals_are_problem_details()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = Guid.NewGuid();
        var session = Guid.NewGuid();
        Assert.Equal(200, (await Post("/api/episodes", new { episodeId = episode, siteId = clinic.SiteId, therapistId = clinic.TherapistId, clientId = "ehr-77", population = "ADOLESCENT", openedAt = "2026-01-05T09:00:00Z" })).Status);
        Assert.Equal(200, (await Post("/api/sessions", new { episodeId = episode, sessionId = session, heldAt = "2026-01-12T10:00:00Z" })).Status);

        var refused = await Post("/api/session-ratings", new { episodeId = episode, sessionId = session, relationship = 11.0, goalsAndTopics = 9.0, approachOrMethod = 9.0, overall = 9.0 });
        Assert.Equal(400, refused.Status);
        Assert.Equal(("VALIDATION_FAILED", "relationship"), (refused.Body!["code"]!.GetValue<string>(), refused.Body!["field"]!.GetValue<string>()));

        var unknown = await Post("/api/session-ratings", new { episodeId = Guid.NewGuid(), sessionId = session, relationship = 9.0, goalsAndTopics = 9.0, approachOrMethod = 9.0, overall = 9.0 });
        Assert.Equal((404, "NOT_FOUND"), (unknown.Status, unknown.Body!["code"]!.GetValue<string>()));

        Assert.Equal(200, (await Post("/api/session-ratings", new { episodeId = episode, sessionId = session, relationship = 9.0, goalsAndTopics = 9.0, approachOrMethod = 9.0, overall = 8.0 })).Status);
        var conflict = await Post("/api/session-ratings", new { episodeId = episode, sessionId = session, relationship = 9.0, goalsAndTopics = 9.0, approachOrMethod = 9.0, overall = 9.0 });
        Assert.Equal((409, "CONFLICT"), (conflict.Status, conflict.Body!["code"]!.GetValue<string>()));

        var read = await platform.GraphQL("query($id: ID!) { episode(id: $id) { population allianceHealth { latestSrsTotal } } }", new { id = episode });
        Assert.Equal(("ADOLESCENT", 35.0), (read.At("episode.population")!.GetValue<string>(), read.At("episode.allianceHealth.latestSrsTotal")!.GetValue<double>()));
    }

    [Fact]
    public async Task Malformed_JSON_is_a_400_and_the_OpenAPI_document_describes_every_endpoint()
    {
        var before = await platform.EventCount();
        // Broken JSON, a string for a number, a literal no double carries as written: our problem document, the field named.
        foreach (var (body, field) in new[]
                 {
                     ("{ \"episodeId\": ", "episodeId"), ("{", "body"), ("", "body"), ("[9]", "body"),
                     ("{\"relationship\": 9, \"overall\": \"9\"}", "overall"), ("{\"overall\": -1e-400}", "overall"), ("{\"overall\": 4.50000000000000001}", "overall"),
                 })
        {
            var result = await platform.Host.Scenario(s =>
            {
                s.Post.Text(body).ToUrl("/api/session-ratings");
                s.WithRequestHeader("Content-Type", "application/json");
                s.StatusCodeShouldBe(400);
            });
            var problem = JsonNode.Parse(await result.ReadAsTextAsync())!;
            Assert.Equal(("VALIDATION_FAILED", field), (problem["code"]?.GetValue<string>(), problem["field"]?.GetValue<string>()));
            Assert.StartsWith("application/problem+json", result.Context.Response.ContentType);
        }
        Assert.Equal(before, await platform.EventCount());

        var openApi = JsonNode.Parse(await (await platform.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsTextAsync())!;
        var paths = openApi["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in new[] { "/api/sites", "/api/therapists", "/api/episodes", "/api/sessions", "/api/session-ratings", "/api/outcome-ratings", "/api/alliance-inventories", "/api/goal-agreements" })
            Assert.Contains(path, paths);
    }
}
