using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.People;
using FeedbackPlatform.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedbackPlatform.Tests.People;

/// <summary>The platform with single sign-on through the suite's own OpenID Connect server on loopback, every log line kept.</summary>
public sealed class SingleSignOnFixture : PeopleFixture
{
    public TestIdentityProvider Provider { get; private set; } = null!;
    public CapturingLoggerProvider Logs { get; } = new();

    public const string RoleClaim = "feedback_role";
    public const string SitesClaim = "feedback_sites";
    public const string TherapistClaim = "feedback_therapist";

    public override async ValueTask InitializeAsync()
    {
        Provider = await TestIdentityProvider.Start();
        // The in-memory host answers as http://localhost: that is where the browser comes back to.
        Provider.RedirectUri = "http://localhost" + SingleSignOnSettings.CallbackPath;
        await base.InitializeAsync();
    }

    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        .. base.Settings(),
        ("Auth:Sso:Authority", Provider.Url),
        ("Auth:Sso:ClientId", TestIdentityProvider.ClientId),
        ("Auth:Sso:ClientSecret", TestIdentityProvider.ClientSecret),
        ("Auth:Sso:Organization", Organization),
        ("Auth:Sso:RoleClaim", RoleClaim),
        ("Auth:Sso:SitesClaim", SitesClaim),
        ("Auth:Sso:TherapistClaim", TherapistClaim),
        // Everything the authentication handlers and HTTP clients say (Trace asked for), to search it for codes, tokens and addresses.
        ("Logging:LogLevel:Microsoft", "Trace"),
        ("Logging:LogLevel:Microsoft.AspNetCore", "Trace"),
        ("Logging:LogLevel:System", "Debug"),
        ("Logging:LogLevel:FeedbackPlatform", "Debug"),
    ];

    protected override void Configure(IServiceCollection services)
    {
        base.Configure(services);
        services.AddSingleton<ILoggerProvider>(Logs);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }

    /// <summary>A browser: one cookie jar for both sites, redirects followed by hand so every step can be seen.</summary>
    public Browser NewBrowser() => new(this);

    public sealed class Browser(SingleSignOnFixture fixture) : IDisposable
    {
        private readonly CookieContainer _cookies = new();
        private readonly HttpClient _platform = fixture.Host.Server.CreateClient();
        private readonly HttpClient _provider = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        /// <summary>Every URL the browser went to and every form it posted, in order (to search for what must not be there).</summary>
        public List<string> Visited { get; } = [];
        public string? Session => _cookies.GetCookies(new Uri("http://localhost/"))[SignInSettings.CookieName]?.Value;

        public async Task<HttpResponseMessage> Send(HttpMethod method, string url, IEnumerable<KeyValuePair<string, string>>? form = null)
        {
            var uri = new Uri(url, UriKind.Absolute);
            Visited.Add(url);
            var request = new HttpRequestMessage(method, uri);
            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(form);
                Visited.Add(await request.Content.ReadAsStringAsync());
            }
            if (_cookies.GetCookieHeader(uri) is { Length: > 0 } header)
                request.Headers.Add("Cookie", header);
            var client = uri.Host == "localhost" ? _platform : _provider;
            var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
                foreach (var setCookie in setCookies)
                    _cookies.SetCookies(uri, setCookie);
            return response;
        }

        /// <summary>Follows redirects and the provider's auto-posting form until an answer that is neither.</summary>
        public async Task<HttpResponseMessage> Go(string url)
        {
            var response = await Send(HttpMethod.Get, url);
            for (var hop = 0; hop < 10; hop++)
            {
                if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
                    if (next.Host == "localhost" && !next.AbsolutePath.StartsWith("/auth/", StringComparison.Ordinal))
                        return response; // back at the web app: the dance is over
                    response = await Send(HttpMethod.Get, next.ToString());
                    continue;
                }
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK && Regex.Match(body, "<form[^>]*action=\"([^\"]+)\"") is { Success: true } formTag)
                {
                    // response_mode=form_post: the provider's page posts the code to our callback.
                    var fields = Regex.Matches(body, "<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"")
                        .Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
                    response = await Send(HttpMethod.Post, WebUtility.HtmlDecode(formTag.Groups[1].Value), fields);
                    continue;
                }
                return response;
            }
            throw new InvalidOperationException("Too many hops.");
        }

        public void Dispose()
        {
            _platform.Dispose();
            _provider.Dispose();
        }
    }
}

/// <summary>
/// Single sign-on end to end: the platform (real host, real PostgreSQL) and a real OpenID Connect server on loopback,
/// the browser's redirects followed step by step. Invited people come in, everyone else is refused, a token for another
/// client is refused, and neither the code, the token nor the address reaches a log or a URL.
/// </summary>
public sealed class SingleSignOnTests(SingleSignOnFixture platform) : IClassFixture<SingleSignOnFixture>
{
    private static string Email() => $"s{Guid.NewGuid():N}"[..12] + "@Clinic.example";

    private static (string, Dictionary<string, string[]>) User(string email, Dictionary<string, string[]>? more = null)
    {
        var claims = new Dictionary<string, string[]> { ["email"] = [email] };
        foreach (var (k, v) in more ?? [])
            claims[k] = v;
        return ("idp-" + Guid.NewGuid().ToString("N")[..10], claims);
    }

    private async Task<List<SecurityEvent>> SecurityLog()
    {
        await using var session = platform.QuerySession();
        return [.. await session.Query<SecurityEvent>().ToListAsync(TestContext.Current.CancellationToken)];
    }

    private static async Task<JsonObject> Problem(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();

    [Fact]
    public async Task An_invited_person_signs_in_through_the_identity_provider_and_gets_the_platforms_session()
    {
        var email = Email();
        var (id, invitation) = await platform.Invite(email, role: "DIRECTOR", sites: [Guid.NewGuid()]);
        // The provider spells the address its own way: one address is one person whatever its case.
        platform.Provider.NextUser = User(email.ToUpperInvariant());
        using var browser = platform.NewBrowser();
        var issuedBefore = platform.Provider.TokensIssued;

        var start = await browser.Send(HttpMethod.Get, "http://localhost/auth/sso?returnUrl=/episodes");
        Assert.Equal(HttpStatusCode.Found, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(platform.Provider.Url + "/connect/authorize", authorize.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal("form_post", query["response_mode"]);
        Assert.Equal(TestIdentityProvider.ClientId, query["client_id"]);
        Assert.Null(browser.Session);

        var end = await browser.Go(authorize.ToString());
        Assert.Equal(HttpStatusCode.Found, end.StatusCode);
        Assert.Equal("/episodes", end.Headers.Location!.OriginalString);
        Assert.Equal(issuedBefore + 1, platform.Provider.TokensIssued);
        var cookie = browser.Session;
        Assert.NotNull(cookie);
        var setCookie = end.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fp_session=")).ToLowerInvariant();
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);

        // The same session as a password gives: /auth/me, GraphQL with the cookie, the person's own access.
        var me = await platform.Get("/auth/me", cookie);
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(id.ToString(), me.Body["id"]!.GetValue<string>());
        Assert.Equal("DIRECTOR", me.Body["role"]!.GetValue<string>());
        Assert.Equal(platform.Organization, me.Body["organization"]!.GetValue<string>());
        await using (var session = platform.QuerySession())
        {
            var browserSession = await session.LoadAsync<BrowserSession>(Secrets.Hash(cookie!), TestContext.Current.CancellationToken);
            Assert.Equal(id, browserSession!.PersonId);
            // The invitation is accepted by the first sign-in: the person is active now.
            Assert.Equal(PersonStatus.Active, (await session.LoadAsync<Person>(id, TestContext.Current.CancellationToken))!.Status);
        }
        var accepted = await platform.Post("/auth/invitations/accept", new { token = invitation, password = "correct horse battery staple" });
        Assert.Equal(HttpStatusCode.Gone, accepted.Status);

        var log = await SecurityLog();
        Assert.Contains(log, e => e.Kind == SecurityEventKind.SsoSignedIn && e.PersonId == id && e.By == $"person:{id}" && e.ClientAddress is { Length: > 0 });
        Assert.Contains(log, e => e.Kind == SecurityEventKind.InvitationAccepted && e.PersonId == id);

        // An active person signs in again the same way; their earlier session stays theirs.
        platform.Provider.NextUser = User(email);
        using var second = platform.NewBrowser();
        var again = await second.Go("http://localhost/auth/sso");
        Assert.Equal(HttpStatusCode.Found, again.StatusCode);
        Assert.Equal("/", again.Headers.Location!.OriginalString);
        Assert.NotEqual(cookie, second.Session);
        Assert.Equal(HttpStatusCode.OK, (await platform.Get("/auth/me", cookie)).Status);

        // Nothing of the flow (code, tokens, the address) was in a URL the browser went to or in a log line.
        Assert.DoesNotContain(browser.Visited.Where(v => v.StartsWith("http")), v => Regex.IsMatch(v, "[?&]code=") || v.Contains("Clinic.example", StringComparison.OrdinalIgnoreCase));
        // The configuration asks for Trace, where the handler would log the provider's answer with the code; it logs from Debug up.
        Assert.Contains(platform.Logs.Lines, l => l.StartsWith("Debug Microsoft.AspNetCore.Authentication.OpenIdConnect", StringComparison.Ordinal));
        Assert.DoesNotContain(platform.Logs.Lines, l => l.StartsWith("Trace Microsoft.AspNetCore.Authentication.OpenIdConnect", StringComparison.Ordinal));
        var postedCode = System.Web.HttpUtility.ParseQueryString(browser.Visited.Single(v => v.Contains("code=") && !v.StartsWith("http")))["code"]!;
        Assert.DoesNotContain(platform.Logs.Lines, l => l.Contains(postedCode, StringComparison.Ordinal));
        Assert.DoesNotContain(platform.Logs.Lines, l => l.Contains(email, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(platform.Logs.Lines, l => l.Contains("eyJ", StringComparison.Ordinal)); // no JWT
        Assert.DoesNotContain(platform.Logs.Lines, l => l.Contains(cookie!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_not_invited_or_disabled_is_refused_and_nothing_is_registered()
    {
        var stranger = Email();
        platform.Provider.NextUser = User(stranger);
        using var browser = platform.NewBrowser();
        var refusalsBefore = (await SecurityLog()).Count(e => e.Kind == SecurityEventKind.SsoRefused);
        var eventsBefore = await platform.EventCount();

        var refused = await browser.Go("http://localhost/auth/sso");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(SingleSignOn.Refused, (await Problem(refused))["code"]!.GetValue<string>());
        Assert.Null(browser.Session);
        Assert.Equal(eventsBefore, await platform.EventCount());
        await using (var session = platform.QuerySession())
            Assert.Equal(0, await session.Query<Person>().CountAsync(p => p.EmailKey == stranger.ToLowerInvariant(), TestContext.Current.CancellationToken));
        var refusal = (await SecurityLog()).Where(e => e.Kind == SecurityEventKind.SsoRefused).ToList();
        Assert.Equal(refusalsBefore + 1, refusal.Count);

        // A disabled person is refused too, and the refusal names them.
        var email = Email();
        var (id, _) = await platform.Invite(email, role: "ADMIN");
        (await platform.GraphQL("mutation($i: DisablePersonInput!) { disablePerson(input: $i) { status } }", new { i = new { personId = id } })).At("disablePerson");
        platform.Provider.NextUser = User(email);
        using var disabledBrowser = platform.NewBrowser();
        var disabled = await disabledBrowser.Go("http://localhost/auth/sso");
        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
        Assert.Null(disabledBrowser.Session);
        Assert.Contains(await SecurityLog(), e => e.Kind == SecurityEventKind.SsoRefused && e.PersonId == id);

        // A provider that has not verified the address is not believed.
        var unverified = Email();
        await platform.Invite(unverified, role: "ADMIN");
        platform.Provider.NextUser = User(unverified, new() { ["email_verified"] = ["false"] });
        using var unverifiedBrowser = platform.NewBrowser();
        Assert.Equal(HttpStatusCode.Forbidden, (await unverifiedBrowser.Go("http://localhost/auth/sso")).StatusCode);
        Assert.Null(unverifiedBrowser.Session);

        Assert.DoesNotContain(platform.Logs.Lines, l => l.Contains(stranger, StringComparison.OrdinalIgnoreCase) || l.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_id_token_the_provider_issued_for_another_client_is_refused()
    {
        var email = Email();
        var (id, _) = await platform.Invite(email, role: "ADMIN");
        platform.Provider.NextUser = User(email);
        platform.Provider.AudienceOverride = "another-application";
        try
        {
            using var browser = platform.NewBrowser();
            var issuedBefore = platform.Provider.TokensIssued;
            var refused = await browser.Go("http://localhost/auth/sso");
            // The provider did issue a token, signed with its key: only its audience is wrong.
            Assert.Equal(issuedBefore + 1, platform.Provider.TokensIssued);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(SingleSignOn.Failed, (await Problem(refused))["code"]!.GetValue<string>());
            Assert.Null(browser.Session);
            await using var session = platform.QuerySession();
            Assert.Equal(PersonStatus.Invited, (await session.LoadAsync<Person>(id, TestContext.Current.CancellationToken))!.Status);
            Assert.Equal(0, await session.Query<BrowserSession>().CountAsync(s => s.PersonId == id, TestContext.Current.CancellationToken));
        }
        finally
        {
            platform.Provider.AudienceOverride = null;
        }

        // The same person, the token for us: in.
        platform.Provider.NextUser = User(email);
        using var fine = platform.NewBrowser();
        Assert.Equal(HttpStatusCode.Found, (await fine.Go("http://localhost/auth/sso")).StatusCode);
        Assert.NotNull(fine.Session);
    }

    [Fact]
    public async Task Mapped_claims_set_role_sites_and_therapist_under_the_admins_rules()
    {
        var email = Email();
        var (id, _) = await platform.Invite(email, role: "DIRECTOR", sites: [Guid.NewGuid()]);
        var site = Guid.NewGuid();
        var therapist = Guid.NewGuid();
        platform.Provider.NextUser = User(email, new()
        {
            [SingleSignOnFixture.RoleClaim] = ["clinician"], [SingleSignOnFixture.SitesClaim] = [site.ToString()], [SingleSignOnFixture.TherapistClaim] = [therapist.ToString()],
        });
        using var browser = platform.NewBrowser();
        Assert.Equal(HttpStatusCode.Found, (await browser.Go("http://localhost/auth/sso")).StatusCode);
        var me = await platform.Get("/auth/me", browser.Session);
        Assert.Equal("CLINICIAN", me.Body["role"]!.GetValue<string>());
        Assert.Equal([site.ToString()], me.Body["sites"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(therapist.ToString(), me.Body["therapistId"]!.GetValue<string>());
        Assert.Contains(await SecurityLog(), e => e.Kind == SecurityEventKind.AccessChanged && e.PersonId == id && e.By == SingleSignOnSettings.ChangedBy);

        // The provider makes them a director: the therapist id goes, the sites stay as they were.
        platform.Provider.NextUser = User(email, new() { [SingleSignOnFixture.RoleClaim] = ["director"] });
        using var director = platform.NewBrowser();
        Assert.Equal(HttpStatusCode.Found, (await director.Go("http://localhost/auth/sso")).StatusCode);
        Assert.Equal("DIRECTOR", (await platform.Get("/auth/me", director.Session)).Body["role"]!.GetValue<string>());
        // The access changed, so the clinician session of before is over.
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Get("/auth/me", browser.Session)).Status);

        // Claims that are not usable are refused, and the person keeps what they had.
        platform.Provider.NextUser = User(email, new() { [SingleSignOnFixture.RoleClaim] = ["clinician"], [SingleSignOnFixture.SitesClaim] = ["not-a-site"] });
        using var broken = platform.NewBrowser();
        var refused = await broken.Go("http://localhost/auth/sso");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(broken.Session);
        platform.Provider.NextUser = User(email, new() { [SingleSignOnFixture.RoleClaim] = ["admin", "clinician"] });
        using var twoRoles = platform.NewBrowser();
        Assert.Equal(HttpStatusCode.Forbidden, (await twoRoles.Go("http://localhost/auth/sso")).StatusCode);
        await using var session = platform.QuerySession();
        Assert.Equal(FeedbackPlatform.Clinical.Access.Role.Director, (await session.LoadAsync<Person>(id, TestContext.Current.CancellationToken))!.Role);
    }

    [Fact]
    public async Task A_provider_that_refuses_and_a_callback_without_or_with_a_forged_state_get_a_coded_4xx()
    {
        platform.Provider.Deny = true;
        try
        {
            using var browser = platform.NewBrowser();
            var denied = await browser.Go("http://localhost/auth/sso");
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            Assert.Equal(SingleSignOn.Failed, (await Problem(denied))["code"]!.GetValue<string>());
            Assert.Null(browser.Session);
        }
        finally
        {
            platform.Provider.Deny = false;
        }

        using var forger = platform.NewBrowser();
        foreach (var (method, form) in new (HttpMethod, Dictionary<string, string>?)[]
        {
            (HttpMethod.Get, null),
            (HttpMethod.Post, new() { ["code"] = "made-up" }),
            (HttpMethod.Post, new() { ["code"] = "made-up", ["state"] = "CfDJ8forged" }),
            (HttpMethod.Post, new() { ["error"] = "access_denied", ["state"] = "forged" }),
        })
        {
            var answer = await forger.Send(method, "http://localhost" + SingleSignOnSettings.CallbackPath, form);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            var problem = await Problem(answer);
            Assert.Equal(SingleSignOn.Failed, problem["code"]!.GetValue<string>());
            Assert.Null(forger.Session);
        }

        // A state that is real but from another browser (its correlation cookie is not here) is refused as well.
        platform.Provider.NextUser = User(Email());
        using var victim = platform.NewBrowser();
        var start = await victim.Send(HttpMethod.Get, "http://localhost/auth/sso");
        var state = System.Web.HttpUtility.ParseQueryString(start.Headers.Location!.Query)["state"]!;
        var stolen = await forger.Send(HttpMethod.Post, "http://localhost" + SingleSignOnSettings.CallbackPath, new Dictionary<string, string> { ["code"] = "x", ["state"] = state });
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);

        // Where the browser is sent back must be ours.
        foreach (var returnUrl in new[] { "https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)" })
        {
            var answer = await forger.Send(HttpMethod.Get, "http://localhost/auth/sso?returnUrl=" + Uri.EscapeDataString(returnUrl));
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Equal("returnUrl", (await Problem(answer))["field"]!.GetValue<string>());
        }
    }
}
