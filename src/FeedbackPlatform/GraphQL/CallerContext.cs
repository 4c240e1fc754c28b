using FeedbackPlatform.Clinical.Access;

namespace FeedbackPlatform.GraphQL;

/// <summary>
/// The user context of a GraphQL request: its caller, so that the fields the access middleware guards read it without a
/// scoped-service lookup each (under parallel execution those lookups contend for the request scope's lock).
/// </summary>
public sealed class CallerContext(Caller caller) : Dictionary<string, object?>
{
    public Caller Caller { get; } = caller;
}
