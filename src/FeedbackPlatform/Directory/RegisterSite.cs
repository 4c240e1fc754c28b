using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;
using FeedbackPlatform.Access;
using FeedbackPlatform.Ingestion;
using Wolverine.Http;

namespace FeedbackPlatform.Directory;

public sealed record RegisterSite : ApiCommand
{
    public const string OperationName = "registerSite";
    public override string Operation => OperationName;

    public Guid SiteId { get; init; }
    public string? Name { get; init; }
    /// <summary>IANA time zone; weekly series and digests follow the site's local week.</summary>
    public string? TimeZone { get; init; }
}

public static class RegisterSiteHandler
{
    public static Task<(CommandOutcome, StreamFacts<Site>)> Handle(RegisterSite c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.RegisterSite(site, c.SiteId, c.Name, c.TimeZone, clock.GetUtcNow()), ct);
}

public sealed class RegisterSiteInput : InputObjectGraphType<RegisterSite>
{
    public RegisterSiteInput()
    {
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<StringGraphType>("timeZone").Description("IANA time zone, e.g. Europe/Berlin (default UTC).");
    }
}

public sealed class RegisterSiteMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RegisterSite, RegisterSiteInput, NonNullGraphType<SiteGraphType>>(RegisterSite.OperationName, "Registers a site of the organization.",
            async (c, x) => await c.Load<Site>(x.SiteId));
}

public static class RegisterSiteEndpoint
{
    [WolverinePost("/api/sites"), Tags(RestCommand.Tag), EndpointSummary("Register a site")]
    public static Task<IResult> Post(RegisterSite command, HttpContext http, CommandGate gate, CancellationToken ct) => RestCommand.Send(http, gate, command, ct);
}
