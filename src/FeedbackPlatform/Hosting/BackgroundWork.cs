using FeedbackPlatform.Alerts;
using FeedbackPlatform.Notifications;
using Wolverine;
using Wolverine.Postgresql;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// Where the background work goes. A process of role `all` does its own, in durable local queues. When the
/// platform runs as api and worker processes, the follow-up checks and the notifications travel through two
/// PostgreSQL queues (Wolverine's PostgreSQL transport, in the same database and transaction as the facts that
/// cause them) that only workers (and `all` processes) listen to; scheduled ones wait in the queue until due.
/// </summary>
public static class BackgroundWork
{
    public const string FollowUpQueue = "follow_ups";
    public const string NotificationQueue = "notifications";

    public static void Route(WolverineOptions opts, PlatformSettings settings)
    {
        if (settings.Role != PlatformRole.All)
        {
            opts.PublishMessage<CheckFeedbackDue>().ToPostgresqlQueue(FollowUpQueue);
            opts.PublishMessage<CheckContactDue>().ToPostgresqlQueue(FollowUpQueue);
            opts.PublishMessage<EscalateUnacknowledgedAlert>().ToPostgresqlQueue(FollowUpQueue);
            opts.PublishMessage<AlertNotice>().ToPostgresqlQueue(NotificationQueue);
            opts.PublishMessage<DeliverNotification>().ToPostgresqlQueue(NotificationQueue);
            opts.PublishMessage<SendDigest>().ToPostgresqlQueue(NotificationQueue);
        }
        if (settings.RunsBackgroundWork)
        {
            opts.ListenToPostgresqlQueue(FollowUpQueue);
            opts.ListenToPostgresqlQueue(NotificationQueue);
        }
    }
}
