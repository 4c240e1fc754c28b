using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Directory;

public sealed record AssignClinicalDirector : ApiCommand
{
    public const string OperationName = "assignClinicalDirector";
    public override string Operation => OperationName;

    public Guid SiteId { get; init; }
    public Guid DirectorId { get; init; }
    public string? DisplayName { get; init; }
}

public static class AssignClinicalDirectorHandler
{
    public static Task<(CommandOutcome, StreamFacts<Site>)> Handle(AssignClinicalDirector c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.AssignDirector(site, c.DirectorId, c.DisplayName, clock.GetUtcNow()), ct);
}

public sealed class AssignClinicalDirectorInput : InputObjectGraphType<AssignClinicalDirector>
{
    public AssignClinicalDirectorInput()
    {
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<IdGraphType>>("directorId");
        Field<NonNullGraphType<StringGraphType>>("displayName");
    }
}

public sealed class AssignClinicalDirectorMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<AssignClinicalDirector, AssignClinicalDirectorInput, NonNullGraphType<SiteGraphType>>(AssignClinicalDirector.OperationName, "Assigns a clinical director to a site.",
            async (c, x) => await c.Load<Site>(x.SiteId));
}
