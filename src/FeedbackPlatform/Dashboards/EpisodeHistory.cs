using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.GraphQL;
using GraphQL;
using Marten;

namespace FeedbackPlatform.Dashboards;

/// <summary>Time travel: an episode and its alerts as they stood at an instant, rebuilt from their events.</summary>
public static class EpisodeHistory
{
    /// <summary>
    /// The episode with its sessions and goals after the events of its stream up to the instant, folded in memory
    /// by the live projections' own Evolve (<see cref="EpisodeHistoryRows.Fold"/>); one read of the stream.
    /// </summary>
    public static async Task<EpisodeAllianceHealth?> AsOf(IResolveFieldContext context, Guid episodeId, DateTimeOffset asOf)
    {
        await using var session = context.QuerySession();
        var events = await session.Events.FetchStreamAsync(episodeId, timestamp: asOf, token: context.CancellationToken);
        var past = EpisodeHistoryRows.Fold(episodeId, events);
        if (past is not null)
            past.AsOf = asOf;
        return past;
    }

    /// <summary>
    /// The episode a mutation answers with. Batched loads are resolved only once every mutation of a document has run,
    /// so when the document holds several, the rows this answer may show are read now, before the next command (one
    /// batch of two queries); a document of one mutation reads them only if its selection asks for them.
    /// </summary>
    public static async Task<object?> AfterCommand(IResolveFieldContext context, Guid episodeId)
    {
        await using var session = context.QuerySession();
        var episode = await session.LoadAsync<EpisodeAllianceHealth>(episodeId, context.CancellationToken);
        var roots = context.Operation.SelectionSet.Selections;
        if (episode is null || (roots.Count == 1 && roots[0] is GraphQLParser.AST.GraphQLField))
            return episode;
        var batch = session.CreateBatchQuery();
        var sessions = batch.Query<EpisodeSession>().Where(s => s.EpisodeId == episodeId).ToList();
        var goals = batch.Query<EpisodeGoal>().Where(g => g.EpisodeId == episodeId).ToList();
        await batch.Execute(context.CancellationToken);
        episode.History = EpisodeHistoryRows.Of(await sessions, await goals);
        return episode;
    }

    public static async Task<IReadOnlyList<AlertCase>> AlertsAsOf(IResolveFieldContext context, Guid episodeId, DateTimeOffset asOf)
    {
        await using var session = context.QuerySession();
        var ids = await session.Query<AlertCase>().Where(a => a.EpisodeId == episodeId).Select(a => a.Id).ToListAsync(context.CancellationToken);
        var alerts = new List<AlertCase>();
        foreach (var id in ids)
        {
            if (await session.Events.AggregateStreamAsync<AlertCase>(id, timestamp: asOf, token: context.CancellationToken) is { } alert)
                alerts.Add(alert);
        }
        return alerts.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).ToList();
    }
}

public sealed class EpisodeEdgeGraphType() : EdgeGraphType<EpisodeGraphType, EpisodeAllianceHealth>("EpisodeEdge");

public sealed class EpisodeConnectionGraphType() : ConnectionGraphType<EpisodeGraphType, EpisodeEdgeGraphType, EpisodeAllianceHealth>("EpisodeConnection");

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
