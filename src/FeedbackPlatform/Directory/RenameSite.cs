using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Directory;

public sealed record RenameSite : ApiCommand
{
    public const string OperationName = "renameSite";
    public override string Operation => OperationName;

    public Guid SiteId { get; init; }
    public string? Name { get; init; }
}

public static class RenameSiteHandler
{
    public static Task<(CommandOutcome, StreamFacts<Site>)> Handle(RenameSite c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.RenameSite(site, c.Name, clock.GetUtcNow()), ct);
}

public sealed class RenameSiteInput : InputObjectGraphType<RenameSite>
{
    public RenameSiteInput()
    {
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<StringGraphType>>("name");
    }
}

public sealed class RenameSiteMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RenameSite, RenameSiteInput, NonNullGraphType<SiteGraphType>>(RenameSite.OperationName, "Renames a site.",
            async (c, x) => await c.Load<Site>(x.SiteId));
}
