using GraphQL.Types;

namespace FeedbackPlatform.Feedback;

/// <summary>The items of the two instruments, the same wherever a rating is taken (one session, or a history).</summary>
internal static class RatingItemFields
{
    public static void SessionRatingItems<T>(this InputObjectGraphType<T> type)
    {
        foreach (var item in new[] { "relationship", "goalsAndTopics", "approachOrMethod", "overall" })
            type.Field<NonNullGraphType<FloatGraphType>>(item);
    }

    public static void OutcomeRatingItems<T>(this InputObjectGraphType<T> type)
    {
        foreach (var item in new[] { "individual", "interpersonal", "social", "overall" })
            type.Field<NonNullGraphType<FloatGraphType>>(item);
    }
}
