namespace FeedbackPlatform.Clinical.Scoring;

/// <summary>Outcome Rating Scale (wellbeing), filled in by the client at the start of a session.</summary>
public sealed record OutcomeRating(decimal Individual, decimal Interpersonal, decimal Social, decimal Overall)
{
    public decimal Total => RatingScale.Round(Individual + Interpersonal + Social + Overall);

    public static OutcomeRating Read(double? individual, double? interpersonal, double? social, double? overall) =>
        new(RatingScale.ReadItem("individual", individual),
            RatingScale.ReadItem("interpersonal", interpersonal),
            RatingScale.ReadItem("social", social),
            RatingScale.ReadItem("overall", overall));
}

/// <summary>Jacobson–Truax change relative to the intake ORS.</summary>
public enum OutcomeChange
{
    NoReliableChange,
    ReliableImprovement,
    Recovered,
    ReliableDeterioration,
}

public static class OutcomeChangeIndex
{
    public static OutcomeChange Categorize(decimal intakeTotal, decimal total, decimal clinicalCutoff, decimal reliableChange)
    {
        var intake = RatingScale.Round(intakeTotal);
        var now = RatingScale.Round(total);
        if (now >= intake + reliableChange)
            return intake < clinicalCutoff && now >= clinicalCutoff ? OutcomeChange.Recovered : OutcomeChange.ReliableImprovement;
        if (now <= intake - reliableChange)
            return OutcomeChange.ReliableDeterioration;
        return OutcomeChange.NoReliableChange;
    }
}
