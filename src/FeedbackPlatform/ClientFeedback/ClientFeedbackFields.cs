using FeedbackPlatform.GraphQL;
using GraphQL.Types;

namespace FeedbackPlatform.ClientFeedback;

/// <summary>Client feedback's root query field: the organization's settings.</summary>
public static class ClientFeedbackFields
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ClientFeedbackSettingsGraphType>>("clientFeedbackSettings")
            .Description("How the organization asks its clients for feedback (admins).")
            .ResolveAsync(async c =>
            {
                await using var session = c.QuerySession();
                return await FeedbackLinks.SettingsInForce(session, c.CancellationToken);
            });
}
