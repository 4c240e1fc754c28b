using System.Security.Cryptography;
using FeedbackPlatform.People;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace FeedbackPlatform.Access;

/// <summary>How a request proves its caller: a bearer JWT (validated here), a browser session or an API key.</summary>
public static class Authentication
{
    public static IServiceCollection AddPlatformAuthentication(this IServiceCollection services, Hosting.PlatformSettings settings, IHostEnvironment environment, bool serving)
    {
        var auth = settings.Auth;
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
            .AddSingleSignOn(settings.SingleSignOn).AddJwtBearer(o =>
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
