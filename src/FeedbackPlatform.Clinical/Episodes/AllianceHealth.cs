using FeedbackPlatform.Clinical.Alerts;

namespace FeedbackPlatform.Clinical.Episodes;

/// <summary>How an episode's alliance stands at a glance: what a worklist sorts and filters on.</summary>
public enum AllianceHealthStatus
{
    Healthy,
    Watch,
    AtRisk,
}

/// <summary>
/// The classification of an episode from what is open about it now. A clinical rule, so it lives here rather
/// than in the read model that stores its answer.
/// </summary>
public static class AllianceHealth
{
    /// <summary>
    /// AT_RISK with an open alert of high severity (a fall: ALLIANCE_DROP, OUTCOME_DETERIORATION) or two or more
    /// open alerts of any kind; WATCH with one open alert or an item of the latest SRS flagged; HEALTHY otherwise.
    /// </summary>
    /// <param name="openAlerts">The severities of the alerts not yet resolved, one per open alert.</param>
    /// <param name="latestSrsFlaggedItems">How many items of the latest SRS were under the flag threshold.</param>
    public static AllianceHealthStatus StatusOf(IReadOnlyCollection<AlertSeverity> openAlerts, int latestSrsFlaggedItems)
    {
        if (openAlerts.Contains(AlertSeverity.High) || openAlerts.Count >= 2)
            return AllianceHealthStatus.AtRisk;
        return openAlerts.Count == 1 || latestSrsFlaggedItems > 0 ? AllianceHealthStatus.Watch : AllianceHealthStatus.Healthy;
    }
}
