using System.Security.Cryptography;
using FeedbackPlatform.Clinical;
using Microsoft.AspNetCore.Identity;
using OtpNet;
using QRCoder;

namespace FeedbackPlatform.People;

/// <summary>
/// Passwords: at least 12 characters (at most 256), not the e-mail address, not one of the common passwords shipped
/// with the platform; hashed by ASP.NET Core Identity's PasswordHasher (PBKDF2, salted, versioned).
/// </summary>
public sealed class Passwords
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;

    private static readonly HashSet<string> Common = LoadCommon();
    private readonly PasswordHasher<object> _hasher = new();
    private readonly string _dummyHash;

    public Passwords() => _dummyHash = _hasher.HashPassword(this, Secrets.Random());

    private static HashSet<string> LoadCommon()
    {
        using var stream = typeof(Passwords).Assembly.GetManifestResourceStream("common-passwords.txt")
                           ?? throw new InvalidOperationException("The list of common passwords is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public static void Check(string password, string email)
    {
        if (password.Length < MinimumLength)
            throw ClinicalRejection.Invalid("password", $"The password must have {MinimumLength} characters at least.");
        if (password.Length > MaximumLength)
            throw ClinicalRejection.Invalid("password", $"The password may have {MaximumLength} characters at most.");
        if (string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
            throw ClinicalRejection.Invalid("password", "The password must not be the e-mail address.");
        if (Common.Contains(password))
            throw ClinicalRejection.Invalid("password", "This password is one of the most common ones; choose another.");
    }

    public string Hash(string password) => _hasher.HashPassword(this, password);

    public bool Verify(string hash, string password) => _hasher.VerifyHashedPassword(this, hash, password) != PasswordVerificationResult.Failed;

    /// <summary>The same work as a real check, for an account that does not exist or cannot sign in: no answer comes sooner.</summary>
    public void VerifyNothing(string password) => _hasher.VerifyHashedPassword(this, _dummyHash, password);
}

/// <summary>The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30 s), and ten one-time recovery codes.</summary>
public static class SecondFactors
{
    public const int RecoveryCodes = 10;
    public const string Issuer = "FeedbackPlatform";

    public static string NewKey() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    /// <summary>The time step of a code good now (one step of clock drift either way), or null.</summary>
    public static long? Verify(string key, string code, DateTimeOffset now)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
            return null;
        var totp = new Totp(Base32Encoding.ToBytes(key));
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay) ? step : null;
    }

    public static string OtpAuthUri(string key, string organization, string email) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer + ":" + organization + ":" + email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period=30";

    /// <summary>The enrolment QR code as a PNG data URL.</summary>
    public static string QrCode(string otpAuthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpAuthUri, QRCodeGenerator.ECCLevel.Q);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    /// <summary>Ten codes of 80 random bits each (base32, in groups of four), shown once; their hashes to store.</summary>
    public static (string[] Codes, List<string> Hashes) NewRecoveryCodes()
    {
        var codes = Enumerable.Range(0, RecoveryCodes).Select(_ =>
        {
            var text = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
            return string.Join('-', text.Chunk(4).Select(c => new string(c)));
        }).ToArray();
        return (codes, codes.Select(c => Secrets.Hash(Normal(c))).ToList());
    }

    private static string Normal(string code) => code.Replace("-", "").Replace(" ", "").ToLowerInvariant();

    /// <summary>Removes and answers true when the code is one of the unused recovery codes.</summary>
    public static bool UseRecoveryCode(List<string> hashes, string code)
    {
        var normal = Normal(code);
        if (normal.Length != 16)
            return false;
        var match = hashes.FirstOrDefault(h => Secrets.SameHash(normal, h));
        return match is not null && hashes.Remove(match);
    }
}
