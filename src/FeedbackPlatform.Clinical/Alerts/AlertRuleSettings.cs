namespace FeedbackPlatform.Clinical.Alerts;

/// <summary>
/// An organization's thresholds. Defaults are the numbers of docs/clinical-rules.md; an admin changes them
/// with an AlertRulesChanged event, and they apply from the next fact on.
/// </summary>
public sealed record AlertRuleSettings
{
    /// <summary>SRS total under this signals an alliance concern.</summary>
    public decimal SrsClinicalCutoff { get; init; } = 36.0m;
    /// <summary>When true a total equal to the cutoff also raises LOW_ALLIANCE ("≤ 36" in some sources).</summary>
    public bool SrsCutoffInclusive { get; init; }
    /// <summary>An SRS item under this is flagged for discussion with the client.</summary>
    public decimal SrsItemFlagBelow { get; init; } = 9.0m;
    /// <summary>A fall of at least this many points from the previous SRS total is a drop.</summary>
    public decimal SrsDropPoints { get; init; } = 1.0m;
    public decimal OrsCutoffAdult { get; init; } = 25.0m;
    public decimal OrsCutoffAdolescent { get; init; } = 28.0m;
    public decimal OrsCutoffChild { get; init; } = 32.0m;
    /// <summary>Reliable change index of the ORS, in points from intake.</summary>
    public decimal OrsReliableChange { get; init; } = 5.0m;
    /// <summary>NOT_ON_TRACK is first evaluated at this ORS of the episode (the intake is the first).</summary>
    public int NotOnTrackFromOrs { get; init; } = 3;
    /// <summary>NO_GOAL_CONSENSUS is first evaluated when this session is recorded.</summary>
    public int GoalConsensusBySession { get; init; } = 3;
    public TimeSpan MissingFeedbackAfter { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan DisengagementAfter { get; init; } = TimeSpan.FromDays(21);
    public TimeSpan EscalateUnacknowledgedAfter { get; init; } = TimeSpan.FromHours(48);
    /// <summary>A therapist's outcome figures are withheld (fair comparison) below this many measured episodes.</summary>
    public int MinimumEpisodesForComparison { get; init; } = 10;

    public static AlertRuleSettings Defaults { get; } = new();

    public decimal OrsCutoffFor(Population population) => population switch
    {
        Population.Adolescent => OrsCutoffAdolescent,
        Population.Child => OrsCutoffChild,
        _ => OrsCutoffAdult,
    };

    /// <summary>Whether an SRS total is an alliance concern under these settings.</summary>
    public bool IsLowAlliance(decimal srsTotal) =>
        SrsCutoffInclusive ? srsTotal <= SrsClinicalCutoff : srsTotal < SrsClinicalCutoff;

    /// <summary>Refuses settings that would make the rules meaningless; names the first offending field.</summary>
    public AlertRuleSettings Validated()
    {
        static void Total(string field, decimal value)
        {
            if (value is < 0m or > 40m)
                throw ClinicalRejection.Invalid(field, $"{field} must be a total from 0 to 40 (was {value}).");
            if (value != Math.Round(value, 1))
                throw ClinicalRejection.Invalid(field, $"{field} has more than one decimal.");
        }
        static void Positive(string field, decimal value, decimal max)
        {
            if (value <= 0m || value > max)
                throw ClinicalRejection.Invalid(field, $"{field} must be greater than 0 and at most {max} (was {value}).");
            if (value != Math.Round(value, 1))
                throw ClinicalRejection.Invalid(field, $"{field} has more than one decimal.");
        }
        static void Duration(string field, TimeSpan value, TimeSpan max)
        {
            if (value <= TimeSpan.Zero || value > max)
                throw ClinicalRejection.Invalid(field, $"{field} must be positive, at most {max.TotalDays} days, and exact to 100 ns as written.");
        }

        Total("srsClinicalCutoff", SrsClinicalCutoff);
        if (SrsItemFlagBelow is < 0m or > 10m || SrsItemFlagBelow != Math.Round(SrsItemFlagBelow, 1))
            throw ClinicalRejection.Invalid("srsItemFlagBelow", "srsItemFlagBelow must be an item score from 0.0 to 10.0.");
        Positive("srsDropPoints", SrsDropPoints, 40m);
        Total("orsCutoffAdult", OrsCutoffAdult);
        Total("orsCutoffAdolescent", OrsCutoffAdolescent);
        Total("orsCutoffChild", OrsCutoffChild);
        Positive("orsReliableChange", OrsReliableChange, 40m);
        if (NotOnTrackFromOrs is < 2 or > 100)
            throw ClinicalRejection.Invalid("notOnTrackFromOrs", "notOnTrackFromOrs must be from 2 (the first ORS after intake) to 100.");
        if (GoalConsensusBySession is < 1 or > 100)
            throw ClinicalRejection.Invalid("goalConsensusBySession", "goalConsensusBySession must be from 1 to 100.");
        Duration("missingFeedbackAfter", MissingFeedbackAfter, TimeSpan.FromDays(30));
        Duration("disengagementAfter", DisengagementAfter, TimeSpan.FromDays(365));
        Duration("escalateUnacknowledgedAfter", EscalateUnacknowledgedAfter, TimeSpan.FromDays(30));
        if (MinimumEpisodesForComparison is < 1 or > 1000)
            throw ClinicalRejection.Invalid("minimumEpisodesForComparison", "minimumEpisodesForComparison must be from 1 to 1000 measured episodes.");
        return this;
    }
}
