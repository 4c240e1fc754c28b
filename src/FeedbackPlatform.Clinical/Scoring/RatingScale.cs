namespace FeedbackPlatform.Clinical.Scoring;

/// <summary>
/// The 10 cm visual-analogue line shared by the SRS and the ORS: 0.0 to 10.0, read to the millimetre
/// (one decimal). Scores are decimals so that totals and comparisons are exact at that resolution.
/// </summary>
public static class RatingScale
{
    public const decimal Minimum = 0.0m;
    public const decimal Maximum = 10.0m;

    /// <summary>Reads one item from a transport's floating-point number, refusing anything the line cannot show.</summary>
    public static decimal ReadItem(string field, double? value)
    {
        if (value is null)
            throw ClinicalRejection.Invalid(field, $"{field} is required (0.0 to 10.0).");
        var raw = value.Value;
        if (double.IsNaN(raw) || double.IsInfinity(raw))
            throw ClinicalRejection.Invalid(field, $"{field} must be a finite number from 0.0 to 10.0.");
        if (raw < (double)Minimum || raw > (double)Maximum)
            throw ClinicalRejection.Invalid(field, $"{field} must be from 0.0 to 10.0 (was {raw}).");
        // 1e-300 is in range but no millimetre of the line: refused, never rounded to 0.0.
        if (TransportNumber.AsDecimal(raw) is not { } item || item != Math.Round(item, 1))
            throw ClinicalRejection.Invalid(field, $"{field} has more than one decimal (was {raw}); the scale reads to 0.1.");
        return item;
    }

    /// <summary>Totals are compared at the instrument's resolution, never as raw floats.</summary>
    public static decimal Round(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
