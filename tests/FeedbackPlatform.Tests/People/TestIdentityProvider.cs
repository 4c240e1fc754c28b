using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace FeedbackPlatform.Tests.People;

/// <summary>
/// A clinic's identity provider as a real OpenID Connect server on loopback (OpenIddict): discovery, JWKS, the
/// authorization endpoint and the token endpoint with PKCE, one registered client (id, secret, redirect URI).
/// Nobody types a password: the test says who the next authorization signs in (and with which claims), or that the
/// provider refuses it, or that it issues its id token for another client.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "feedback-platform";
    public const string ClientSecret = "sso-test-client-secret-4f1c";

    private readonly WebApplication _app;
    public string Url { get; private set; } = "";
    /// <summary>The one redirect URI registered for the client.</summary>
    public string RedirectUri { get; set; } = "";

    /// <summary>Who the next authorization signs in: the subject, the claims of their id token.</summary>
    public (string Subject, Dictionary<string, string[]> Claims)? NextUser { get; set; }
    /// <summary>Refuse the next authorization (error=access_denied back to the client).</summary>
    public bool Deny { get; set; }
    /// <summary>Issue the id tokens for this other client (aud and azp), as a provider would for another application.</summary>
    public string? AudienceOverride { get; set; }
    public int TokensIssued;

    private TestIdentityProvider()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.Email, Scopes.Profile);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            // No stores: the authorization codes are self-contained, and the handlers below check the client themselves.
            o.EnableDegradedMode();
            o.UseAspNetCore().DisableTransportSecurityRequirement();

            o.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (context.RedirectUri != RedirectUri)
                    context.Reject(Errors.InvalidRequest, "This redirect_uri is not registered for the client.");
                return default;
            }));
            o.AddEventHandler<ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                    context.Reject(Errors.InvalidClient, "The client is not authenticated.");
                return default;
            }));
            o.AddEventHandler<HandleAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (Deny || NextUser is not { } user)
                {
                    context.Reject(Errors.AccessDenied, "The user did not sign in.");
                    return default;
                }
                var identity = new ClaimsIdentity("test-idp", Claims.Name, Claims.Role);
                identity.AddClaim(new Claim(Claims.Subject, user.Subject).SetDestinations(Destinations.IdentityToken));
                foreach (var (type, values) in user.Claims)
                    foreach (var value in values)
                        identity.AddClaim(new Claim(type, value).SetDestinations(Destinations.IdentityToken));
                var principal = new ClaimsPrincipal(identity);
                principal.SetScopes(context.Request.GetScopes());
                context.SignIn(principal);
                return default;
            }));
            o.AddEventHandler<ProcessSignInContext>(b => b.UseInlineHandler(context =>
            {
                if (context.IdentityTokenPrincipal is { } token && context.EndpointType == OpenIddictServerEndpointType.Token)
                {
                    Interlocked.Increment(ref TokensIssued);
                    if (AudienceOverride is { } other)
                    {
                        token.SetAudiences(other);
                        token.SetClaim(Claims.AuthorizedParty, other);
                    }
                }
                return default;
            }).SetOrder(OpenIddictServerHandlers.PrepareIdentityTokenPrincipal.Descriptor.Order + 1));
        });
        _app = builder.Build();
        _app.UseAuthentication();
    }

    public static async Task<TestIdentityProvider> Start()
    {
        var provider = new TestIdentityProvider();
        await provider._app.StartAsync();
        provider.Url = provider._app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("no server");
        return provider;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
