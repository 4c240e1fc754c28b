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
    private readonly Dictionary<Type, HashSet<Guid>> _pending = [];
    private readonly Dictionary<(Type, Guid), object?> _loaded = [];
    private readonly HashSet<Guid> _referencesPending = [];
    private readonly Dictionary<Guid, EpisodeAllianceHealth?> _references = [];
    private readonly HashSet<Guid> _alertsPending = [];
    private readonly Dictionary<Guid, List<AlertCase>> _alertsByEpisode = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IDataLoaderResult<T?> Load<T>(Guid id) where T : class
    {
        lock (_pending)
        {
            if (!_loaded.ContainsKey((typeof(T), id)))
            {
                if (!_pending.TryGetValue(typeof(T), out var ids))
                    _pending[typeof(T)] = ids = [];
                ids.Add(id);
            }
        }
        return new Pending<T?>(async ct =>
        {
            await _gate.WaitAsync(ct);
            try
            {
                Guid[] batch;
                lock (_pending)
                    batch = _pending.Remove(typeof(T), out var ids) ? [.. ids] : [];
                if (batch.Length > 0)
                {
                    await using var session = store.QuerySession(caller.Current.Organization);
                    var found = (await session.LoadManyAsync<T>(ct, batch)).ToDictionary(IdOf);
                    lock (_pending)
                        foreach (var key in batch)
                            _loaded[(typeof(T), key)] = found.GetValueOrDefault(key);
                }
                lock (_pending)
                    return (T?)_loaded.GetValueOrDefault((typeof(T), id));
            }
            finally
            {
                _gate.Release();
            }
        });
    }

    /// <summary>
    /// An episode asked for by its id alone (an inbox row's `episode { id }`): id, site and therapist from the read
    /// model's own columns, which is all the access policy and the access log need, without the document holding
    /// the episode's whole history. Only ever handed to a selection that reads nothing else of it.
    /// </summary>
    public IDataLoaderResult<EpisodeAllianceHealth?> LoadReference(Guid id)
    {
        lock (_pending)
            if (!_references.ContainsKey(id))
                _referencesPending.Add(id);
        return new Pending<EpisodeAllianceHealth?>(async ct =>
        {
            await _gate.WaitAsync(ct);
            try
            {
                Guid[] batch;
                lock (_pending)
                {
                    batch = [.. _referencesPending];
                    _referencesPending.Clear();
                }
                if (batch.Length > 0)
                {
                    var organization = caller.Current.Organization;
                    await using var session = store.QuerySession(organization);
                    var table = store.Options.Schema.For<EpisodeAllianceHealth>();
                    var rows = await session.AdvancedSql.QueryAsync<string>(
                        $"select jsonb_build_object('id', id, 'siteId', site_id, 'therapistId', therapist_id)::text from {table} where tenant_id = ? and id = any(?)",
                        ct, organization, batch);
                    var found = rows.Select(r => JsonSerializer.Deserialize<EpisodeAllianceHealth>(r, JsonSerializerOptions.Web)!).ToDictionary(e => e.Id);
                    lock (_pending)
                        foreach (var key in batch)
                            _references[key] = found.GetValueOrDefault(key);
                }
                lock (_pending)
                    return _references.GetValueOrDefault(id);
            }
            finally
            {
                _gate.Release();
            }
        });
    }

    /// <summary>The alerts of an episode, newest first; all episodes asked for at one level load in one query.</summary>
    public IDataLoaderResult<IReadOnlyList<AlertCase>> AlertsOf(Guid episodeId)
    {
        lock (_pending)
            if (!_alertsByEpisode.ContainsKey(episodeId))
                _alertsPending.Add(episodeId);
        return new Pending<IReadOnlyList<AlertCase>>(async ct =>
        {
            await _gate.WaitAsync(ct);
            try
            {
                Guid[] batch;
                lock (_pending)
                {
                    batch = [.. _alertsPending];
                    _alertsPending.Clear();
                }
                if (batch.Length > 0)
                {
                    await using var session = store.QuerySession(caller.Current.Organization);
                    var alerts = await session.Query<AlertCase>().Where(a => a.EpisodeId.IsOneOf(batch)).ToListAsync(ct);
                    lock (_pending)
                        foreach (var episode in batch)
                            _alertsByEpisode[episode] = alerts.Where(a => a.EpisodeId == episode)
                                .OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).ToList();
                }
                lock (_pending)
                    return _alertsByEpisode.GetValueOrDefault(episodeId) ?? [];
            }
            finally
            {
                _gate.Release();
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
