using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.GraphQL;
using GraphQL;
using Marten;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// An episode with the rows a dashboard draws: as it stood at an instant (time travel, rebuilt from its events, and its
/// alerts likewise), or as a mutation leaves it.
/// </summary>
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
    /// The episode a mutation answers with: as its own commit stored it, read only when the command changed nothing.
    /// Batched loads are resolved only once every mutation of a document has run,
    /// so when the document holds several, the rows this answer may show are read now, before the next command (one
    /// batch of two queries); a document of one mutation reads them only if its selection asks for them.
    /// </summary>
    public static async Task<object?> AfterCommand(IResolveFieldContext context, Guid episodeId)
    {
        await using var session = context.QuerySession();
        var episode = CommittedEpisodes.Stored(episodeId) ?? await session.LoadAsync<EpisodeAllianceHealth>(episodeId, context.CancellationToken);
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
