using System.Net;
using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.People;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace FeedbackPlatform.People;

/// <summary>
/// Single sign-on through the organization's identity provider (Auth__Sso__*): OpenID Connect's authorization code
/// flow with PKCE. All the platform takes from the provider is who the person is (their e-mail address) and, only
/// where claims are mapped, their role, sites and therapist id. A person signs in only when an admin invited them:
/// the address is matched (whatever its case) to an invited or active person of the organization, never registered.
/// Read by Hosting/PlatformSettings; null there when Auth__Sso__Authority is not set (single sign-on is off).
/// </summary>
public sealed record SingleSignOnSettings(
    string Authority, string ClientId, string? ClientSecret, string Organization, string? OrganizationClaim, string EmailClaim,
    string? RoleClaim, string? SitesClaim, string? TherapistClaim, IReadOnlyList<string> Scopes, bool RequireHttpsMetadata)
{
    public const string Scheme = "SingleSignOn";
    public const string StartPath = "/auth/sso";
    public const string CallbackPath = "/auth/sso/callback";
    /// <summary>Who a change of access made at sign-in from the provider's claims is recorded as.</summary>
    public const string ChangedBy = "sso";
}

public static class SingleSignOn
{
    public const string Refused = "SSO_REFUSED";
    public const string Failed = "SSO_FAILED";
    public const string NotConfigured = "SSO_NOT_CONFIGURED";
    private const string NoSuchPerson =
        "You are signed in at your identity provider, but nobody invited and active with your address is a person of this organization here: ask an administrator to invite you.";

    /// <summary>The OpenID Connect handler, when Auth__Sso__Authority is set. It only proves who the person is; the session is ours.</summary>
    public static AuthenticationBuilder AddSingleSignOn(this AuthenticationBuilder builder, SingleSignOnSettings? sso)
    {
        builder.Services.AddSingleton(new SingleSignOnOptionsHolder(sso));
        if (sso is null)
            return builder;
        builder.Services.PostConfigure<LoggerFilterOptions>(KeepTheCodeOutOfLogs);
        return builder.AddOpenIdConnect(SingleSignOnSettings.Scheme, o =>
        {
            o.Authority = sso.Authority;
            o.ClientId = sso.ClientId;
            o.ClientSecret = sso.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            // The code comes back in a POST body (form_post), so it never appears in a URL, a request log or a referrer.
            o.ResponseMode = OpenIdConnectResponseMode.FormPost;
            o.UsePkce = true;
            o.SaveTokens = false;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.DisableTelemetry = true;
            o.RequireHttpsMetadata = sso.RequireHttpsMetadata;
            o.CallbackPath = SingleSignOnSettings.CallbackPath;
            o.Scope.Clear();
            foreach (var scope in sso.Scopes.Distinct())
                o.Scope.Add(scope);
            // The correlation and nonce cookies are the flow's only state: short-lived, HttpOnly, apart from fp_session.
            o.RemoteAuthenticationTimeout = TimeSpan.FromMinutes(10);
            o.CorrelationCookie.Name = "fp_sso_correlation.";
            o.NonceCookie.Name = "fp_sso_nonce.";
            o.CorrelationCookie.Path = o.NonceCookie.Path = SingleSignOnSettings.StartPath;
            // Secure whenever the request is HTTPS (as fp_session); on plain HTTP (Development, loopback tests) they could not come back at all.
            o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The id token must be the provider's (issuer, signature from its JWKS), for us (aud = our client id) and current.
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidAudience = sso.ClientId,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
            };
            o.Events = new OpenIdConnectEvents
            {
                OnRedirectToIdentityProvider = context =>
                {
                    // Only /auth/sso starts a sign-in; anything else that would challenge this scheme is not ours to redirect.
                    if (!context.HttpContext.Request.Path.Equals(SingleSignOnSettings.StartPath))
                    {
                        context.HandleResponse();
                        return Refusals.Write(context.HttpContext, StatusCodes.Status401Unauthorized, SignInEndpoints.Unauthenticated, "Sign in first.");
                    }
                    return Task.CompletedTask;
                },
                OnMessageReceived = async context =>
                {
                    if (!Counted(context.HttpContext))
                    {
                        context.HandleResponse();
                        context.HttpContext.Response.Headers.RetryAfter = "60";
                        await Refusals.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, CommandGate.RateLimited, "Too many sign-in attempts from this address; try again in a minute.");
                    }
                },
                OnTicketReceived = Complete,
                OnRemoteFailure = RemoteFailure,
            };
        });
    }

    /// <summary>
    /// At Trace the OpenID Connect handler logs the provider's whole answer, authorization code included. Whatever the
    /// configuration asks (Logging__LogLevel__*), its category logs from Debug up, for every provider of logs.
    /// </summary>
    public static void KeepTheCodeOutOfLogs(LoggerFilterOptions options)
    {
        const string category = "Microsoft.AspNetCore.Authentication.OpenIdConnect";
        foreach (var provider in options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList())
        {
            // The rule the logging would choose for the handler (a provider's own before the general ones, the longest category).
            var chosen = options.Rules
                .Where(r => (r.ProviderName is null || r.ProviderName == provider) && (r.CategoryName is null || category.StartsWith(r.CategoryName, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(r => r.ProviderName is null ? 0 : 1).ThenBy(r => r.CategoryName?.Length ?? 0).LastOrDefault();
            if ((chosen?.LogLevel ?? options.MinLevel) < LogLevel.Debug)
                options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Debug, chosen?.Filter));
        }
    }

    public static void MapSingleSignOn(this WebApplication app)
    {
        app.MapGet(SingleSignOnSettings.StartPath, Start).AllowAnonymous();
        app.MapGet(OptionsPath, Options).AllowAnonymous();
    }

    /// <summary>`GET /auth/options`: what a sign-in page offers (whether single sign-on is set up); nothing about anyone.</summary>
    public const string OptionsPath = "/auth/options";

    private static Task Options(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsJsonAsync(new { singleSignOn = http.RequestServices.GetRequiredService<SingleSignOnOptionsHolder>().Settings is not null }, http.RequestAborted);
    }

    /// <summary>`GET /auth/sso?returnUrl=/path`: off to the identity provider; back at returnUrl (a path of ours, `/` by default) signed in.</summary>
    private static async Task Start(HttpContext http)
    {
        var services = http.RequestServices;
        if (services.GetRequiredService<SingleSignOnOptionsHolder>().Settings is null)
        {
            await Refusals.Write(http, StatusCodes.Status404NotFound, NotConfigured, "Single sign-on is not set up for this platform (Auth__Sso__Authority).");
            return;
        }
        var returnUrl = http.Request.Query["returnUrl"].ToString();
        if (returnUrl.Length == 0)
            returnUrl = "/";
        if (!IsLocalPath(returnUrl))
        {
            await Refusals.Write(http, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "returnUrl must be a path of this platform (starting with a single /), of at most 2000 characters.", "returnUrl");
            return;
        }
        if (!services.GetRequiredService<SignInRateLimiter>().TryAcquire(http.ClientAddress()))
        {
            http.Response.Headers.RetryAfter = "60";
            await Refusals.Write(http, StatusCodes.Status429TooManyRequests, CommandGate.RateLimited, "Too many sign-in attempts from this address; try again in a minute.");
            return;
        }
        http.Response.Headers.CacheControl = "no-store";
        await http.ChallengeAsync(SingleSignOnSettings.Scheme, new AuthenticationProperties { RedirectUri = returnUrl });
    }

    /// <summary>A path on this platform: one leading slash (not `//host` or `/\host`, which browsers take for another site), no controls.</summary>
    public static bool IsLocalPath(string url) =>
        url is { Length: > 0 and <= 2000 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);

    /// <summary>
    /// The provider has proved who this is (state, PKCE, nonce, the id token's issuer, audience, signature and lifetime all
    /// checked by the handler). Match the address to an invited or active person, apply mapped claims, begin our session.
    /// The handler's own sign-in never runs: the platform keeps no copy of the provider's tokens or claims.
    /// </summary>
    private static async Task Complete(TicketReceivedContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var services = http.RequestServices;
        var sso = services.GetRequiredService<SingleSignOnOptionsHolder>().Settings!;
        var settings = services.GetRequiredService<SignInSettings>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var address = http.ClientAddress();
        var claims = context.Principal!;

        var organization = sso.OrganizationClaim is { } organizationClaim && claims.FindFirst(organizationClaim)?.Value is { Length: > 0 } named ? named : sso.Organization;
        if (!Callers.IsOrganizationKey(organization))
        {
            await RecordRefusal(services, sso.Organization, now, address, null, http.RequestAborted);
            await Refusals.Write(http, StatusCodes.Status403Forbidden, Refused, $"The identity provider's {sso.OrganizationClaim} claim does not name an organization of this platform.");
            return;
        }
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession(organization);

        async Task Refuse(string message, Guid? personId = null)
        {
            session.Store(SecurityEvent.Of(SecurityEventKind.SsoRefused, now, address, personId));
            await session.SaveChangesAsync(http.RequestAborted);
            await Refusals.Write(http, StatusCodes.Status403Forbidden, Refused, message);
        }

        var email = claims.FindFirst(sso.EmailClaim)?.Value;
        if (string.IsNullOrWhiteSpace(email))
        {
            await Refuse($"The identity provider did not say your e-mail address (the {sso.EmailClaim} claim of the id token).");
            return;
        }
        if (string.Equals(claims.FindFirst("email_verified")?.Value, "false", StringComparison.OrdinalIgnoreCase))
        {
            await Refuse("The identity provider has not verified your e-mail address.");
            return;
        }
        var key = PeopleDecisions.EmailKey(email);
        var found = await session.Query<Person>().FirstOrDefaultAsync(p => p.EmailKey == key, http.RequestAborted);
        if (found is null || found.Status == PersonStatus.Disabled)
        {
            await Refuse(NoSuchPerson, found?.Id);
            return;
        }
        var stream = await session.Events.FetchForWriting<Person>(found.Id, http.RequestAborted);
        var person = stream.Aggregate ?? found;

        // Mapped claims (Auth__Sso__RoleClaim, SitesClaim, TherapistClaim) say what the person may do, under the same rules
        // as an admin's change; an unmapped or absent claim leaves the person's own record as it is.
        if (MappedAccess(sso, claims, person, out var problem) is { } access)
        {
            IReadOnlyList<object> changes;
            try
            {
                changes = PeopleDecisions.ChangeAccess(person, await PeopleStore.ActiveAdmins(session, http.RequestAborted), access.Role, access.Sites, access.TherapistId,
                    SingleSignOnSettings.ChangedBy, now);
            }
            catch (ClinicalRejection rejection)
            {
                await Refuse("Your identity provider's claims do not give you access this platform accepts: " + rejection.Message, person.Id);
                return;
            }
            if (changes.Count > 0)
            {
                stream.AppendMany(changes);
                person = changes.Aggregate(person, (p, e) => p.When(e));
                // What a session grants was the person's access when it began: a change ends them all, as an admin's does.
                PeopleStore.EndSessionsOf(session, person.Id);
                session.Store(SecurityEvent.Of(SecurityEventKind.AccessChanged, now, address, person.Id, by: SingleSignOnSettings.ChangedBy));
            }
        }
        else if (problem is not null)
        {
            await Refuse(problem, person.Id);
            return;
        }

        var subject = SessionAuthentication.SubjectOf(person.Id);
        if (person.Status == PersonStatus.Invited)
        {
            // The first sign-in accepts the invitation, as a password would; the person has no password of ours.
            var activated = new PersonActivated(person.Id, false, now);
            stream.AppendOne(activated);
            person = person.When(activated);
            session.Store(SecurityEvent.Of(SecurityEventKind.InvitationAccepted, now, address, person.Id, by: subject));
        }
        var policy = await PeopleStore.PolicyInForce(session, http.RequestAborted);
        var cookie = SignInEndpoints.BeginSession(session, person, policy, settings, now);
        session.Store(SecurityEvent.Of(SecurityEventKind.SsoSignedIn, now, address, person.Id, by: subject));
        await session.SaveChangesAsync(http.RequestAborted);
        SignInEndpoints.SetSessionCookie(http, cookie);
        http.Response.Headers.CacheControl = "no-store";
        var returnUrl = context.ReturnUri is { } r && IsLocalPath(r) ? r : "/";
        http.Response.Redirect(returnUrl);
    }

    /// <summary>The access the mapped claims give, or null (with a problem when a mapped claim is there but not usable).</summary>
    private static (Role Role, IReadOnlyList<Guid> Sites, Guid? TherapistId)? MappedAccess(SingleSignOnSettings sso, System.Security.Claims.ClaimsPrincipal claims, Person person, out string? problem)
    {
        problem = null;
        Role? role = null;
        if (sso.RoleClaim is { } roleClaim)
        {
            var named = claims.FindAll(roleClaim).SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
                .Select(v => Enum.TryParse<Role>(v, ignoreCase: true, out var r) && Enum.IsDefined(r) && !int.TryParse(v, out _) ? r : (Role?)null)
                .OfType<Role>().Distinct().ToList();
            if (named.Count > 1)
            {
                problem = $"Your identity provider's {roleClaim} claim names more than one of this platform's roles.";
                return null;
            }
            role = named.Count == 1 ? named[0] : null;
        }
        IReadOnlyList<Guid>? sites = null;
        if (sso.SitesClaim is { } sitesClaim && claims.FindAll(sitesClaim).ToList() is { Count: > 0 } siteClaims)
        {
            var values = siteClaims.SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)).ToList();
            var parsed = values.Select(v => Guid.TryParse(v, out var g) ? g : (Guid?)null).ToList();
            if (parsed.Any(g => g is null))
            {
                problem = $"Every value of your identity provider's {sitesClaim} claim must be a site's id (a UUID).";
                return null;
            }
            sites = parsed.Select(g => g!.Value).Distinct().ToList();
        }
        Guid? therapist = null;
        var therapistNamed = false;
        if (sso.TherapistClaim is { } therapistClaim && claims.FindFirst(therapistClaim)?.Value is { Length: > 0 } t)
        {
            if (!Guid.TryParse(t, out var id))
            {
                problem = $"Your identity provider's {therapistClaim} claim must be a therapist's id (a UUID).";
                return null;
            }
            therapist = id;
            therapistNamed = true;
        }
        if (role is null && sites is null && !therapistNamed)
            return null;
        var newRole = role ?? person.Role;
        // A therapist id belongs to a clinician only: when the provider makes someone no clinician, it goes.
        var newTherapist = therapistNamed ? therapist : newRole == Role.Clinician ? person.TherapistId : null;
        return (newRole, sites ?? person.Sites, newTherapist);
    }

    /// <summary>
    /// The flow went wrong before anyone was proved: no or a forged state, an expired or foreign correlation, an error from
    /// the provider, a code it would not redeem, an id token not for us. A coded 4xx, recorded without any detail of it.
    /// </summary>
    private static async Task RemoteFailure(RemoteFailureContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var services = http.RequestServices;
        var sso = services.GetRequiredService<SingleSignOnOptionsHolder>().Settings!;
        http.Response.Headers.CacheControl = "no-store";
        // A callback that never reached the handler's message event (no message at all) counts here, so garbage cannot flood the log.
        if (!Counted(http))
        {
            http.Response.Headers.RetryAfter = "60";
            await Refusals.Write(http, StatusCodes.Status429TooManyRequests, CommandGate.RateLimited, "Too many sign-in attempts from this address; try again in a minute.");
            return;
        }
        await RecordRefusal(services, sso.Organization, services.GetRequiredService<TimeProvider>().GetUtcNow(), http.ClientAddress(), null, http.RequestAborted);
        if (context.Failure is SecurityTokenException or OpenIdConnectProtocolException)
            await Refusals.Write(http, StatusCodes.Status401Unauthorized, Failed,
                "Your identity provider did not sign you in, or what it answered is not valid for this platform: start again from the sign-in page.");
        else
            await Refusals.Write(http, StatusCodes.Status400BadRequest, Failed,
                "This sign-in could not be completed (it expired, was started in another browser, or the request was altered): start again from the sign-in page.");
    }

    /// <summary>One sign-in attempt per callback request against the client address's allowance: false when it is used up.</summary>
    private static bool Counted(HttpContext http)
    {
        const string key = "FeedbackPlatform.SsoAttemptCounted";
        if (http.Items.ContainsKey(key))
            return true;
        http.Items[key] = true;
        return http.RequestServices.GetRequiredService<SignInRateLimiter>().TryAcquire(http.ClientAddress());
    }

    private static async Task RecordRefusal(IServiceProvider services, string organization, DateTimeOffset now, string address, Guid? personId, CancellationToken ct)
    {
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession(organization);
        session.Store(SecurityEvent.Of(SecurityEventKind.SsoRefused, now, address, personId));
        await session.SaveChangesAsync(ct);
    }
}

/// <summary>The single sign-on settings in force (null when it is off), for the endpoints.</summary>
public sealed record SingleSignOnOptionsHolder(SingleSignOnSettings? Settings);
