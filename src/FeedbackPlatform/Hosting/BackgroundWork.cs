namespace FeedbackPlatform.Hosting;

/// <summary>
/// Where the background work goes. A process of role `all` does its own, in durable local queues. When the
/// platform runs as api and worker processes, the follow-up checks and the notifications travel through two
/// PostgreSQL queues (Wolverine's PostgreSQL transport, in the same database and transaction as the facts that
/// cause them) that only workers (and `all` processes) listen to; scheduled ones wait in the queue until due.
/// Each capability routes its own messages (Alerts/AlertsConfiguration, Notifications/NotificationsConfiguration).
/// </summary>
public static class BackgroundWork
{
    public const string FollowUpQueue = "follow_ups";
    public const string NotificationQueue = "notifications";

    /// <summary>Whether background messages are sent through the PostgreSQL queues rather than kept in this process.</summary>
    public static bool TravelsThroughQueues(PlatformSettings settings) => settings.Role != PlatformRole.All;
}
