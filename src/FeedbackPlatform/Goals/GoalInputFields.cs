using GraphQL.Types;

namespace FeedbackPlatform.Goals;

/// <summary>A goal's wording and who agreed to it, the same wherever a goal is taken (recorded, revised, imported).</summary>
internal static class GoalInputFields
{
    public static void GoalAgreementFields<T>(this InputObjectGraphType<T> type)
    {
        type.Field<NonNullGraphType<StringGraphType>>("description");
        type.Field<NonNullGraphType<BooleanGraphType>>("agreedByClient");
        type.Field<NonNullGraphType<BooleanGraphType>>("agreedByTherapist");
    }
}
