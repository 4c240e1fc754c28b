using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;

namespace FeedbackPlatform.Directory;

/// <summary>A director leaves a site. The policy knows it (admins); no mutation or route offers it yet.</summary>
public sealed record UnassignClinicalDirector : ApiCommand
{
    public const string OperationName = "unassignClinicalDirector";
    public override string Operation => OperationName;

    public Guid SiteId { get; init; }
    public Guid DirectorId { get; init; }
}

public static class UnassignClinicalDirectorHandler
{
    public static Task<(CommandOutcome, StreamFacts<Site>)> Handle(UnassignClinicalDirector c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide<Site>(session, c.SiteId, site => DirectoryDecisions.UnassignDirector(site, c.DirectorId, clock.GetUtcNow()), ct);
}
