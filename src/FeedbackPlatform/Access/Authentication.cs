using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.People;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FeedbackPlatform.Access;

/// <summary>
/// Auth__SigningKey (HS256, at least 32 bytes), Auth__Issuer and Auth__Audience (both "feedback-platform" by
/// default) for self-hosting; or Auth__Authority (+ Auth__Audience) to accept a clinic's OpenID Connect provider.
/// </summary>
public sealed record AuthSettings(string? SigningKey, string Issuer, string Audience, string? Authority)
{
    public const string DefaultName = "feedback-platform";
    public const int MinimumKeyBytes = 32;

    public static AuthSettings From(IConfiguration configuration) => new(
        configuration["Auth:SigningKey"] is { Length: > 0 } key ? key : null,
        configuration["Auth:Issuer"] is { Length: > 0 } issuer ? issuer : DefaultName,
        configuration["Auth:Audience"] is { Length: > 0 } audience ? audience : DefaultName,
        configuration["Auth:Authority"] is { Length: > 0 } authority ? authority : null);

    public bool HasUsableKey => SigningKey is not null && Encoding.UTF8.GetByteCount(SigningKey) >= MinimumKeyBytes;

    public SymmetricSecurityKey Key() => new(Encoding.UTF8.GetBytes(SigningKey!));
}

/// <summary>The claims of our tokens, as they arrive (inbound claim mapping is off).</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Organization = "org";
    public const string Site = "site";
    public const string Therapist = "therapist";
    public const string Scope = "scope";
    /// <summary>The scope that lets an integrator read free text (goal descriptions, notes).</summary>
    public const string FreeTextScope = "free-text";
}

public static class Authentication
{
    public static IServiceCollection AddPlatformAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, bool serving)
    {
        var auth = AuthSettings.From(configuration);
        if (auth.Authority is null && !auth.HasUsableKey)
        {
            // Commands that serve nothing (migrations, code generation, describe, seeding) run without a key; serving
            // outside Development is refused. Otherwise a random key stands in: nothing validates, nothing is open.
            if (serving && (auth.SigningKey is not null || !environment.IsDevelopment()))
                throw new InvalidOperationException(
                    $"Auth__SigningKey must be set to a secret of at least {AuthSettings.MinimumKeyBytes} bytes (or Auth__Authority to an OpenID Connect provider); " +
                    "the platform will not serve health data without authentication.");
            auth = auth with { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) };
        }
        services.AddSingleton(auth);
        services.AddAuthorization();
        // A bearer JWT, a browser session or an API key: People/SessionAuthentication picks the handler per request.
        // Single sign-on (Auth__Sso__*) only proves who a person is and ends in the same browser session as a password.
        services.AddAuthentication(People.SessionAuthentication.PlatformScheme).AddSessionsAndApiKeys()
            .AddSingleSignOn(SingleSignOnSettings.From(configuration, environment)).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.RequireHttpsMetadata = !environment.IsDevelopment();
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = auth.Authority is null,
                ValidIssuer = auth.Issuer,
                ValidateAudience = true,
                ValidAudience = auth.Audience,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = ClaimNames.Subject,
                RoleClaimType = ClaimNames.Role,
            };
            if (auth.Authority is not null)
            {
                o.Authority = auth.Authority;
                o.Audience = auth.Audience;
            }
            else
            {
                o.TokenValidationParameters.IssuerSigningKey = auth.Key();
                o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
            o.Events = new JwtBearerEvents
            {
                // A signed token that does not say who and where (role, organization, sites) is no token for us.
                OnTokenValidated = context =>
                {
                    if (Callers.Read(context.Principal!, out var problem) is null)
                        context.Fail(problem!);
                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await Refusals.Write(context.HttpContext, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED",
                        "A valid bearer token (Authorization: Bearer <token>) or a signed-in session is required.");
                },
                OnForbidden = context => Refusals.Write(context.HttpContext, StatusCodes.Status403Forbidden, "FORBIDDEN", "Not allowed."),
            };
        });
        return services;
    }
}

/// <summary>Refusals before a request reaches GraphQL or REST, in the shape of the endpoint that was asked.</summary>
public static class Refusals
{
    public static async Task Write(HttpContext http, int status, string code, string message, string? field = null)
    {
        if (http.Response.HasStarted)
            return;
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
            http.Response.Headers.WWWAuthenticate = "Bearer";
        if (http.Request.Path.StartsWithSegments("/graphql"))
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            var extensions = new Dictionary<string, object?> { ["code"] = code };
            if (field is not null)
                extensions["field"] = field;
            await JsonSerializer.SerializeAsync(http.Response.Body, new { errors = new[] { new { message, extensions } } });
        }
        else
        {
            http.Response.ContentType = "application/problem+json; charset=utf-8";
            await JsonSerializer.SerializeAsync(http.Response.Body, new { type = "about:blank", title = code, status, detail = message, code, field });
        }
    }
}

/// <summary>Reads the caller out of a validated token.</summary>
public static class Callers
{
    private const string ItemKey = "FeedbackPlatform.Caller";

    public static Caller? Read(ClaimsPrincipal principal, out string? problem)
    {
        problem = null;
        var subject = principal.FindFirst(ClaimNames.Subject)?.Value;
        var organization = principal.FindFirst(ClaimNames.Organization)?.Value;
        var roleText = principal.FindFirst(ClaimNames.Role)?.Value;
        if (string.IsNullOrWhiteSpace(subject) || string.IsNullOrWhiteSpace(organization))
        {
            problem = "The token must carry sub and org.";
            return null;
        }
        // The organization is the tenant id in the store: a short key, not free text.
        if (!IsOrganizationKey(organization))
        {
            problem = "The org claim must be a key of at most 64 letters, digits, '-', '_' or '.'.";
            return null;
        }
        if (!Enum.TryParse<Role>(roleText, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(roleText, out _))
        {
            problem = "The token's role must be clinician, director, integrator or admin.";
            return null;
        }
        var sites = new HashSet<Guid>();
        foreach (var site in principal.FindAll(ClaimNames.Site))
        {
            if (!Guid.TryParse(site.Value, out var id))
            {
                problem = "Every site claim must be a UUID.";
                return null;
            }
            sites.Add(id);
        }
        Guid? therapist = null;
        if (principal.FindFirst(ClaimNames.Therapist)?.Value is { } t)
        {
            if (!Guid.TryParse(t, out var id))
            {
                problem = "The therapist claim must be a UUID.";
                return null;
            }
            therapist = id;
        }
        if (role == Role.Clinician && therapist is null)
        {
            problem = "A clinician's token must carry their therapist id.";
            return null;
        }
        var freeText = principal.FindAll(ClaimNames.Scope).SelectMany(s => s.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(ClaimNames.FreeTextScope);
        return new Caller(subject, role, organization, sites, therapist, freeText);
    }

    /// <summary>An organization's key (the tenant id): at most 64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsOrganizationKey(string? organization) =>
        organization is { Length: > 0 and <= 64 } && organization.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.');

    /// <summary>The authenticated caller of this request (the endpoints require one).</summary>
    public static Caller Caller(this HttpContext http)
    {
        if (http.Items[ItemKey] is Caller known)
            return known;
        var caller = Read(http.User, out _) ?? throw new InvalidOperationException("The request has no authenticated caller.");
        http.Items[ItemKey] = caller;
        return caller;
    }
}

/// <summary>
/// `dev-token --role director --org demo --site &lt;id&gt; [--site ...] [--therapist &lt;id&gt;] [--sub name] [--scope free-text] [--hours 8]`:
/// prints a token signed with the configured Auth__SigningKey, for local use.
/// </summary>
public static class DevToken
{
    public static int Run(string[] args, IConfiguration configuration)
    {
        var auth = AuthSettings.From(configuration);
        if (!auth.HasUsableKey)
        {
            Console.Error.WriteLine($"dev-token: set Auth__SigningKey (at least {AuthSettings.MinimumKeyBytes} bytes) to the key the platform uses.");
            return 2;
        }
        var claims = new Dictionary<string, object>();
        var sites = new List<string>();
        var hours = 8.0;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--role" when value is not null: claims[ClaimNames.Role] = value.ToLowerInvariant(); i++; break;
                case "--org" when value is not null: claims[ClaimNames.Organization] = value; i++; break;
                case "--site" when value is not null: sites.Add(value); i++; break;
                case "--therapist" when value is not null: claims[ClaimNames.Therapist] = value; i++; break;
                case "--sub" when value is not null: claims[ClaimNames.Subject] = value; i++; break;
                case "--scope" when value is not null: claims[ClaimNames.Scope] = value; i++; break;
                case "--hours" when double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var h) && h > 0: hours = h; i++; break;
                default:
                    Console.Error.WriteLine($"dev-token: unknown or incomplete option {args[i]}");
                    return 2;
            }
        }
        claims.TryAdd(ClaimNames.Subject, $"dev-{claims.GetValueOrDefault(ClaimNames.Role) ?? "user"}");
        if (sites.Count > 0)
            claims[ClaimNames.Site] = sites.ToArray();
        Console.WriteLine(Issue(auth, claims, TimeSpan.FromHours(hours), out var problem) ?? throw new InvalidOperationException(problem));
        return 0;
    }

    /// <summary>Signs a token for the given claims; null (with the reason) when they would not be accepted.</summary>
    public static string? Issue(AuthSettings auth, IDictionary<string, object> claims, TimeSpan lifetime, out string? problem)
    {
        var identity = new ClaimsIdentity(claims.SelectMany(c => c.Value is string[] many
            ? many.Select(v => new Claim(c.Key, v))
            : [new Claim(c.Key, c.Value.ToString()!)]));
        if (Callers.Read(new ClaimsPrincipal(identity), out problem) is null)
            return null;
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(auth.Key(), SecurityAlgorithms.HmacSha256),
        });
    }
}

/// <summary>The caller of the current request, set once by the endpoint that authenticated it.</summary>
public sealed class RequestCaller
{
    private Caller? _caller;

    public Caller Current
    {
        get => _caller ?? throw new InvalidOperationException("No caller was set for this request.");
        set => _caller = value;
    }
}
