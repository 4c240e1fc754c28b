namespace FeedbackPlatform.Clinical.Alerts;

public enum AlertKind
{
    LowAlliance,
    AllianceDrop,
    OutcomeDeterioration,
    NotOnTrack,
    NoGoalConsensus,
    MissingFeedback,
    DisengagementRisk,
}

public enum AlertSeverity
{
    Low,
    Medium,
    High,
}

public enum AlertResolution
{
    /// <summary>The measure came back over its threshold.</summary>
    Recovered,
    /// <summary>The alliance came back to where it stood before the drop: a rupture–repair sequence.</summary>
    Repaired,
    /// <summary>A clinician or director closed it by hand, with a note.</summary>
    Manual,
}

public static class AlertSeverities
{
    /// <summary>
    /// The spec gives no severities; these are the product's: a fall (alliance drop, reliable deterioration)
    /// is the most urgent, a level under a cutoff comes next, missing paperwork comes last.
    /// </summary>
    public static AlertSeverity Of(AlertKind kind) => kind switch
    {
        AlertKind.AllianceDrop or AlertKind.OutcomeDeterioration => AlertSeverity.High,
        AlertKind.LowAlliance or AlertKind.NotOnTrack or AlertKind.DisengagementRisk => AlertSeverity.Medium,
        _ => AlertSeverity.Low,
    };
}
