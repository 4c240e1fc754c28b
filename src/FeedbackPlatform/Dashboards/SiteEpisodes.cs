using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.GraphQL;
using GraphQL;
using Marten;

namespace FeedbackPlatform.Dashboards;

/// <summary>A site's episodes, newest first, a page at a time, within the caller's slice.</summary>
public static class SiteEpisodes
{
    public static async Task<Page<EpisodeAllianceHealth>> Page(IResolveFieldContext context, Guid siteId)
    {
        var first = context.GetArgument("first", 50);
        Paging.CheckFirst(first);
        var cursor = Paging.Decode(context.GetArgument<string>("after"));
        await using var session = context.QuerySession();
        IQueryable<EpisodeAllianceHealth> query = session.Query<EpisodeAllianceHealth>().Where(e => e.SiteId == siteId);
        // The caller's slice is part of the query, so every page is full and nothing outside it is read.
        var scope = AccessPolicy.EpisodeList(context.Caller());
        if (scope.Sites is { } sites && !sites.Contains(siteId))
            return Paging.Cut(new List<EpisodeAllianceHealth>(), e => e.RecordedAt, e => e.Id, cursor, first);
        if (scope.TherapistId is { } own)
            query = query.Where(e => e.TherapistId == own);
        if (context.GetArgument<EpisodeStatus?>("status") is { } status)
            query = query.Where(e => e.EpisodeStatus == status);
        if (context.OptionalIdArgument("therapistId") is { } therapistId)
            query = query.Where(e => e.TherapistId == therapistId);
        if (context.GetArgument<bool?>("atRiskOnly") == true)
            query = query.Where(e => e.Status == AllianceHealthStatus.AtRisk);
        if (cursor is { } c)
            query = query.Where(e => e.RecordedAt <= c.At);
        var rows = await query.OrderByDescending(e => e.RecordedAt).Take(first + 1 + 16).ToListAsync(context.CancellationToken);
        return Paging.Cut(rows, e => e.RecordedAt, e => e.Id, cursor, first);
    }
}
