using System.Security.Cryptography;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Notifications;

public sealed record CreateNotificationSubscription : ApiCommand
{
    public const string OperationName = "createNotificationSubscription";
    public override string Operation => OperationName;

    public Guid SubscriptionId { get; init; }
    /// <summary>Null: every site of the organization.</summary>
    public Guid? SiteId { get; init; }
    public NotificationChannel Channel { get; init; }
    public string? Target { get; init; }
    public DigestMode Digest { get; init; }
    public AlertSeverity MinimumSeverity { get; init; } = AlertSeverity.Low;
}

public static class CreateNotificationSubscriptionHandler
{
    public static async Task<(CommandOutcome, StreamFacts<NotificationSubscription>)> Handle(CreateNotificationSubscription c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var site = c.SiteId is { } siteId ? await session.LoadAsync<Site>(siteId, ct) : null;
        return await StreamDecisions.Decide<NotificationSubscription>(session, c.SubscriptionId, existing =>
        {
            var target = NotificationSubscription.ValidTarget(c.Channel, c.Target);
            if (c.SiteId is not null && site is not { Active: true })
                throw ClinicalRejection.NotFound("siteId", "No such active site.");
            if (existing is not null)
            {
                return existing.SiteId == c.SiteId && existing.Channel == c.Channel && existing.Target == target
                       && existing.Digest == c.Digest && existing.MinimumSeverity == c.MinimumSeverity
                    ? []
                    : throw ClinicalRejection.Conflict("subscriptionId", "A subscription with this id exists with other settings.");
            }
            var secret = c.Channel == NotificationChannel.Webhook ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : null;
            return [new NotificationSubscriptionCreated(c.SubscriptionId, c.SiteId, c.Channel, target, secret, c.Digest, c.MinimumSeverity, clock.GetUtcNow())];
        }, ct);
    }
}

public sealed class CreateNotificationSubscriptionInput : InputObjectGraphType<CreateNotificationSubscription>
{
    public CreateNotificationSubscriptionInput()
    {
        Field<NonNullGraphType<IdGraphType>>("subscriptionId");
        Field<IdGraphType>("siteId").Description("Leave out for every site of the organization.");
        Field<NonNullGraphType<NotificationChannelGraphType>>("channel");
        Field<NonNullGraphType<StringGraphType>>("target").Description("Webhook URL or e-mail address.");
        Field<NonNullGraphType<DigestModeGraphType>>("digest");
        Field<AlertSeverityGraphType>("minimumSeverity").Description("Default LOW: every alert.");
    }
}

public sealed class CreateNotificationSubscriptionMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<CreateNotificationSubscription, CreateNotificationSubscriptionInput, NonNullGraphType<CreatedSubscriptionGraphType>>(
            CreateNotificationSubscription.OperationName, "Subscribes a webhook or an e-mail address to a site's (or every site's) alerts.",
            async (c, x) => await c.Load<NotificationSubscription>(x.SubscriptionId));
}
