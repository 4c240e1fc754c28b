using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Types;

namespace FeedbackPlatform.Access;

public static class AccessLogQueries
{
    public const int MaxRecords = 500;

    /// <summary>Access's root field, `accessLog(episodeId, subject, first)`: admins read who read what, newest first.</summary>
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AccessRecordGraphType>>>>("accessLog")
            .Description("Who read which episode's data, newest first (admins).")
            .Argument<IdGraphType>("episodeId")
            .Argument<StringGraphType>("subject")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument("first", 100);
                if (first is < 1 or > MaxRecords)
                    throw new ExecutionError($"first must be from 1 to {MaxRecords}.") { Code = Clinical.ErrorCodes.ValidationFailed, Data = { ["field"] = "first" } };
                return await c.RequestServices!.GetRequiredService<AccessLog>()
                    .Read(c.Caller().Organization, c.OptionalIdArgument("episodeId"), c.GetArgument<string>("subject"), first, c.CancellationToken);
            });
    }
}
