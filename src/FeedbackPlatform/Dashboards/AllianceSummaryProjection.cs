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
/// of each batch (so a rebuild gives the same numbers). The current figures of each site and therapist a batch
/// touched are read afresh, by index, from the figure columns of its inline episode read models (never behind the
/// events); the organization's are the sum of its sites' stored sums and counts, never a pass over all its episodes.
/// The daemon hands over every organization's events together: each organization's are applied in its own tenant.
/// </summary>
/// <remarks>
/// Why the sum of the sites is what a pass over every episode would give. Every episode has one site for life (no event
/// moves it) and each of its open alerts is counted with it (an alert's site is its episode's, AlertRaised.SiteId), so
/// the organization's figures are the sum of its sites'. A site's figures change only through its own episodes' read
/// models and their alert cases, and everything that changes those is a fact naming the episode (IEpisodeFact): the
/// episode's own facts and the alert streams' (raised, occurrences, acknowledged, escalated, resolved by the rules or
/// by a person). So a site is touched by every batch that holds such a fact and is read afresh then, from read models
/// that already hold that fact; a site no batch touched since has figures its stored summary still holds. Events that
/// name no episode (a site or therapist renamed or deactivated, the rules changed, people) change no figure, nor does an
/// erasure (it rewrites free text; the documents keep their scores and alerts). A
/// reassignment changes two therapists (both are touched), never a site. Live, a site read afresh may already include
/// facts of a later batch while an untouched one waits for its batch: that batch touches it and the organization again,
/// so once the daemon has caught up every stored figure is the full pass's. In a rebuild the read models hold the final
/// state from the start: every site is read at least once (its episodes' first fact), and the last batch with an episode
/// fact sums sites that all hold final figures. Summaries stored before the sums were kept are read afresh once.
/// </remarks>
public sealed class AllianceSummaryProjection : IProjection
{
    // One instance: System.Text.Json builds (and compiles) its serializer metadata once per options object.
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public const string Name = "AllianceSummary";

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
        var episodes = await References(operations, organization, episodeIds, ct);
        var zones = await TimeZones(operations, episodes.Values.Select(e => e.SiteId).Distinct().ToArray(), ct);

        await AddWeeklyFigures(operations, organizationId, events, episodes, zones, ct);

        // Each touched scope, stamped with its latest fact of the batch: the same stamp live and after a rebuild.
        var scopes = new Dictionary<(SummaryScope, Guid), DateTimeOffset>();
        void Touch(SummaryScope scope, Guid id, DateTimeOffset at) =>
            scopes[(scope, id)] = scopes.TryGetValue((scope, id), out var seen) && seen > at ? seen : at;
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
        if (scopes.Count == 0)
            return;

        Guid[] Touched(SummaryScope scope) => scopes.Keys.Where(k => k.Item1 == scope).Select(k => k.Item2).ToArray();
        var current = await FiguresOf(operations, organization, Touched(SummaryScope.Site), Touched(SummaryScope.Therapist), ct);
        var sites = new Dictionary<Guid, AllianceSummary>();
        foreach (var ((scope, id), at) in scopes)
        {
            if (scope == SummaryScope.Organization)
                continue;
            var summary = current.SummaryOf(scope, id, at);
            operations.Store(summary);
            if (scope == SummaryScope.Site)
                sites[id] = summary;
        }
        operations.Store(await OrganizationSummary(operations, organization, organizationId, sites, scopes[(SummaryScope.Organization, organizationId)], ct));
    }

    private static Guid? EpisodeOf(object fact) => (fact as IEpisodeFact)?.EpisodeId;

    /// <summary>Id, site and therapist of the batch's episodes, from the read model's own columns (its document stays in TOAST).</summary>
    private static async Task<Dictionary<Guid, EpisodeReference>> References(IQuerySession session, string organization, Guid[] episodeIds, CancellationToken ct)
    {
        var table = session.DocumentStore.Options.Schema.For<EpisodeAllianceHealth>();
        var json = (await session.AdvancedSql.QueryAsync<string>(
            $"select coalesce(jsonb_agg(jsonb_build_object('id', id, 'site_id', site_id, 'therapist_id', therapist_id)), '[]'::jsonb)::text from {table} where tenant_id = ? and id = any(?)",
            ct, organization, episodeIds)).Single();
        return JsonSerializer.Deserialize<List<EpisodeReference>>(json, SnakeCase)!.ToDictionary(e => e.Id);
    }

    /// <summary>
    /// The organization as the sum of its sites: those this batch read afresh, and every other site's stored summary.
    /// </summary>
    private static async Task<AllianceSummary> OrganizationSummary(IDocumentOperations operations, string organization, Guid organizationId,
        Dictionary<Guid, AllianceSummary> sites, DateTimeOffset at, CancellationToken ct)
    {
        var stored = (await operations.Query<AllianceSummary>().Where(s => s.Scope == SummaryScope.Site).ToListAsync(ct))
            .Where(s => !sites.ContainsKey(s.ScopeId)).ToList();
        // Stored before the sums were kept (an upgrade): read afresh once, stored with their own stamp (their facts are older).
        var lacking = stored.Where(s => s.LacksSums()).ToList();
        if (lacking.Count > 0)
        {
            var again = await FiguresOf(operations, organization, lacking.Select(s => s.ScopeId).ToArray(), [], ct);
            foreach (var old in lacking)
            {
                var summary = again.SummaryOf(SummaryScope.Site, old.ScopeId, old.UpdatedAt);
                operations.Store(summary);
                sites[old.ScopeId] = summary;
            }
        }
        foreach (var site in stored)
            sites.TryAdd(site.ScopeId, site);

        var all = sites.Values;
        int Sum(Func<AllianceSummary, int> figure) => all.Sum(figure);
        var srsSum = all.Sum(s => s.LatestSrsSum);
        var orsSum = all.Sum(s => s.LatestOrsSum);
        return new AllianceSummary
        {
            Id = AllianceSummary.IdFor(SummaryScope.Organization, organizationId),
            Scope = SummaryScope.Organization,
            ScopeId = organizationId,
            ActiveEpisodes = Sum(s => s.ActiveEpisodes),
            EpisodesAtRisk = Sum(s => s.EpisodesAtRisk),
            LatestSrsSum = srsSum,
            LatestSrsCount = Sum(s => s.LatestSrsCount),
            MeanLatestSrs = AllianceSummary.Mean(srsSum, Sum(s => s.LatestSrsCount)),
            LatestOrsSum = orsSum,
            LatestOrsCount = Sum(s => s.LatestOrsCount),
            MeanLatestOrs = AllianceSummary.Mean(orsSum, Sum(s => s.LatestOrsCount)),
            SessionsHeld = Sum(s => s.SessionsHeld),
            SessionsWithSrs = Sum(s => s.SessionsWithSrs),
            OpenAlertsByKind = all.SelectMany(s => s.OpenAlertsByKind).GroupBy(k => k.Key).ToDictionary(g => g.Key, g => g.Sum(k => k.Value)),
            UpdatedAt = at,
        };
    }

    private static async Task AddWeeklyFigures(IDocumentOperations operations, Guid organizationId, IReadOnlyList<IEvent> events,
        Dictionary<Guid, EpisodeReference> episodes, Dictionary<Guid, TimeZoneInfo> zones, CancellationToken ct)
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

    private sealed record FigureRow(string Scope, Guid Id, int Active, int AtRisk, decimal SrsSum, int SrsCount, decimal OrsSum, int OrsCount, int Held, int WithSrs);

    private sealed record AlertRow(string Scope, Guid Id, string Kind, int N);

    private sealed record Figures(List<FigureRow> Rows, List<AlertRow> Alerts)
    {
        public AllianceSummary SummaryOf(SummaryScope scope, Guid id, DateTimeOffset at)
        {
            var name = scope.ToString();
            var row = Rows.FirstOrDefault(r => r.Scope == name && r.Id == id);
            return new AllianceSummary
            {
                Id = AllianceSummary.IdFor(scope, id),
                Scope = scope,
                ScopeId = id,
                ActiveEpisodes = row?.Active ?? 0,
                EpisodesAtRisk = row?.AtRisk ?? 0,
                LatestSrsSum = row?.SrsSum ?? 0,
                LatestSrsCount = row?.SrsCount ?? 0,
                MeanLatestSrs = AllianceSummary.Mean(row?.SrsSum ?? 0, row?.SrsCount ?? 0),
                LatestOrsSum = row?.OrsSum ?? 0,
                LatestOrsCount = row?.OrsCount ?? 0,
                MeanLatestOrs = AllianceSummary.Mean(row?.OrsSum ?? 0, row?.OrsCount ?? 0),
                SessionsHeld = row?.Held ?? 0,
                SessionsWithSrs = row?.WithSrs ?? 0,
                OpenAlertsByKind = Alerts.Where(a => a.Scope == name && a.Id == id).ToDictionary(a => a.Kind, a => a.N),
                UpdatedAt = at,
            };
        }
    }

    // The sums and counts of one scope's active episodes, from the duplicated figure columns (Dashboards/DashboardsConfiguration).
    private const string Sums = """
        count(*) as active, count(*) filter (where e.status = 'AtRisk') as at_risk,
        coalesce(sum(e.latest_srs_total), 0) as srs_sum, count(e.latest_srs_total) as srs_count,
        coalesce(sum(e.latest_ors_total), 0) as ors_sum, count(e.latest_ors_total) as ors_count,
        coalesce(sum(e.sessions_held), 0) as held, coalesce(sum(e.sessions_with_srs), 0) as with_srs
        """;

    /// <summary>
    /// The current figures of the given sites and therapists only, each read by index: a site's open episodes by the
    /// partial index of open episodes by site, a therapist's by therapist; open alerts by the partial index of open alerts
    /// by site. An alert is counted at its own site, which is its episode's (AlertRaised.SiteId; nothing moves an
    /// episode), and with its episode's current therapist (it follows a reassigned episode; an open alert of a closed
    /// episode counts, as it always has), so the alerts read are those of the touched sites and of the sites of the
    /// touched therapists' episodes.
    /// </summary>
    private static async Task<Figures> FiguresOf(IQuerySession session, string organization, Guid[] sites, Guid[] therapists, CancellationToken ct)
    {
        var episodes = session.DocumentStore.Options.Schema.For<EpisodeAllianceHealth>();
        var alerts = session.DocumentStore.Options.Schema.For<Clinical.Alerts.AlertCase>();
        // The alerts are read once (materialized) and counted twice, by site and by therapist. The therapist comes from a
        // left join with the table itself, hashed on the therapists' episodes: joined to a CTE (no statistics) the plan
        // hashed the wide alert rows instead, and a join or lateral lookup estimated in millions of rows when a batch
        // touches every scope crossed PostgreSQL's JIT threshold, whose compilation alone took seconds.
        var sql = $"""
            with figures as (
              select 'Site' as scope, e.site_id as id, {Sums}
              from {episodes} e
              where e.tenant_id = ? and e.site_id = any(?) and e.episode_status = 'Open'
              group by e.site_id
              union all
              select 'Therapist', e.therapist_id, {Sums}
              from {episodes} e
              where e.tenant_id = ? and e.therapist_id = any(?) and e.episode_status = 'Open'
              group by e.therapist_id),
            alert_rows as materialized (
              select (a.data->>'siteId')::uuid as site, a.data->>'kind' as kind, t.therapist_id
              from {alerts} a left join {episodes} t
                on t.tenant_id = a.tenant_id and t.id = (a.data->>'episodeId')::uuid and t.therapist_id = any(?)
              where a.tenant_id = ? and a.data->>'status' <> 'Resolved'
                and (a.data->>'siteId')::uuid = any(?::uuid[] ||
                  array(select distinct x.site_id from {episodes} x where x.tenant_id = ? and x.therapist_id = any(?)))),
            open_alerts as (
              select 'Site' as scope, r.site as id, r.kind, count(*) as n
              from alert_rows r where r.site = any(?)
              group by r.site, r.kind
              union all
              select 'Therapist', r.therapist_id, r.kind, count(*)
              from alert_rows r where r.therapist_id is not null
              group by r.therapist_id, r.kind)
            select jsonb_build_object(
              'rows', (select coalesce(jsonb_agg(to_jsonb(f)), '[]'::jsonb) from figures f),
              'alerts', (select coalesce(jsonb_agg(to_jsonb(a)), '[]'::jsonb) from open_alerts a))
            """;
        var json = (await session.AdvancedSql.QueryAsync<string>(sql, ct,
            organization, sites, organization, therapists,
            therapists, organization, sites, organization, therapists, sites)).Single();
        return JsonSerializer.Deserialize<Figures>(json, SnakeCase)!;
    }
}
