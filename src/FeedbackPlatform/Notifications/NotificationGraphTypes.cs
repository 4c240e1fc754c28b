using FeedbackPlatform.Alerts;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Notifications;

public sealed class NotificationChannelGraphType : EnumerationGraphType<NotificationChannel>
{
    public NotificationChannelGraphType() => Name = "NotificationChannel";
}

public sealed class DigestModeGraphType : EnumerationGraphType<DigestMode>
{
    public DigestModeGraphType() => Name = "DigestMode";
}

public sealed class DeliveryStatusGraphType : EnumerationGraphType<DeliveryStatus>
{
    public DeliveryStatusGraphType() => Name = "DeliveryStatus";
}

public sealed class NotificationSubscriptionGraphType : ObjectGraphType<NotificationSubscription>
{
    public NotificationSubscriptionGraphType()
    {
        Name = "NotificationSubscription";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<IdGraphType>("siteId").Description("Null: every site of the organization.").Resolve(c => c.Source.SiteId);
        Field<NonNullGraphType<NotificationChannelGraphType>>("channel").Resolve(c => c.Source.Channel);
        Field<NonNullGraphType<StringGraphType>>("target").Resolve(c => c.Source.Target);
        Field<NonNullGraphType<DigestModeGraphType>>("digest").Resolve(c => c.Source.Digest);
        Field<NonNullGraphType<AlertSeverityGraphType>>("minimumSeverity").Resolve(c => c.Source.MinimumSeverity);
        Field<NonNullGraphType<BooleanGraphType>>("active").Resolve(c => c.Source.Active);
        Field<NonNullGraphType<InstantGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
    }
}

public sealed class CreatedSubscriptionGraphType : ObjectGraphType<NotificationSubscription>
{
    public CreatedSubscriptionGraphType()
    {
        Name = "CreatedNotificationSubscription";
        Field<NonNullGraphType<NotificationSubscriptionGraphType>>("subscription").Resolve(c => c.Source);
        Field<StringGraphType>("secret")
            .Description("The webhook signing secret: verify Feedback-Signature (v1=hex HMAC-SHA256 of \"{Feedback-Timestamp}.{body}\"). Shown only here.")
            .Resolve(c => c.Source.Secret);
    }
}

public sealed class NotificationDeliveryGraphType : ObjectGraphType<NotificationDelivery>
{
    public NotificationDeliveryGraphType()
    {
        Name = "NotificationDelivery";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("subscriptionId").Resolve(c => c.Source.SubscriptionId);
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<DeliveryStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<IntGraphType>>("attempts").Resolve(c => c.Source.Attempts);
        Field<StringGraphType>("lastError").Resolve(c => c.Source.LastError);
        Field<NonNullGraphType<InstantGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<InstantGraphType>("lastAttemptAt").Resolve(c => c.Source.LastAttemptAt);
        Field<InstantGraphType>("deliveredAt").Resolve(c => c.Source.DeliveredAt);
    }
}

public static class NotificationFields
{
    public const int MaxPageSize = 200;

    /// <summary>The notifications' root fields: subscriptions and deliveries.</summary>
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationSubscriptionGraphType>>>>("notificationSubscriptions")
            .ResolveAsync(async c =>
            {
                await using var session = c.QuerySession();
                return (await session.Query<NotificationSubscription>().ToListAsync(c.CancellationToken)).OrderBy(s => s.CreatedAt).ToList();
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationDeliveryGraphType>>>>("notificationDeliveries")
            .Description("Deliveries, newest first; status FAILED lists the dead-lettered ones to retry.")
            .Argument<DeliveryStatusGraphType>("status")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument("first", 50);
                if (first is < 1 or > MaxPageSize)
                    throw new ExecutionError($"first must be from 1 to {MaxPageSize}.") { Code = ErrorCodes.ValidationFailed, Data = { ["field"] = "first" } };
                await using var session = c.QuerySession();
                IQueryable<NotificationDelivery> deliveries = session.Query<NotificationDelivery>();
                if (c.GetArgument<DeliveryStatus?>("status") is { } status)
                    deliveries = deliveries.Where(d => d.Status == status);
                return await deliveries.OrderByDescending(d => d.CreatedAt).Take(first).ToListAsync(c.CancellationToken);
            });
    }
}
