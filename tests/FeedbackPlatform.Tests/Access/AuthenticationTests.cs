using System.Diagnostics;
using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Access;

public sealed class AuthenticationFixture : PlatformFixture;

/// <summary>Nobody without a valid token of ours gets past the door, over GraphQL or REST.</summary>
public sealed class AuthenticationTests(AuthenticationFixture platform) : IClassFixture<AuthenticationFixture>
{
    private static string Sign(Dictionary<string, object> claims, string key = Tokens.SigningKey, string issuer = "feedback-platform", string audience = "feedback-platform",
        DateTime? notBefore = null, DateTime? expires = null) => Tokens.Sign(claims, key, issuer, audience, notBefore, expires);

    private Dictionary<string, object> Admin() => new() { ["sub"] = "someone", ["role"] = "admin", ["org"] = platform.Organization };

    public static TheoryData<string> BadTokens() => ["none", "garbage", "wrong-key", "wrong-issuer", "wrong-audience", "expired", "unknown-role", "no-org", "clinician-without-therapist", "unsigned"];

    private string TokenFor(string kind) => kind switch
    {
        "garbage" => "not.a.token",
        "wrong-key" => Sign(Admin(), key: "another-key-that-is-long-enough-0123456789abcdef"),
        "wrong-issuer" => Sign(Admin(), issuer: "someone-else"),
        "wrong-audience" => Sign(Admin(), audience: "someone-else"),
        "expired" => Sign(Admin(), notBefore: DateTime.UtcNow.AddHours(-3), expires: DateTime.UtcNow.AddHours(-2)),
        "unknown-role" => Sign(new() { ["sub"] = "x", ["role"] = "superuser", ["org"] = platform.Organization }),
        "no-org" => Sign(new() { ["sub"] = "x", ["role"] = "admin" }),
        "clinician-without-therapist" => Sign(new() { ["sub"] = "x", ["role"] = "clinician", ["org"] = platform.Organization }),
        // alg "none": the header and claims of a real token without its signature.
        "unsigned" => "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + Sign(Admin()).Split('.')[1] + ".",
        _ => "",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_request_without_a_valid_token_is_401_with_a_code(string kind)
    {
        var token = TokenFor(kind);
        var events = await platform.EventCount();
        foreach (var (url, body) in new[] { ("/graphql", (object)new { query = "{ alertRules { srsClinicalCutoff } }" }), ("/api/sites", new { siteId = Guid.NewGuid(), name = "Sneaky" }) })
        {
            var result = await platform.Host.Scenario(s =>
            {
                s.Post.Json(body).ToUrl(url);
                // "none" sends no header at all; the fixture's default admin token is replaced by whatever is given.
                s.WithRequestHeader("Authorization", kind == "none" ? "" : "Bearer " + token);
                s.StatusCodeShouldBe(401);
            });
            Assert.Contains("UNAUTHENTICATED", await result.ReadAsTextAsync());
            Assert.Equal("Bearer", result.Context.Response.Headers.WWWAuthenticate.ToString());
        }
        Assert.Equal(events, await platform.EventCount());
    }

    [Fact]
    public async Task Health_endpoints_need_no_token_and_a_valid_token_is_served()
    {
        await platform.Host.Scenario(s =>
        {
            s.Get.Url("/health/live");
            s.WithRequestHeader("Authorization", "");
            s.StatusCodeShouldBe(200);
        });
        var response = await platform.GraphQL("{ organization { key } }", token: Sign(Admin()));
        Assert.Equal(platform.Organization, response.At("organization.key")!.GetValue<string>());
    }

    private static ProcessStartInfo Platform(params string[] args)
    {
        var info = PlatformProcess.Command("t_never_" + Guid.NewGuid().ToString("N")[..6], args);
        info.Environment.Remove("Auth__SigningKey");
        return info;
    }

    [Fact]
    public async Task Production_refuses_to_start_without_a_signing_key()
    {
        var info = Platform();
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["FEEDBACK_URLS"] = "http://127.0.0.1:0";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Auth__SigningKey", await stderr + await stdout);
    }

    [Fact]
    public async Task Dev_token_prints_a_token_the_platform_accepts()
    {
        var site = Guid.NewGuid();
        (await platform.GraphQL("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = site, name = "Token site" } })).At("registerSite.id");
        var info = Platform("dev-token", "--role", "director", "--org", platform.Organization, "--site", site.ToString(), "--sub", "dr-who");
        info.Environment["Auth__SigningKey"] = Tokens.SigningKey;
        using var process = Process.Start(info)!;
        var token = (await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)).Trim();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);

        var response = await platform.GraphQL("query($id: ID!) { site(id: $id) { name } }", new { id = site }, token: token);
        Assert.Equal("Token site", response.At("site.name")!.GetValue<string>());
        // A director may read but not change the directory.
        var refused = await platform.GraphQL("mutation($i: RenameSiteInput!) { renameSite(input: $i) { id } }", new { i = new { siteId = site, name = "Mine now" } }, token: token);
        Assert.Equal("FORBIDDEN", refused.FirstCode);
    }
}
