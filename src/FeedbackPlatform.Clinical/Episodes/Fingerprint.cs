using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Episodes;

/// <summary>
/// What the write model keeps of a rating or a goal: enough to tell the same one sent again (an idempotent retry)
/// from a different one (CONFLICT), of a fixed size whatever the content, and never free text.
/// A rating's items (one decimal, 0.0 to 10.0; WAI-SR answers 1 to 5) are packed exactly into one number: cheap
/// enough for the alert simulation, which folds tens of thousands of ratings per call. A goal's text is hashed.
/// </summary>
public static class Fingerprint
{
    public static long Of(SessionRating r) => Tenths(r.Relationship, r.GoalsAndTopics, r.ApproachOrMethod, r.Overall);

    public static long Of(OutcomeRating r) => Tenths(r.Individual, r.Interpersonal, r.Social, r.Overall);

    /// <summary>Four bits per answer, in the instrument's order (12 answers: 48 bits).</summary>
    public static long Of(IReadOnlyList<int> allianceInventory)
    {
        long packed = 0;
        foreach (var answer in allianceInventory)
            packed = (packed << 4) | (uint)(answer & 0xF);
        return packed;
    }

    /// <summary>
    /// A goal's description (trimmed, as decided), as 64-bit FNV-1a over its characters: stable across processes and
    /// versions (unlike string.GetHashCode), and cheap (a SHA-256 through OpenSSL cost more than the rest of a
    /// simulated goal). It tells a retry from a changed text; it is not a secret of the text.
    /// </summary>
    public static string OfGoal(string description)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in description)
        {
            hash = (hash ^ (c & 0xFFu)) * 1099511628211UL;
            hash = (hash ^ ((uint)c >> 8)) * 1099511628211UL;
        }
        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    // Eight bits per item in tenths (0 to 100): 9.5 and 9.50 are the same item, as the record's equality says.
    private static long Tenths(decimal a, decimal b, decimal c, decimal d) =>
        (Item(a) << 24) | (Item(b) << 16) | (Item(c) << 8) | Item(d);

    private static long Item(decimal value) => (long)decimal.Round(value * 10) & 0xFF;
}
