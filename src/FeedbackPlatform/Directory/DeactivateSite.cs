using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Directory;

public sealed record DeactivateSite : ApiCommand
{
    public const string OperationName = "deactivateSite";
    public override string Operation => OperationName;

    public Guid SiteId { get; init; }
}

public static class DeactivateSiteHandler
{
    public static Task<(CommandOutcome, StreamFacts<Site>)> Handle(DeactivateSite c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.DeactivateSite(site, clock.GetUtcNow()), ct);
}

/// <summary>The command's own fields, one to one.</summary>
public sealed class DeactivateSiteInput : AutoRegisteringInputObjectGraphType<DeactivateSite>
{
    public DeactivateSiteInput() => Name = "DeactivateSiteInput";
}

public sealed class DeactivateSiteMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<DeactivateSite, DeactivateSiteInput, NonNullGraphType<SiteGraphType>>(DeactivateSite.OperationName, "Deactivates a site: it takes no new episodes.",
            async (c, x) => await c.Load<Site>(x.SiteId));
}
