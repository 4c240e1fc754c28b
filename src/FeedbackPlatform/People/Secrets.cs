using System.Security.Cryptography;
using System.Text;

namespace FeedbackPlatform.People;

/// <summary>
/// The platform's own secrets (invitation tokens, session ids, API keys, recovery codes): 256 random bits from
/// RandomNumberGenerator, shown once, stored only as their SHA-256 hash and compared in constant time. A token
/// names its organization in front of the random part (the organization's key is no secret), so the store looks
/// it up inside that tenant only.
/// </summary>
public static class Secrets
{
    /// <summary>Base64url of 32 random bytes.</summary>
    public const int RandomLength = 43;

    public static string Random() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>`{organization}{separator}{random}`.</summary>
    public static string Token(string organization, char separator = '.') => organization + separator + Random();

    /// <summary>The organization a token names, or null when the token has not the shape of ours.</summary>
    public static string? OrganizationOf(string? token, int prefixLength = 0, char separator = '.')
    {
        if (token is null || token.Length < prefixLength + RandomLength + 2 || token.Length > prefixLength + 64 + 1 + RandomLength)
            return null;
        if (token[^(RandomLength + 1)] != separator)
            return null;
        var organization = token[prefixLength..^(RandomLength + 1)];
        var random = token[^RandomLength..];
        if (!Access.Callers.IsOrganizationKey(organization) || !random.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
            return null;
        return organization;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool SameHash(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
