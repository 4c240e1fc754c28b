using FeedbackPlatform.Clinical;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Notifications;

public sealed record RemoveNotificationSubscription : ApiCommand
{
    public const string OperationName = "removeNotificationSubscription";
    public override string Operation => OperationName;

    public Guid SubscriptionId { get; init; }
}

public static class RemoveNotificationSubscriptionHandler
{
    public static Task<(CommandOutcome, StreamFacts<NotificationSubscription>)> Handle(RemoveNotificationSubscription c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide<NotificationSubscription>(session, c.SubscriptionId, existing => existing switch
        {
            null => throw ClinicalRejection.NotFound("subscriptionId", "No such subscription."),
            { Active: false } => [],
            _ => [new NotificationSubscriptionRemoved(c.SubscriptionId, clock.GetUtcNow())],
        }, ct);
}

/// <summary>The command's own fields, one to one.</summary>
public sealed class RemoveNotificationSubscriptionInput : AutoRegisteringInputObjectGraphType<RemoveNotificationSubscription>
{
    public RemoveNotificationSubscriptionInput() => Name = "RemoveNotificationSubscriptionInput";
}

public sealed class RemoveNotificationSubscriptionMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RemoveNotificationSubscription, RemoveNotificationSubscriptionInput, NonNullGraphType<NotificationSubscriptionGraphType>>(
            RemoveNotificationSubscription.OperationName, "Stops a subscription; pending deliveries to it are cancelled.",
            async (c, x) => await c.Load<NotificationSubscription>(x.SubscriptionId));
}
