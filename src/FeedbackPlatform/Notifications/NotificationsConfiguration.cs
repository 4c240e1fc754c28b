using FeedbackPlatform.Hosting;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Postgresql;

namespace FeedbackPlatform.Notifications;

/// <summary>What notifications register with the platform: subscriptions and deliveries, their retries and route, the channels.</summary>
public static class NotificationsConfiguration
{
    /// <summary>Who hears about alerts, and every notification sent or failing.</summary>
    public static StoreOptions ConfigureNotifications(this StoreOptions opts)
    {
        opts.Projections.Add<NotificationSubscriptionProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<NotificationDelivery>().Index(x => x.Status);
        opts.Schema.For<DigestItem>().Index(x => x.SubscriptionId);
        return opts;
    }

    public static WolverineOptions ConfigureNotifications(this WolverineOptions opts, PlatformSettings settings)
    {
        // A receiver that is down gets the delivery again after each wait; after the last, it is dead-lettered.
        opts.OnException<NotificationDeliveryFailed>().ScheduleRetry(settings.Notifications.RetryDelays).Then.MoveToErrorQueue();
        // Notices, deliveries and digests go where the background work runs (Hosting/BackgroundWork).
        if (BackgroundWork.TravelsThroughQueues(settings))
        {
            opts.PublishMessage<AlertNotice>().ToPostgresqlQueue(BackgroundWork.NotificationQueue);
            opts.PublishMessage<DeliverNotification>().ToPostgresqlQueue(BackgroundWork.NotificationQueue);
            opts.PublishMessage<SendDigest>().ToPostgresqlQueue(BackgroundWork.NotificationQueue);
        }
        if (settings.RunsBackgroundWork)
            opts.ListenToPostgresqlQueue(BackgroundWork.NotificationQueue);
        return opts;
    }

    public static IServiceCollection AddNotifications(this IServiceCollection services, PlatformSettings settings)
    {
        services.AddSingleton(settings.Notifications);
        services.AddSingleton<WebhookChannel>();
        services.AddSingleton<EmailChannel>();
        services.AddSingleton<AlertLinks>();
        services.AddHttpClient(WebhookChannel.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }
}
