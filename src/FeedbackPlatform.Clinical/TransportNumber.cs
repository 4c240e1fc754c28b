namespace FeedbackPlatform.Clinical;

/// <summary>
/// Numbers reach the core from JSON and GraphQL as doubles; the core counts in decimals. A double is taken only
/// when a decimal stands for exactly that double: otherwise 1e-300 would become 0.0 and 0.30000000000000004 would
/// become 0.3, a value nobody sent turned into a valid one.
/// </summary>
public static class TransportNumber
{
    /// <summary>The decimal equal to <paramref name="raw"/>, or null when there is none (not finite, under- or overflow, precision lost).</summary>
    public static decimal? AsDecimal(double raw)
    {
        if (!double.IsFinite(raw) || Math.Abs(raw) >= 1e28)
            return null;
        var value = (decimal)raw;
        return (double)value == raw ? value : null;
    }
}
