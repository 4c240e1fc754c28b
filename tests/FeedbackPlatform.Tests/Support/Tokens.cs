using FeedbackPlatform.Access;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FeedbackPlatform.Tests.Support;

/// <summary>Bearer tokens signed with the key the test hosts are configured with, as `dev-token` makes them.</summary>
public static class Tokens
{
    public const string SigningKey = "tests-only-signing-key-0123456789abcdef-0123456789";
    public static readonly AuthSettings Auth = new(SigningKey, AuthSettings.DefaultName, AuthSettings.DefaultName, null);

    public static string For(string role, string organization, IEnumerable<Guid>? sites = null, Guid? therapist = null, string? scope = null,
        string? subject = null, TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object>
        {
            [ClaimNames.Subject] = subject ?? $"{role}-{Guid.NewGuid():N}"[..20],
            [ClaimNames.Role] = role,
            [ClaimNames.Organization] = organization,
        };
        if (sites?.Select(s => s.ToString()).ToArray() is { Length: > 0 } siteIds)
            claims[ClaimNames.Site] = siteIds;
        if (therapist is { } t)
            claims[ClaimNames.Therapist] = t.ToString();
        if (scope is not null)
            claims[ClaimNames.Scope] = scope;
        return DevToken.Issue(Auth, claims, lifetime ?? TimeSpan.FromHours(1), out var problem) ?? throw new InvalidOperationException(problem);
    }

    /// <summary>A token that was valid until an hour ago.</summary>
    public static string Expired(string role, string organization) =>
        Sign(new() { [ClaimNames.Subject] = "expired", [ClaimNames.Role] = role, [ClaimNames.Organization] = organization },
            notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1));

    /// <summary>Any token, including ones the platform must refuse (another key, issuer or audience, out of date, odd claims).</summary>
    public static string Sign(Dictionary<string, object> claims, string key = SigningKey, string issuer = AuthSettings.DefaultName, string audience = AuthSettings.DefaultName,
        DateTime? notBefore = null, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            IssuedAt = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
}
