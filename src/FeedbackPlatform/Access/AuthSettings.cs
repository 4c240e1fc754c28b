using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace FeedbackPlatform.Access;

/// <summary>
/// Auth__SigningKey (HS256, at least 32 bytes), Auth__Issuer and Auth__Audience (both "feedback-platform" by
/// default) for self-hosting; or Auth__Authority (+ Auth__Audience) to accept a clinic's OpenID Connect provider.
/// Read by Hosting/PlatformSettings.
/// </summary>
public sealed record AuthSettings(string? SigningKey, string Issuer, string Audience, string? Authority)
{
    public const string DefaultName = "feedback-platform";
    public const int MinimumKeyBytes = 32;

    public bool HasUsableKey => SigningKey is not null && Encoding.UTF8.GetByteCount(SigningKey) >= MinimumKeyBytes;

    public SymmetricSecurityKey Key() => new(Encoding.UTF8.GetBytes(SigningKey!));
}
