using System.Text.Json;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Hosting;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// Therapist, site and organization summaries, run by the projection daemon. Weekly series add up the facts
/// of each batch (so a rebuild gives the same numbers). The current figures are kept incrementally: each episode's
/// share of its site's and therapist's figures (<see cref="SummaryShare"/>) is stored, and a batch reads, by id,
/// only the episodes it touched, their stored shares and the touched scopes' stored sums and counts, and adds the
/// difference. The organization's figures are the sum of its sites' changes the same way: nothing passes over all of
/// a scope's episodes. The daemon hands over every organization's events together: each organization's are applied in
/// its own tenant.
/// </summary>
/// <remarks>
/// Why the stored sums stay what a pass over every episode would give. A scope's figures are the sum of its episodes'
/// shares: an open episode's status, latest SRS and ORS and session counts, and every episode's open alerts by kind
/// (an alert is counted at its episode's site, which no event moves, and with the episode's current therapist, also
/// once the episode is closed). Everything that changes a share is a fact naming the episode (IEpisodeFact): the
/// episode's own facts and the alert streams' (raised, occurrences, acknowledged, escalated, resolved by the rules or by
/// a person), and the episode's inline read model already holds it when the batch reads it. So every episode whose share
/// changed is touched, its old share (as last stored) is taken away from the scopes it was counted in and its new share
/// added to the scopes it is in now (a reassignment moves it between therapists). Events that name no episode (a site or
/// therapist renamed or deactivated, the rules changed, people) change no share, nor does an erasure (it rewrites free
/// text; the read models keep their scores and alerts). Live, a share read may already include facts of a later batch:
/// that batch reads it again and finds no difference, so once the daemon has caught up every stored figure is the full
/// pass's. In a rebuild the shares and summaries start empty and each episode is read at least once. Summaries stored
/// before shares were kept (an upgrade) are recounted once, from every episode's share, in the first batch.
/// </remarks>
public sealed class AllianceSummaryProjection : IProjection
{
    public const string Name = "AllianceSummary";

    // The upgrade's recount reads the organization's episodes a page at a time.
    private const int RecountPage = 1000;

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        foreach (var organization in events.GroupBy(e => e.TenantId))
            await ApplyForOrganization(operations.ForTenant(organization.Key), organization.Key, organization.ToList(), ct);
    }

    private static async Task ApplyForOrganization(IDocumentOperations operations, string organization, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var organizationId = PlatformSettings.OrganizationIdOf(organization);
        var episodeIds = events.Select(e => EpisodeOf(e.Data)).OfType<Guid>().Distinct().ToArray();
        if (episodeIds.Length == 0)
            return;
        var episodes = (await operations.LoadManyAsync<EpisodeAllianceHealth>(ct, episodeIds)).ToDictionary(e => e.Id);
        var zones = await TimeZones(operations, episodes.Values.Select(e => e.SiteId).Distinct().ToArray(), ct);

        await AddWeeklyFigures(operations, organizationId, events, episodes, zones, ct);

        // Each touched scope, stamped with its latest fact of the batch: the same stamp live and after a rebuild.
        var stamps = new Dictionary<(SummaryScope, Guid), DateTimeOffset>();
        void Touch(SummaryScope scope, Guid id, DateTimeOffset at) =>
            stamps[(scope, id)] = stamps.TryGetValue((scope, id), out var seen) && seen > at ? seen : at;
        foreach (var e in events)
        {
            if (EpisodeOf(e.Data) is not { } episodeId || !episodes.TryGetValue(episodeId, out var episode))
                continue;
            Touch(SummaryScope.Organization, organizationId, e.Timestamp);
            Touch(SummaryScope.Site, episode.SiteId, e.Timestamp);
            Touch(SummaryScope.Therapist, episode.TherapistId, e.Timestamp);
            if (e.Data is TherapistReassigned reassigned)
                Touch(SummaryScope.Therapist, reassigned.FromTherapistId, e.Timestamp);
        }
        if (stamps.Count == 0)
            return;
        var latest = stamps.Values.Max();

        // The touched scopes' stored summaries, the organization's among them (every touch touches it).
        var stored = (await operations.LoadManyAsync<AllianceSummary>(ct, stamps.Keys.Select(k => AllianceSummary.IdFor(k.Item1, k.Item2)).ToArray()))
            .ToDictionary(s => (s.Scope, s.ScopeId));
        var changes = new Dictionary<(SummaryScope, Guid), SummaryChange>();
        SummaryChange ChangeOf(SummaryScope scope, Guid id) =>
            changes.TryGetValue((scope, id), out var change) ? change : changes[(scope, id)] = new SummaryChange();
        void Move(SummaryShare? before, SummaryShare? now)
        {
            if (before is not null)
                foreach (var (scope, id) in new[] { (SummaryScope.Site, before.SiteId), (SummaryScope.Therapist, before.TherapistId), (SummaryScope.Organization, organizationId) })
                    ChangeOf(scope, id).Add(before, -1);
            if (now is not null)
                foreach (var (scope, id) in new[] { (SummaryScope.Site, now.SiteId), (SummaryScope.Therapist, now.TherapistId), (SummaryScope.Organization, organizationId) })
                    ChangeOf(scope, id).Add(now, +1);
        }

        // Stored before the shares were kept: every summary is counted again from every episode's share, from zero.
        var recount = stored.GetValueOrDefault((SummaryScope.Organization, organizationId)) is { SummedFromShares: false };
        if (recount)
        {
            var all = await operations.Query<EpisodeAllianceHealth>().Select(e => e.Id).ToListAsync(ct);
            foreach (var page in all.Chunk(RecountPage))
                foreach (var episode in await operations.LoadManyAsync<EpisodeAllianceHealth>(ct, page))
                {
                    var share = SummaryShare.Of(episode);
                    operations.Store(share);
                    Move(null, share);
                }
        }
        else
        {
            var before = (await operations.LoadManyAsync<SummaryShare>(ct, episodeIds)).ToDictionary(c => c.Id);
            foreach (var episodeId in episodeIds)
            {
                var share = episodes.TryGetValue(episodeId, out var episode) ? SummaryShare.Of(episode) : null;
                var old = before.GetValueOrDefault(episodeId);
                if (share is not null && old is not null && share.SameAs(old))
                    continue;
                Move(old, share);
                if (share is not null)
                    operations.Store(share);
            }
        }

        // A scope changed but not touched (a share counted under a therapist no fact of the batch names): read it too.
        var untouched = changes.Keys.Where(k => !stamps.ContainsKey(k)).ToArray();
        if (untouched.Length > 0)
            foreach (var summary in await operations.LoadManyAsync<AllianceSummary>(ct, untouched.Select(k => AllianceSummary.IdFor(k.Item1, k.Item2)).ToArray()))
                stored[(summary.Scope, summary.ScopeId)] = summary;

        // Each scope's stored sums and counts plus the change (a recount starts from zero); an untouched scope keeps its stamp.
        foreach (var (scope, id) in stamps.Keys.Union(untouched))
        {
            var existing = stored.GetValueOrDefault((scope, id));
            var summary = existing is not null && !recount ? existing : new AllianceSummary { Id = AllianceSummary.IdFor(scope, id), Scope = scope, ScopeId = id };
            changes.GetValueOrDefault((scope, id))?.ApplyTo(summary);
            summary.UpdatedAt = stamps.TryGetValue((scope, id), out var at) ? at : existing?.UpdatedAt ?? latest;
            summary.SummedFromShares = true;
            operations.Store(summary);
        }
    }

    private static Guid? EpisodeOf(object fact) => (fact as IEpisodeFact)?.EpisodeId;

    private static async Task AddWeeklyFigures(IDocumentOperations operations, Guid organizationId, IReadOnlyList<IEvent> events,
        Dictionary<Guid, EpisodeAllianceHealth> episodes, Dictionary<Guid, TimeZoneInfo> zones, CancellationToken ct)
    {
        var changes = new List<(Guid Episode, DateTimeOffset At, Action<WeeklyFigures> Add)>();
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case SessionRatingSubmitted srs:
                    changes.Add((srs.EpisodeId, srs.SubmittedAt, w => { w.SrsSum += srs.Total; w.SrsCount++; }));
                    break;
                case OutcomeRatingSubmitted ors:
                    changes.Add((ors.EpisodeId, ors.SubmittedAt, w => { w.OrsSum += ors.Total; w.OrsCount++; }));
                    break;
                // Alert decisions are recorded in the episode's stream and in the alert's own: count the alert's copy.
                case AlertRaised raised when e.StreamId == raised.AlertId:
                    changes.Add((raised.EpisodeId, raised.RaisedAt, w => w.AlertsRaised++));
                    break;
                case AlertResolved resolved when e.StreamId == resolved.AlertId:
                    changes.Add((resolved.EpisodeId, resolved.ResolvedAt, w => w.AlertsResolved++));
                    break;
            }
        }
        if (changes.Count == 0)
            return;

        var weeks = new Dictionary<string, WeeklyFigures>();
        var wanted = new List<(string Id, Action<WeeklyFigures> Add, SummaryScope Scope, Guid ScopeId, DateOnly Week)>();
        foreach (var (episodeId, at, add) in changes)
        {
            if (!episodes.TryGetValue(episodeId, out var episode))
                continue;
            var zone = zones.GetValueOrDefault(episode.SiteId, TimeZoneInfo.Utc);
            foreach (var (scope, id, week) in new[]
                     {
                         (SummaryScope.Site, episode.SiteId, WeeklyFigures.WeekOf(at, zone)),
                         (SummaryScope.Therapist, episode.TherapistId, WeeklyFigures.WeekOf(at, zone)),
                         (SummaryScope.Organization, organizationId, WeeklyFigures.WeekOf(at, TimeZoneInfo.Utc)),
                     })
                wanted.Add((WeeklyFigures.IdFor(scope, id, week), add, scope, id, week));
        }
        var ids = wanted.Select(w => w.Id).Distinct().ToArray();
        foreach (var existing in await operations.LoadManyAsync<WeeklyFigures>(ct, ids))
            weeks[existing.Id] = existing;
        foreach (var (id, add, scope, scopeId, week) in wanted)
        {
            if (!weeks.TryGetValue(id, out var figures))
                weeks[id] = figures = new WeeklyFigures { Id = id, Scope = scope, ScopeId = scopeId, WeekStart = week };
            add(figures);
        }
        foreach (var figures in weeks.Values)
            operations.Store(figures);
    }

    private static async Task<Dictionary<Guid, TimeZoneInfo>> TimeZones(IQuerySession session, Guid[] siteIds, CancellationToken ct)
    {
        var sites = await session.LoadManyAsync<Site>(ct, siteIds);
        return sites.ToDictionary(s => s.Id, s => TimeZoneInfo.TryFindSystemTimeZoneById(s.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc);
    }
}
