using FeedbackPlatform.Hosting;
using Npgsql;

namespace FeedbackPlatform.Alerts;

/// <summary>
/// The sites' timelines just replayed, kept in memory so that the next what-if on the same site (an admin tries one
/// threshold after another before changing them) reads only the facts that arrived since, not the whole year again.
/// Sound because the projection writes rows in event order, a batch at a time, and changes none it wrote: while the
/// newest row kept is there, every row before it is, and is the one kept. A rebuild empties the table and fills it
/// again in the same order, so when that row is missing (the rebuild has not reached it) the site is read afresh.
/// Bounded: at most <see cref="MaxFacts"/> facts in all, the sites replayed longest ago dropped first, and none kept
/// longer than <see cref="Unused"/> without a replay. An organization's whole timeline is never kept (it would not
/// fit), only sites'.
/// </summary>
public sealed class RuleFactCache(PlatformSettings platform, TimeProvider clock)
{
    /// <summary>About 24 MiB of facts (96 bytes each): three sites of the benchmark's size (about 72,000 facts each).</summary>
    public const int MaxFacts = 250_000;

    public static readonly TimeSpan Unused = TimeSpan.FromMinutes(15);

    // A site's rows as read, never changed once published: a replay may still be reading the previous ones.
    private sealed record Timeline(RuleFact[] Rows, long LastSeq, DateTimeOffset UsedAt);

    private readonly Dictionary<(string Organization, Guid Site), Timeline> _sites = new();
    private readonly Lock _lock = new();

    /// <summary>The site's facts in event order, every one the projection has written (the caller filters by time).</summary>
    public async Task<RuleFact[]> Site(string organization, Guid siteId, CancellationToken ct)
    {
        var key = (organization, siteId);
        Timeline? cached;
        lock (_lock)
            _sites.TryGetValue(key, out cached);

        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync(ct);
        var (rows, lastSeq) = cached is null
            ? await RuleFacts.ReadSite(connection, platform.Schema, organization, siteId, 0, ct)
            : await Extend(connection, organization, siteId, cached, ct);
        Keep(key, new Timeline(rows, lastSeq, clock.GetUtcNow()));
        return rows;
    }

    private async Task<(RuleFact[] Rows, long LastSeq)> Extend(NpgsqlConnection connection, string organization, Guid siteId, Timeline cached, CancellationToken ct)
    {
        var (kept, added, lastSeq) = await RuleFacts.ReadSiteSince(connection, platform.Schema, organization, siteId, cached.LastSeq, ct);
        if (!kept)
            return await RuleFacts.ReadSite(connection, platform.Schema, organization, siteId, 0, ct);
        if (added.Count == 0)
            return (cached.Rows, cached.LastSeq);
        var rows = new RuleFact[cached.Rows.Length + added.Count];
        cached.Rows.CopyTo(rows, 0);
        added.CopyTo(rows, cached.Rows.Length);
        return (rows, lastSeq);
    }

    private void Keep((string, Guid) key, Timeline timeline)
    {
        lock (_lock)
        {
            _sites.Remove(key);
            var now = timeline.UsedAt;
            foreach (var (stale, _) in _sites.Where(s => now - s.Value.UsedAt > Unused).ToList())
                _sites.Remove(stale);
            if (timeline.Rows.Length > MaxFacts)
                return;
            var total = timeline.Rows.Length + _sites.Values.Sum(s => s.Rows.Length);
            foreach (var (oldest, dropped) in _sites.OrderBy(s => s.Value.UsedAt).ToList())
            {
                if (total <= MaxFacts)
                    break;
                _sites.Remove(oldest);
                total -= dropped.Rows.Length;
            }
            _sites[key] = timeline;
        }
    }
}
