using GraphQL.Types;

namespace FeedbackPlatform.ClientFeedback;

/// <summary>Client feedback's root fields: the organization's settings, asking a client through a link and revoking it.</summary>
public static class ClientFeedbackFields
{
    public static void AddTo(ObjectGraphType query, ObjectGraphType mutation)
    {
        ClientFeedbackSettingsFields.AddQuery(query);
        FeedbackRequestFields.AddMutations(mutation);
        ClientFeedbackSettingsFields.AddMutation(mutation);
    }
}
