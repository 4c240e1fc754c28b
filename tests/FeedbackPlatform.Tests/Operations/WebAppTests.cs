using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Operations;

/// <summary>A built web app of its own (FEEDBACK_WEB_ROOT): an index.html and one hashed asset, as Vite writes them.</summary>
public sealed class WebAppFixture : PlatformFixture
{
    public const string IndexMarker = "<!-- web-app-index -->";
    public const string AssetPath = "/assets/index-Ab12Cd34.js";
    public string Root { get; } = System.IO.Directory.CreateTempSubdirectory("fp-web-").FullName;

    public WebAppFixture()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Root, "assets"));
        File.WriteAllText(Path.Combine(Root, "index.html"), $"<!doctype html><html lang=\"en\">{IndexMarker}<script type=\"module\" src=\"{AssetPath}\"></script></html>");
        File.WriteAllText(Path.Combine(Root, "assets", "index-Ab12Cd34.js"), "console.log('app');");
    }

    protected override IEnumerable<(string Key, string Value)> Settings() => [("FEEDBACK_WEB_ROOT", Root)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        System.IO.Directory.Delete(Root, recursive: true);
    }
}

/// <summary>A clone that never built the web app: FEEDBACK_WEB_ROOT names a directory without an index.html.</summary>
public sealed class NoWebAppFixture : PlatformFixture
{
    public string Root { get; } = System.IO.Directory.CreateTempSubdirectory("fp-noweb-").FullName;

    protected override IEnumerable<(string Key, string Value)> Settings() => [("FEEDBACK_WEB_ROOT", Root)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        System.IO.Directory.Delete(Root, recursive: true);
    }
}

/// <summary>The platform serves the web app at / (Hosting/WebApp): caching, client routes, and the browser protections.</summary>
public sealed class WebAppTests(WebAppFixture platform) : IClassFixture<WebAppFixture>
{
    private static void AssertProtected(Microsoft.AspNetCore.Http.HttpResponse response)
    {
        var csp = response.Headers.ContentSecurityPolicy.ToString();
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("http", csp);
        Assert.Equal("no-referrer", response.Headers["Referrer-Policy"].ToString());
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public async Task The_index_is_served_at_the_root_never_cached_with_a_strict_content_security_policy()
    {
        var result = await platform.Host.Scenario(s =>
        {
            s.Get.Url("/");
            s.StatusCodeShouldBe(200);
        });
        Assert.Contains(WebAppFixture.IndexMarker, await result.ReadAsTextAsync());
        Assert.StartsWith("text/html", result.Context.Response.ContentType);
        Assert.Equal("no-cache", result.Context.Response.Headers.CacheControl.ToString());
        AssertProtected(result.Context.Response);
    }

    [Fact]
    public async Task Hashed_assets_are_cached_for_a_year_as_immutable()
    {
        var result = await platform.Host.Scenario(s =>
        {
            s.Get.Url(WebAppFixture.AssetPath);
            s.StatusCodeShouldBe(200);
        });
        Assert.Equal("console.log('app');", await result.ReadAsTextAsync());
        Assert.Equal("public, max-age=31536000, immutable", result.Context.Response.Headers.CacheControl.ToString());
        Assert.Contains("javascript", result.Context.Response.ContentType);
        AssertProtected(result.Context.Response);
    }

    [Theory]
    [InlineData("/alerts")]
    [InlineData("/sign-in")]
    [InlineData("/invitation")]
    [InlineData("/episodes/0198f5b2-7c1e-7a00-9d4b-2f3c9a1e5b77")]
    public async Task Client_side_routes_fall_back_to_the_index(string path)
    {
        var result = await platform.Host.Scenario(s =>
        {
            s.Get.Url(path);
            s.StatusCodeShouldBe(200);
        });
        Assert.Contains(WebAppFixture.IndexMarker, await result.ReadAsTextAsync());
        Assert.Equal("no-cache", result.Context.Response.Headers.CacheControl.ToString());
    }

    [Theory]
    [InlineData("GET", "/api/no-such-route")]
    [InlineData("GET", "/auth/no-such-route")]
    [InlineData("GET", "/exports/no-such.csv")]
    [InlineData("GET", "/health/no-such-check")]
    [InlineData("GET", "/graphql/no-such-path")]
    [InlineData("GET", "/openapi/no-such.json")]
    [InlineData("GET", "/assets/index-Missing1.js")]
    [InlineData("POST", "/alerts")]
    public async Task The_api_s_paths_missing_files_and_other_methods_never_fall_back_to_the_index(string method, string path)
    {
        var result = await platform.Host.Scenario(s =>
        {
            if (method == "POST")
                s.Post.Text("{}").ToUrl(path);
            else
                s.Get.Url(path);
            s.StatusCodeShouldBe(404);
        });
        Assert.DoesNotContain(WebAppFixture.IndexMarker, await result.ReadAsTextAsync());
    }

    [Fact]
    public async Task The_api_s_answers_carry_the_browser_protections_too()
    {
        var result = await platform.Host.Scenario(s =>
        {
            s.Post.Json(new { query = "{ alertRules { srsClinicalCutoff } }" }).ToUrl("/graphql");
            s.StatusCodeShouldBe(200);
        });
        Assert.Contains("srsClinicalCutoff", await result.ReadAsTextAsync());
        AssertProtected(result.Context.Response);
    }

    [Fact]
    public async Task The_sign_in_page_learns_whether_single_sign_on_is_set_up_without_signing_in()
    {
        var result = await platform.Host.Scenario(s =>
        {
            s.Get.Url("/auth/options");
            s.WithRequestHeader("Authorization", "");
            s.StatusCodeShouldBe(200);
        });
        Assert.Equal("""{"singleSignOn":false}""", await result.ReadAsTextAsync());
        Assert.Equal("no-store", result.Context.Response.Headers.CacheControl.ToString());
    }
}

/// <summary>Without a built web app the API is served as ever and / says what to do, not a 500.</summary>
public sealed class NoWebAppTests(NoWebAppFixture platform) : IClassFixture<NoWebAppFixture>
{
    [Fact]
    public async Task The_root_says_the_web_app_is_not_built_and_the_api_still_answers()
    {
        var root = await platform.Host.Scenario(s =>
        {
            s.Get.Url("/");
            s.StatusCodeShouldBe(404);
        });
        var text = await root.ReadAsTextAsync();
        Assert.Contains("WEB_APP_NOT_BUILT", text);
        Assert.Contains("npm run build", text);

        var api = await platform.GraphQL("{ alertRules { srsClinicalCutoff } }");
        Assert.False(api.HasErrors, api.Body.ToJsonString());
        await platform.Host.Scenario(s =>
        {
            s.Get.Url("/api/no-such-route");
            s.StatusCodeShouldBe(404);
        });
    }
}
