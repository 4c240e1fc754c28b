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
/// of each batch (so a rebuild gives the same numbers); the current figures of every scope a batch touched
/// are recomputed from one pass over the figure columns of the inline episode read models, which are never
/// behind the events.
/// The daemon hands over every organization's events together: each organization's are applied in its own tenant.
/// </summary>
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
        var episodes = (await operations.LoadManyAsync<EpisodeAllianceHealth>(ct, episodeIds)).ToDictionary(e => e.Id);
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
        var current = await CurrentFigures(operations, organization, ct);
        foreach (var ((scope, id), at) in scopes)
            operations.Store(current.SummaryOf(scope, id, at));
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

    private sealed record Row(string? Site, string? Therapist, int NoSite, int NoTherapist, int Active, int AtRisk, decimal? MeanSrs, decimal? MeanOrs, int Held, int WithSrs);

    private sealed record AlertRow(string? Site, string? Therapist, int NoSite, int NoTherapist, string Kind, int N);

    private sealed record Figures(List<Row> Rows, List<AlertRow> Alerts)
    {
        private static bool Matches(int noSite, int noTherapist, string? site, string? therapist, SummaryScope scope, string id) => scope switch
        {
            SummaryScope.Site => noSite == 0 && site == id,
            SummaryScope.Therapist => noTherapist == 0 && therapist == id,
            _ => noSite == 1 && noTherapist == 1,
        };

        public AllianceSummary SummaryOf(SummaryScope scope, Guid id, DateTimeOffset now)
        {
            var key = id.ToString();
            var row = Rows.FirstOrDefault(r => Matches(r.NoSite, r.NoTherapist, r.Site, r.Therapist, scope, key));
            return new AllianceSummary
            {
                Id = AllianceSummary.IdFor(scope, id),
                Scope = scope,
                ScopeId = id,
                ActiveEpisodes = row?.Active ?? 0,
                EpisodesAtRisk = row?.AtRisk ?? 0,
                MeanLatestSrs = row?.MeanSrs,
                MeanLatestOrs = row?.MeanOrs,
                SessionsHeld = row?.Held ?? 0,
                SessionsWithSrs = row?.WithSrs ?? 0,
                OpenAlertsByKind = Alerts.Where(a => Matches(a.NoSite, a.NoTherapist, a.Site, a.Therapist, scope, key)).ToDictionary(a => a.Kind, a => a.N),
                UpdatedAt = now,
            };
        }
    }

    /// <summary>
    /// The current figures of the organization, of every site and of every therapist, in one pass over the inline
    /// episode read models (grouping sets), however many scopes the batch touched.
    /// </summary>
    private static async Task<Figures> CurrentFigures(IQuerySession session, string organization, CancellationToken ct)
    {
        var episodes = session.DocumentStore.Options.Schema.For<EpisodeAllianceHealth>();
        var alerts = session.DocumentStore.Options.Schema.For<Clinical.Alerts.AlertCase>();
        // Reads the episodes' duplicated columns only (PlatformSetup): the documents themselves stay in TOAST.
        var sql = $"""
            with figures as (
              select e.site_id::text as site, e.therapist_id::text as therapist,
                     grouping(e.site_id) as no_site, grouping(e.therapist_id) as no_therapist,
                     count(*) as active,
                     count(*) filter (where e.status = 'AtRisk') as at_risk,
                     round(avg(e.latest_srs_total), 2) as mean_srs,
                     round(avg(e.latest_ors_total), 2) as mean_ors,
                     coalesce(sum(e.sessions_held), 0) as held,
                     coalesce(sum(e.sessions_with_srs), 0) as with_srs
              from {episodes} e
              where e.tenant_id = ? and e.episode_status = 'Open'
              group by grouping sets ((), (e.site_id), (e.therapist_id))),
            open_alerts as (
              select e.site_id::text as site, e.therapist_id::text as therapist,
                     grouping(e.site_id) as no_site, grouping(e.therapist_id) as no_therapist,
                     a.data->>'kind' as kind, count(*) as n
              from {alerts} a join {episodes} e on e.tenant_id = a.tenant_id and e.id = (a.data->>'episodeId')::uuid
              where a.tenant_id = ? and a.data->>'status' <> 'Resolved'
              group by grouping sets ((a.data->>'kind'), (e.site_id, a.data->>'kind'), (e.therapist_id, a.data->>'kind')))
            select jsonb_build_object(
              'rows', (select coalesce(jsonb_agg(to_jsonb(f)), '[]'::jsonb) from figures f),
              'alerts', (select coalesce(jsonb_agg(to_jsonb(a)), '[]'::jsonb) from open_alerts a))
            """;
        var json = (await session.AdvancedSql.QueryAsync<string>(sql, ct, organization, organization)).Single();
        return JsonSerializer.Deserialize<Figures>(json, SnakeCase)!;
    }
}
