using System.Text.Json;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Dashboards;
using GraphQL;
using GraphQL.DataLoader;
using Marten;

namespace FeedbackPlatform.GraphQL;

/// <summary>
/// Per-request batching of document loads: every resolver of one execution level asks for its id, and the
/// first to need an answer loads all the ids asked for so far in one query. A page of 100 episodes with their
/// site, therapist and alerts so costs a handful of statements, not hundreds.
/// </summary>
public sealed class BatchLoader(IDocumentStore store, Access.RequestCaller caller)
{
    /// <summary>
    /// One kind of load: the ids asked for and not yet loaded, what was loaded, and how to load many at once. Its gate
    /// lets one load of the kind run at a time (the first to need an answer takes every id asked so far); loads of
    /// different kinds (an episode's sessions, goals and alerts) run side by side, each on its own connection.
    /// </summary>
    private sealed class Batch<TValue>(Func<IQuerySession, Guid[], CancellationToken, Task<Dictionary<Guid, TValue>>> fetch)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public HashSet<Guid> Asked { get; } = [];
        public Dictionary<Guid, TValue?> Loaded { get; } = [];
        public Func<IQuerySession, Guid[], CancellationToken, Task<Dictionary<Guid, TValue>>> Fetch => fetch;
    }

    private readonly object _lock = new();
    private readonly Dictionary<Type, object> _documents = [];

    private readonly Batch<EpisodeReference> _references = new(async (session, ids, ct) =>
    {
        var table = session.DocumentStore.Options.Schema.For<EpisodeAllianceHealth>();
        var rows = await session.AdvancedSql.QueryAsync<string>(
            $"select jsonb_build_object('id', id, 'siteId', site_id, 'therapistId', therapist_id)::text from {table} where tenant_id = ? and id = any(?)",
            ct, session.TenantId, ids);
        return rows.Select(r => JsonSerializer.Deserialize<EpisodeReference>(r, JsonSerializerOptions.Web)!).ToDictionary(e => e.Id);
    });

    private readonly Batch<IReadOnlyList<AlertCase>> _alerts = new(async (session, ids, ct) =>
    {
        var alerts = await session.Query<AlertCase>().Where(a => a.EpisodeId.IsOneOf(ids)).ToListAsync(ct);
        return ids.ToDictionary(episode => episode, IReadOnlyList<AlertCase> (episode) =>
            alerts.Where(a => a.EpisodeId == episode).OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).ToList());
    });

    private readonly Batch<IReadOnlyList<EpisodeSession>> _sessions = new(async (session, ids, ct) =>
    {
        var rows = (await session.Query<EpisodeSession>().Where(s => s.EpisodeId.IsOneOf(ids)).ToListAsync(ct)).ToLookup(s => s.EpisodeId);
        return ids.ToDictionary(episode => episode, episode => EpisodeHistoryRows.Ordered(rows[episode]));
    });

    private readonly Batch<IReadOnlyList<EpisodeGoal>> _goals = new(async (session, ids, ct) =>
    {
        var rows = (await session.Query<EpisodeGoal>().Where(g => g.EpisodeId.IsOneOf(ids)).ToListAsync(ct)).ToLookup(g => g.EpisodeId);
        return ids.ToDictionary(episode => episode, episode => EpisodeHistoryRows.Ordered(rows[episode]));
    });

    public IDataLoaderResult<T?> Load<T>(Guid id) where T : class
    {
        Batch<T> batch;
        lock (_lock)
        {
            if (!_documents.TryGetValue(typeof(T), out var known))
                _documents[typeof(T)] = known = new Batch<T>(async (session, ids, ct) => (await session.LoadManyAsync<T>(ct, ids)).ToDictionary(IdOf));
            batch = (Batch<T>)known;
        }
        return Ask(batch, id);
    }

    /// <summary>
    /// An episode asked for by its id alone (an inbox row's `episode { id }`): id, site and therapist from the read
    /// model's own columns, which is all the access policy and the access log need, as a type of its own, so nothing
    /// can take it for the episode.
    /// </summary>
    public IDataLoaderResult<EpisodeReference?> LoadReference(Guid id) => Ask(_references, id);

    /// <summary>The alerts of an episode, newest first; all episodes asked for at one level load in one query.</summary>
    public IDataLoaderResult<IReadOnlyList<AlertCase>> AlertsOf(Guid episodeId) => OrEmpty(Ask(_alerts, episodeId));

    /// <summary>The sessions of an episode, by number; all episodes asked for at one level load in one query.</summary>
    public IDataLoaderResult<IReadOnlyList<EpisodeSession>> SessionsOf(Guid episodeId) => OrEmpty(Ask(_sessions, episodeId));

    /// <summary>The goals of an episode, in the order they were recorded; one query for all episodes asked for at one level.</summary>
    public IDataLoaderResult<IReadOnlyList<EpisodeGoal>> GoalsOf(Guid episodeId) => OrEmpty(Ask(_goals, episodeId));

    private static Pending<IReadOnlyList<T>> OrEmpty<T>(Pending<IReadOnlyList<T>?> asked) =>
        new(async ct => await asked.GetResultAsync(ct) ?? []);

    /// <summary>Notes the id now; the first answer needed loads every id of its kind asked for so far, in one query.</summary>
    private Pending<TValue?> Ask<TValue>(Batch<TValue> batch, Guid id)
    {
        lock (_lock)
            if (!batch.Loaded.ContainsKey(id))
                batch.Asked.Add(id);
        return new Pending<TValue?>(async ct =>
        {
            await batch.Gate.WaitAsync(ct);
            try
            {
                Guid[] ids;
                lock (_lock)
                {
                    ids = [.. batch.Asked];
                    batch.Asked.Clear();
                }
                if (ids.Length > 0)
                {
                    await using var session = store.QuerySession(caller.Current.Organization);
                    var found = await batch.Fetch(session, ids, ct);
                    lock (_lock)
                        foreach (var key in ids)
                            batch.Loaded[key] = found.GetValueOrDefault(key);
                }
                lock (_lock)
                    return batch.Loaded.GetValueOrDefault(id);
            }
            finally
            {
                batch.Gate.Release();
            }
        });
    }

    private static Guid IdOf<T>(T document) => document switch
    {
        Clinical.Directory.Site s => s.Id,
        Clinical.Directory.Therapist t => t.Id,
        EpisodeAllianceHealth e => e.Id,
        AlertCase a => a.Id,
        _ => throw new NotSupportedException(typeof(T).Name),
    };

    /// <summary>Wraps work that cannot be batched so a resolver can return it like a batched load.</summary>
    public static IDataLoaderResult<T> Deferred<T>(Func<CancellationToken, Task<T>> load) => new Pending<T>(load);

    private sealed class Pending<T>(Func<CancellationToken, Task<T>> load) : IDataLoaderResult<T>
    {
        public Task<T> GetResultAsync(CancellationToken cancellationToken = default) => load(cancellationToken);
        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await load(cancellationToken);
    }
}

public static class BatchLoaderExtensions
{
    public static BatchLoader Batches(this IResolveFieldContext context) => context.RequestServices!.GetRequiredService<BatchLoader>();
}
