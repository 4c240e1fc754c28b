using System.Security.Claims;
using System.Threading.RateLimiting;
using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.People;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>
/// Browser sign-in: `POST /auth/sign-in`, `POST /auth/sign-out`, `GET /auth/me` and `POST /auth/invitations/accept`.
/// They only establish who the caller is (a server-side session behind an HttpOnly cookie); what the caller may do
/// is the access policy's, as for a bearer token.
/// </summary>
public static class SignInEndpoints
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string SecondFactorRequired = "SECOND_FACTOR_REQUIRED";
    public const string SecondFactorEnrolmentRequired = "SECOND_FACTOR_ENROLMENT_REQUIRED";
    public const string InvitationInvalid = "INVITATION_INVALID";
    public const string InvitationExpired = "INVITATION_EXPIRED";
    public const string InvitationUsed = "INVITATION_USED";
    private const string WrongCredentials = "The organization, e-mail address, password or code is not right.";

    public static void MapSignIn(this WebApplication app)
    {
        var auth = app.MapGroup("/auth").AllowAnonymous();
        auth.MapPost("/sign-in", SignIn);
        auth.MapPost("/sign-out", SignOut);
        auth.MapGet("/me", Me);
        auth.MapPost("/invitations/accept", AcceptInvitation);
    }

    private static Task SignIn(HttpContext http) => AuthRequests.Answer(http, () => SignInAnswer(http));
    private static Task SignOut(HttpContext http) => AuthRequests.Answer(http, () => SignOutAnswer(http));
    private static Task AcceptInvitation(HttpContext http) => AuthRequests.Answer(http, () => AcceptInvitationAnswer(http));

    private static async Task<object> SignInAnswer(HttpContext http)
    {
        var services = http.RequestServices;
        var settings = services.GetRequiredService<SignInSettings>();
        var body = await AuthRequests.Read(http, settings,
            ("organization", true, 64), ("email", true, PeopleDecisions.MaxEmailLength), ("password", true, Passwords.MaximumLength), ("code", false, 64));
        if (!services.GetRequiredService<SignInRateLimiter>().TryAcquire(http.ClientAddress()))
        {
            http.Response.Headers.RetryAfter = "60";
            throw new AuthRequests.Refused(StatusCodes.Status429TooManyRequests, CommandGate.RateLimited, "Too many sign-in attempts from this address; try again in a minute.");
        }
        var organization = body["organization"]!;
        if (!Callers.IsOrganizationKey(organization))
            throw new AuthRequests.Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "organization must be an organization's key.", "organization");
        var password = body["password"]!;
        var code = body["code"];
        var passwords = services.GetRequiredService<Passwords>();
        var clock = services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        var address = http.ClientAddress();

        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession(organization);
        var key = PeopleDecisions.EmailKey(body["email"]!);
        var person = await session.Query<Person>().FirstOrDefaultAsync(p => p.EmailKey == key, http.RequestAborted);
        var credentials = person is { Status: PersonStatus.Active } ? await session.LoadAsync<SignInCredentials>(person.Id, http.RequestAborted) : null;
        var policy = await PeopleStore.PolicyInForce(session, http.RequestAborted);

        async Task<AuthRequests.Refused> Refuse(SecurityEventKind kind = SecurityEventKind.SignInFailed, string reason = Unauthenticated)
        {
            session.Store(SecurityEvent.Of(kind, now, address, person?.Id));
            await session.SaveChangesAsync(http.RequestAborted);
            return new AuthRequests.Refused(StatusCodes.Status401Unauthorized, reason, reason == Unauthenticated ? WrongCredentials : "A second-factor code is required.");
        }

        // Unknown, invited, disabled or locked: the same work and the same answer as a wrong password.
        if (person is null || credentials is null || credentials.LockedUntil > now)
        {
            passwords.VerifyNothing(password);
            throw await Refuse();
        }
        if (!passwords.Verify(credentials.PasswordHash, password))
            throw await Failed(session, credentials, policy, now, address, person, Refuse);

        string[]? recoveryCodes = null;
        if (credentials.SecondFactor is { } factor)
        {
            if (string.IsNullOrEmpty(code))
                throw await Refuse(SecurityEventKind.SignInFailed, SecondFactorRequired);
            if (SecondFactors.Verify(factor, code, now) is { } step && step > credentials.LastTimeStep)
                credentials.LastTimeStep = step;
            else if (SecondFactors.UseRecoveryCode(credentials.RecoveryCodeHashes, code))
                session.Store(SecurityEvent.Of(SecurityEventKind.RecoveryCodeUsed, now, address, person.Id, by: Subject(person)));
            else
                throw await Failed(session, credentials, policy, now, address, person, Refuse);
        }
        else if (policy.RequireSecondFactor)
        {
            // The organization requires a second factor this person has not got yet: enrol now, confirmed by a first code.
            if (string.IsNullOrEmpty(code) || credentials.PendingSecondFactor is null)
            {
                credentials.PendingSecondFactor ??= SecondFactors.NewKey();
                session.Store(credentials);
                await session.SaveChangesAsync(http.RequestAborted);
                var uri = SecondFactors.OtpAuthUri(credentials.PendingSecondFactor, organization, person.Email);
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return new
                {
                    code = SecondFactorEnrolmentRequired,
                    message = "Your organization requires a second factor: add this key to an authenticator app, then sign in again with its code.",
                    enrolment = new { secret = credentials.PendingSecondFactor, otpauthUri = uri, qrCode = SecondFactors.QrCode(uri) },
                };
            }
            if (SecondFactors.Verify(credentials.PendingSecondFactor, code, now) is not { } step)
                throw await Failed(session, credentials, policy, now, address, person, Refuse);
            recoveryCodes = Enrol(session, credentials, step, now, address, person);
        }

        credentials.FailedAttempts = 0;
        credentials.LockedUntil = null;
        session.Store(credentials);
        var cookie = BeginSession(session, person, policy, settings, now);
        session.Store(SecurityEvent.Of(SecurityEventKind.SignedIn, now, address, person.Id, by: Subject(person)));
        await session.SaveChangesAsync(http.RequestAborted);
        SetSessionCookie(http, cookie);
        return new { person = Me(person, organization), recoveryCodes };
    }

    /// <summary>
    /// A browser session for the person (in the session's organization), with the role, sites and therapist they have
    /// now: stored with the caller's other changes, its cookie answered once they are saved. Every way of signing in
    /// (password, single sign-on) ends here.
    /// </summary>
    internal static string BeginSession(IDocumentSession session, Person person, SecurityPolicy policy, SignInSettings settings, DateTimeOffset now)
    {
        var cookie = Secrets.Token(session.TenantId);
        session.Store(new BrowserSession
        {
            Id = Secrets.Hash(cookie), PersonId = person.Id, Role = person.Role, Sites = [.. person.Sites], TherapistId = person.TherapistId,
            CreatedAt = now, LastSeenAt = now, ExpiresAt = now + settings.SessionMaxAge, IdleHours = policy.SessionIdleHours,
        });
        return cookie;
    }

    internal static void SetSessionCookie(HttpContext http, string cookie) => http.Response.Cookies.Append(SignInSettings.CookieName, cookie, CookieOptions(http));

    /// <summary>A wrong password or code: one more failure in a row; at the policy's count, locked for its minutes.</summary>
    private static async Task<AuthRequests.Refused> Failed(IDocumentSession session, SignInCredentials credentials, SecurityPolicy policy, DateTimeOffset now, string address,
        Person person, Func<SecurityEventKind, string, Task<AuthRequests.Refused>> refuse)
    {
        credentials.FailedAttempts++;
        if (credentials.FailedAttempts >= policy.LockoutAttempts)
        {
            credentials.FailedAttempts = 0;
            credentials.LockedUntil = now.AddMinutes(policy.LockoutMinutes);
            session.Store(SecurityEvent.Of(SecurityEventKind.LockedOut, now, address, person.Id));
        }
        session.Store(credentials);
        return await refuse(SecurityEventKind.SignInFailed, Unauthenticated);
    }

    private static string[] Enrol(IDocumentSession session, SignInCredentials credentials, long step, DateTimeOffset now, string address, Person person)
    {
        var (codes, hashes) = SecondFactors.NewRecoveryCodes();
        credentials.SecondFactor = credentials.PendingSecondFactor;
        credentials.PendingSecondFactor = null;
        credentials.LastTimeStep = step;
        credentials.RecoveryCodeHashes = hashes;
        session.Events.Append(person.Id, new SecondFactorEnrolled(person.Id, now));
        session.Store(SecurityEvent.Of(SecurityEventKind.SecondFactorEnrolled, now, address, person.Id, by: Subject(person)));
        return codes;
    }

    private static async Task<object> SignOutAnswer(HttpContext http)
    {
        await AuthRequests.Read(http, http.RequestServices.GetRequiredService<SignInSettings>());
        var cookie = http.Request.Cookies[SignInSettings.CookieName];
        http.Response.Cookies.Delete(SignInSettings.CookieName, CookieOptions(http));
        if (cookie is not null && Secrets.OrganizationOf(cookie) is { } organization && http.User.Identity?.AuthenticationType == SessionAuthentication.Scheme)
        {
            var services = http.RequestServices;
            await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession(organization);
            var browser = await session.LoadAsync<BrowserSession>(Secrets.Hash(cookie), http.RequestAborted);
            if (browser is not null)
            {
                session.Delete(browser);
                session.Store(SecurityEvent.Of(SecurityEventKind.SignedOut, services.GetRequiredService<TimeProvider>().GetUtcNow(), http.ClientAddress(), browser.PersonId,
                    by: SessionAuthentication.SubjectOf(browser.PersonId)));
                await session.SaveChangesAsync(http.RequestAborted);
            }
        }
        return new { signedOut = true };
    }

    private static async Task Me(HttpContext http)
    {
        if (http.User.FindFirst(SessionAuthentication.PersonClaim)?.Value is not { } id || !Guid.TryParse(id, out var personId)
            || http.User.FindFirst(ClaimNames.Organization)?.Value is not { } organization)
        {
            await Refusals.Write(http, StatusCodes.Status401Unauthorized, Unauthenticated, "Nobody is signed in.");
            return;
        }
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(organization);
        var person = await session.LoadAsync<Person>(personId, http.RequestAborted);
        if (person is not { Status: PersonStatus.Active })
        {
            await Refusals.Write(http, StatusCodes.Status401Unauthorized, Unauthenticated, "Nobody is signed in.");
            return;
        }
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsJsonAsync(Me(person, organization), http.RequestAborted);
    }

    private static object Me(Person person, string organization) => new
    {
        id = person.Id,
        displayName = person.DisplayName,
        role = person.Role.ToString().ToUpperInvariant(),
        organization,
        sites = person.Sites,
        therapistId = person.TherapistId,
    };

    private static async Task<object> AcceptInvitationAnswer(HttpContext http)
    {
        var services = http.RequestServices;
        var settings = services.GetRequiredService<SignInSettings>();
        var body = await AuthRequests.Read(http, settings, ("token", true, 200), ("password", true, Passwords.MaximumLength), ("code", false, 64));
        var token = body["token"]!;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var address = http.ClientAddress();
        var invalid = new AuthRequests.Refused(StatusCodes.Status400BadRequest, InvitationInvalid, "This invitation link is not valid: copy it again from the message, or ask an administrator for a new one.", "token");
        if (Secrets.OrganizationOf(token) is not { } organization)
            throw invalid;
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession(organization);
        var invitation = await session.LoadAsync<Invitation>(Secrets.Hash(token), http.RequestAborted);
        if (invitation is null)
            throw invalid;
        if (invitation.UsedAt is not null)
            throw new AuthRequests.Refused(StatusCodes.Status410Gone, InvitationUsed, "This invitation link was used already: sign in, or ask an administrator for a new link.", "token");
        if (invitation.ExpiresAt <= now)
            throw new AuthRequests.Refused(StatusCodes.Status410Gone, InvitationExpired, "This invitation link has expired: ask an administrator for a new one.", "token");
        var stream = await session.Events.FetchForWriting<Person>(invitation.PersonId, http.RequestAborted);
        if (stream.Aggregate is not { Status: PersonStatus.Invited } person)
            throw new AuthRequests.Refused(StatusCodes.Status410Gone, InvitationUsed, "This invitation is no longer open: ask an administrator.", "token");
        var password = body["password"]!;
        Passwords.Check(password, person.Email);
        var policy = await PeopleStore.PolicyInForce(session, http.RequestAborted);

        var credentials = new SignInCredentials { Id = person.Id, PasswordHash = services.GetRequiredService<Passwords>().Hash(password) };
        string[]? recoveryCodes = null;
        if (policy.RequireSecondFactor)
        {
            var code = body["code"];
            if (string.IsNullOrEmpty(code) || invitation.PendingSecondFactor is null)
            {
                invitation.PendingSecondFactor ??= SecondFactors.NewKey();
                session.Store(invitation);
                await session.SaveChangesAsync(http.RequestAborted);
                var uri = SecondFactors.OtpAuthUri(invitation.PendingSecondFactor, organization, person.Email);
                return new
                {
                    activated = false,
                    secondFactorRequired = true,
                    message = "Add this key to an authenticator app, then send the password again with the app's code.",
                    enrolment = new { secret = invitation.PendingSecondFactor, otpauthUri = uri, qrCode = SecondFactors.QrCode(uri) },
                };
            }
            if (SecondFactors.Verify(invitation.PendingSecondFactor, code, now) is not { } step)
                throw new AuthRequests.Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "The code is not the one the authenticator shows now.", "code");
            var (codes, hashes) = SecondFactors.NewRecoveryCodes();
            credentials.SecondFactor = invitation.PendingSecondFactor;
            credentials.LastTimeStep = step;
            credentials.RecoveryCodeHashes = hashes;
            recoveryCodes = codes;
            session.Store(SecurityEvent.Of(SecurityEventKind.SecondFactorEnrolled, now, address, person.Id, by: Subject(person)));
        }
        invitation.UsedAt = now;
        invitation.PendingSecondFactor = null;
        session.Store(invitation);
        session.Store(credentials);
        stream.AppendOne(new PersonActivated(person.Id, credentials.SecondFactor is not null, now));
        session.Store(SecurityEvent.Of(SecurityEventKind.InvitationAccepted, now, address, person.Id, by: Subject(person)));
        await session.SaveChangesAsync(http.RequestAborted);
        return new { activated = true, secondFactorRequired = policy.RequireSecondFactor, recoveryCodes };
    }

    private static string Subject(Person person) => SessionAuthentication.SubjectOf(person.Id);

    private static CookieOptions CookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/",
        IsEssential = true,
    };
}

/// <summary>Sign-in attempts per client address (Auth__SignInsPerMinute), beside the per-account lockout.</summary>
public sealed class SignInRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SignInRateLimiter(SignInSettings settings)
    {
        var perMinute = Math.Max(1, settings.SignInsPerMinute);
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public bool TryAcquire(string address)
    {
        using var lease = _limiter.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
