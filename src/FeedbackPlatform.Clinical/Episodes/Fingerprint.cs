using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Episodes;

/// <summary>
/// What the write model keeps of a rating or a goal: enough to tell the same one sent again (an idempotent retry)
/// from a different one (CONFLICT), of a fixed size whatever the content, and never its free text.
/// 96 bits of SHA-256 over a canonical text: a collision is not a practical concern.
/// </summary>
public static class Fingerprint
{
    public static string Of(SessionRating r) => Hash("srs", r.Relationship, r.GoalsAndTopics, r.ApproachOrMethod, r.Overall);

    public static string Of(OutcomeRating r) => Hash("ors", r.Individual, r.Interpersonal, r.Social, r.Overall);

    public static string Of(IReadOnlyList<int> allianceInventory) => Hash("wai-sr", string.Join(',', allianceInventory));

    /// <summary>A goal's description (trimmed, as decided); the agreement flags are kept beside it in the clear.</summary>
    public static string OfGoal(string description) => Hash("goal", description);

    // Items have one decimal; "0.0" makes 9.5 and 9.50 the same rating, as the record's equality does.
    private static string Hash(string kind, params decimal[] items) =>
        Hash(kind, string.Join(',', items.Select(i => i.ToString("0.0", CultureInfo.InvariantCulture))));

    private static string Hash(string kind, string canonical)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + canonical), digest);
        return Convert.ToBase64String(digest[..12]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
