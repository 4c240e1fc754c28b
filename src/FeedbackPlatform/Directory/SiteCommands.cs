using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using Marten;

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

public sealed record RenameSite : ApiCommand
{
    public const string OperationName = "renameSite";
    public override string Operation => OperationName;

    public Guid SiteId { get; init; }
    public string? Name { get; init; }
}

public sealed record DeactivateSite : ApiCommand
{
    public const string OperationName = "deactivateSite";
    public override string Operation => OperationName;

    public Guid SiteId { get; init; }
}

public sealed record AssignClinicalDirector : ApiCommand
{
    public const string OperationName = "assignClinicalDirector";
    public override string Operation => OperationName;

    public Guid SiteId { get; init; }
    public Guid DirectorId { get; init; }
    public string? DisplayName { get; init; }
}

public sealed record UnassignClinicalDirector : ApiCommand
{
    public const string OperationName = "unassignClinicalDirector";
    public override string Operation => OperationName;

    public Guid SiteId { get; init; }
    public Guid DirectorId { get; init; }
}

public static class SiteHandler
{
    public static Task<CommandOutcome> Handle(RegisterSite c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.RegisterSite(site, c.SiteId, c.Name, c.TimeZone, clock.GetUtcNow()), ct);

    public static Task<CommandOutcome> Handle(RenameSite c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.RenameSite(site, c.Name, clock.GetUtcNow()), ct);

    public static Task<CommandOutcome> Handle(DeactivateSite c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.DeactivateSite(site, clock.GetUtcNow()), ct);

    public static Task<CommandOutcome> Handle(AssignClinicalDirector c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.AssignDirector(site, c.DirectorId, c.DisplayName, clock.GetUtcNow()), ct);

    public static Task<CommandOutcome> Handle(UnassignClinicalDirector c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.UnassignDirector(site, c.DirectorId, clock.GetUtcNow()), ct);
}
