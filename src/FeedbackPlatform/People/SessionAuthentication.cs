using System.Security.Claims;
using System.Text.Encodings.Web;
using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical.Access;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace FeedbackPlatform.People;

/// <summary>
/// Who a request comes from, besides a bearer JWT: a browser session (the fp_session cookie) or an API key
/// (`Authorization: Bearer fp_...`). Both are looked up in the store on every request, so signing out, disabling a
/// person, changing their access or revoking a key takes effect at once on every node. Both yield the same claims
/// as a token (sub, role, org, site, therapist, scope) plus the person or key id; the access policy decides the rest.
/// </summary>
public static class SessionAuthentication
{
    public const string Scheme = "Session";
    public const string ApiKeyScheme = "ApiKey";
    public const string PlatformScheme = "Platform";
    public const string PersonClaim = "person";
    public const string ApiKeyClaim = "api_key";

    public static string SubjectOf(Guid personId) => $"person:{personId}";
    public static string SubjectOfKey(Guid apiKeyId) => $"api-key:{apiKeyId}";

    /// <summary>The person or key a caller's subject names, for the access log.</summary>
    public static (Guid? Person, Guid? ApiKey) Named(string subject) =>
        subject.StartsWith("person:", StringComparison.Ordinal) && Guid.TryParse(subject[7..], out var p) ? (p, null)
        : subject.StartsWith("api-key:", StringComparison.Ordinal) && Guid.TryParse(subject[8..], out var k) ? (null, k)
        : (null, null);

    /// <summary>Picks the handler from what the request carries; challenges and refusals stay the bearer handler's answers.</summary>
    public static AuthenticationBuilder AddSessionsAndApiKeys(this AuthenticationBuilder builder) => builder
        .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(Scheme, null)
        .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
        .AddPolicyScheme(PlatformScheme, null, o =>
        {
            o.ForwardDefaultSelector = http =>
            {
                var authorization = http.Request.Headers.Authorization.ToString();
                if (authorization.StartsWith("Bearer " + People.ApiKeys.Prefix, StringComparison.Ordinal))
                    return ApiKeyScheme;
                if (authorization.Length == 0 && http.Request.Cookies.ContainsKey(SignInSettings.CookieName))
                    return Scheme;
                return JwtBearerDefaults.AuthenticationScheme;
            };
            o.ForwardChallenge = JwtBearerDefaults.AuthenticationScheme;
            o.ForwardForbid = JwtBearerDefaults.AuthenticationScheme;
        });

    internal static ClaimsPrincipal Principal(string scheme, string subject, Role role, string organization, IEnumerable<Guid> sites, Guid? therapist,
        IEnumerable<string> scope, (string Type, string Value) id)
    {
        var claims = new List<Claim>
        {
            new(ClaimNames.Subject, subject),
            new(ClaimNames.Role, role.ToString().ToLowerInvariant()),
            new(ClaimNames.Organization, organization),
            new(id.Type, id.Value),
        };
        claims.AddRange(sites.Select(s => new Claim(ClaimNames.Site, s.ToString())));
        if (therapist is { } t)
            claims.Add(new Claim(ClaimNames.Therapist, t.ToString()));
        if (scope.Any())
            claims.Add(new Claim(ClaimNames.Scope, string.Join(' ', scope)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimNames.Subject, ClaimNames.Role));
    }

    /// <summary>
    /// A request carrying the session cookie is a browser's: it is taken only as application/json (a form post or a
    /// text/plain body, which another site's page can send without asking, is refused) and only when its Origin,
    /// if any, is the platform's own.
    /// </summary>
    public static IApplicationBuilder UseSessionCsrfGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity is { IsAuthenticated: true, AuthenticationType: Scheme })
        {
            var settings = http.RequestServices.GetRequiredService<SignInSettings>();
            var safe = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method);
            if (!AuthRequests.OriginIsOurs(http.Request, settings))
            {
                await Refusals.Write(http, StatusCodes.Status403Forbidden, AuthRequests.CsrfRefused, "A signed-in request from another site's page is refused.");
                return;
            }
            if (!safe && !AuthRequests.IsJson(http.Request.ContentType))
            {
                await Refusals.Write(http, StatusCodes.Status403Forbidden, AuthRequests.CsrfRefused, "A signed-in request must send application/json.");
                return;
            }
        }
        await next(http);
    });
}

public sealed class SessionAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IDocumentStore store, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var cookie = Request.Cookies[SignInSettings.CookieName];
        if (cookie is null)
            return AuthenticateResult.NoResult();
        if (Secrets.OrganizationOf(cookie) is not { } organization)
            return AuthenticateResult.Fail("Not a session cookie.");
        await using var session = store.LightweightSession(organization);
        var browser = await session.LoadAsync<BrowserSession>(Secrets.Hash(cookie), Context.RequestAborted);
        if (browser is null)
            return AuthenticateResult.Fail("No such session.");
        var now = clock.GetUtcNow();
        if (now >= browser.ExpiresAt || now - browser.LastSeenAt >= TimeSpan.FromHours(browser.IdleHours))
        {
            session.Delete(browser);
            await session.SaveChangesAsync(Context.RequestAborted);
            return AuthenticateResult.Fail("The session has ended.");
        }
        if (now - browser.LastSeenAt >= TouchEvery)
        {
            browser.LastSeenAt = now;
            session.Store(browser);
            await session.SaveChangesAsync(Context.RequestAborted);
        }
        var principal = SessionAuthentication.Principal(Scheme.Name, SessionAuthentication.SubjectOf(browser.PersonId), browser.Role, organization, browser.Sites,
            browser.TherapistId, [], (SessionAuthentication.PersonClaim, browser.PersonId.ToString()));
        return Callers.Read(principal, out var problem) is null
            ? AuthenticateResult.Fail(problem!)
            : AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}

public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IDocumentStore store, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        if (People.ApiKeys.OrganizationOf(key) is not { } organization)
            return AuthenticateResult.Fail("Not an API key.");
        await using var session = store.LightweightSession(organization);
        var hash = Secrets.Hash(key);
        var lookup = await session.LoadAsync<ApiKeyHash>(hash, Context.RequestAborted);
        var apiKey = lookup is null ? null : await session.LoadAsync<ApiKey>(lookup.ApiKeyId, Context.RequestAborted);
        if (apiKey is null || apiKey.RevokedAt is not null || !Secrets.SameHash(key, apiKey.KeyHash))
            return AuthenticateResult.Fail("No such API key.");
        var now = clock.GetUtcNow();
        if (apiKey.LastUsedAt is null || now - apiKey.LastUsedAt >= TouchEvery)
        {
            if (apiKey.LastUsedAt is null)
                session.Store(SecurityEvent.Of(SecurityEventKind.ApiKeyFirstUsed, now, Context.ClientAddress(), apiKeyId: apiKey.Id, by: SessionAuthentication.SubjectOfKey(apiKey.Id)));
            apiKey.LastUsedAt = now;
            session.Store(apiKey);
            await session.SaveChangesAsync(Context.RequestAborted);
        }
        var principal = SessionAuthentication.Principal(Scheme.Name, SessionAuthentication.SubjectOfKey(apiKey.Id), apiKey.Role, organization, apiKey.Sites, null,
            apiKey.Scope, (SessionAuthentication.ApiKeyClaim, apiKey.Id.ToString()));
        return Callers.Read(principal, out var problem) is null
            ? AuthenticateResult.Fail(problem!)
            : AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
