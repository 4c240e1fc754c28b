using System.Text.Json;
using System.Text.Json.Serialization;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Outcomes;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// Keeps the outcome tables (<see cref="OutcomeTables"/>), run by the projection daemon. Per batch and organization:
/// one read of the rows the batch touches, the facts folded onto them in order by the clinical core
/// (<see cref="OutcomeRows.When"/>), then one bulk upsert per table and the differences added to the sites' day tallies;
/// the sessions of a reassigned episode follow it to its new therapist. The same facts give the same rows, live or rebuilt. Instants are stored in UTC.
/// </summary>
public sealed partial class EpisodeOutcomeProjection(string schema) : IProjection
{
    public const string Name = "EpisodeOutcomes";

    private static readonly JsonSerializerOptions SnakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _episodes = OutcomeTables.QualifiedName(schema, OutcomeTables.Episodes);
    private readonly string _sessions = OutcomeTables.QualifiedName(schema, OutcomeTables.Sessions);
    private readonly string _sessionDays = OutcomeTables.QualifiedName(schema, OutcomeTables.SessionDays);
    private readonly string _srsDays = OutcomeTables.QualifiedName(schema, OutcomeTables.SrsDays);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        foreach (var organization in events.GroupBy(e => e.TenantId))
            await ApplyForOrganization(operations, organization.Key, organization.Select(e => e.Data).Where(OutcomeRows.Concerns).ToList(), ct);
    }

    private sealed record EpisodeRow(Guid EpisodeId, Guid SiteId, Guid TherapistId, Population Population, decimal? IntakeTotal, decimal? FinalTotal,
        DateTimeOffset? LatestOrsAt, int OrsCount, int SessionsHeld, int SrsCount, EpisodeClosure? ClosedAs, DateTimeOffset? ClosedAt);

    private sealed record SessionRow(Guid SessionId, Guid EpisodeId, DateTimeOffset HeldAt, bool Cancelled, decimal? SrsTotal, DateTimeOffset? SrsSubmittedAt);

    private async Task ApplyForOrganization(IDocumentOperations operations, string organization, IReadOnlyList<object> facts, CancellationToken ct)
    {
        if (facts.Count == 0)
            return;
        var episodeIds = facts.Select(f => ((IEpisodeFact)f).EpisodeId).Distinct().ToArray();
        var sessionIds = facts.Select(OutcomeRows.SessionOf).OfType<Guid>().Distinct().ToArray();
        var (episodes, sessions) = await Current(operations, organization, episodeIds, sessionIds, ct);
        var stored = new Dictionary<Guid, SessionFeedback>(sessions);

        var changedEpisodes = new HashSet<Guid>();
        var changedSessions = new HashSet<Guid>();
        var reassigned = new HashSet<Guid>();
        foreach (var fact in facts)
        {
            var episodeId = ((IEpisodeFact)fact).EpisodeId;
            var sessionId = OutcomeRows.SessionOf(fact);
            var before = episodes.GetValueOrDefault(episodeId);
            var sessionBefore = sessionId is { } sid ? sessions.GetValueOrDefault(sid) : null;
            var (episode, session) = OutcomeRows.When(before, sessionBefore, fact);
            if (episode is not null && episode != before)
            {
                episodes[episodeId] = episode;
                changedEpisodes.Add(episodeId);
            }
            if (session is not null && session != sessionBefore)
            {
                sessions[session.SessionId] = session;
                changedSessions.Add(session.SessionId);
            }
            if (fact is TherapistReassigned && episode is not null)
                reassigned.Add(episodeId);
        }

        if (changedEpisodes.Count > 0)
            UpsertEpisodes(operations, organization, changedEpisodes.Select(id => episodes[id]).ToList());
        var written = changedSessions.Select(id => sessions[id]).Where(s => episodes.ContainsKey(s.EpisodeId)).ToList();
        if (written.Count > 0)
            UpsertSessions(operations, organization, written, episodes);
        if (written.Count > 0)
            AddToDayTallies(operations, organization, written.Select(s => (stored.GetValueOrDefault(s.SessionId), s, episodes[s.EpisodeId].SiteId)));
        if (reassigned.Count > 0)
        {
            // Sessions of earlier batches follow their episode to its therapist now.
            operations.QueueSqlCommand($"""
                update {_sessions} s set site_id = e.site_id, therapist_id = e.therapist_id
                from {_episodes} e
                where s.tenant_id = ? and s.episode_id = any(?) and e.tenant_id = s.tenant_id and e.episode_id = s.episode_id
                  and (s.site_id <> e.site_id or s.therapist_id <> e.therapist_id)
                """, organization, reassigned.ToArray());
        }
    }

    /// <summary>
    /// What each session's change adds to its site's day tallies: what it counts for now minus what it counted for when
    /// the batch began. Tallies that come to nothing are removed, so the same facts leave the same rows whatever the batches.
    /// </summary>
    private void AddToDayTallies(IDocumentOperations operations, string organization, IEnumerable<(SessionFeedback? Before, SessionFeedback After, Guid Site)> changes)
    {
        var held = new Dictionary<(Guid Site, DateOnly Day), (int Held, int WithSrs)>();
        var rated = new Dictionary<(Guid Site, DateOnly Day, decimal Total), int>();
        static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
        void Count(SessionFeedback? session, Guid site, int sign)
        {
            if (session is null || session.Cancelled)
                return;
            var key = (site, Day(session.HeldAt));
            var (h, w) = held.GetValueOrDefault(key);
            held[key] = (h + sign, w + (session.SrsTotal is null ? 0 : sign));
            if (session is { SrsTotal: { } total, SrsSubmittedAt: { } at })
                rated[(site, Day(at), total)] = rated.GetValueOrDefault((site, Day(at), total)) + sign;
        }
        foreach (var (before, after, site) in changes)
        {
            Count(before, site, -1);
            Count(after, site, +1);
        }
        var heldRows = held.Where(h => h.Value != (0, 0)).ToList();
        if (heldRows.Count > 0)
        {
            Guid[] sites = [.. heldRows.Select(h => h.Key.Site)];
            DateOnly[] days = [.. heldRows.Select(h => h.Key.Day)];
            operations.QueueSqlCommand($"""
                insert into {_sessionDays} as d (tenant_id, site_id, day, held, held_with_srs)
                select ?, u.* from unnest(?::uuid[], ?::date[], ?::int[], ?::int[]) as u(site_id, day, held, held_with_srs)
                on conflict (tenant_id, site_id, day) do update set held = d.held + excluded.held, held_with_srs = d.held_with_srs + excluded.held_with_srs
                """, organization, sites, days, heldRows.Select(h => h.Value.Held).ToArray(), heldRows.Select(h => h.Value.WithSrs).ToArray());
            operations.QueueSqlCommand($"""
                delete from {_sessionDays} d using unnest(?::uuid[], ?::date[]) as u(site_id, day)
                where d.tenant_id = ? and d.site_id = u.site_id and d.day = u.day and d.held = 0 and d.held_with_srs = 0
                """, sites, days, organization);
        }
        var ratedRows = rated.Where(r => r.Value != 0).ToList();
        if (ratedRows.Count > 0)
        {
            Guid[] sites = [.. ratedRows.Select(r => r.Key.Site)];
            DateOnly[] days = [.. ratedRows.Select(r => r.Key.Day)];
            decimal[] totals = [.. ratedRows.Select(r => r.Key.Total)];
            operations.QueueSqlCommand($"""
                insert into {_srsDays} as d (tenant_id, site_id, day, srs_total, srs_count)
                select ?, u.* from unnest(?::uuid[], ?::date[], ?::numeric[], ?::int[]) as u(site_id, day, srs_total, srs_count)
                on conflict (tenant_id, site_id, day, srs_total) do update set srs_count = d.srs_count + excluded.srs_count
                """, organization, sites, days, totals, ratedRows.Select(r => r.Value).ToArray());
            operations.QueueSqlCommand($"""
                delete from {_srsDays} d using unnest(?::uuid[], ?::date[], ?::numeric[]) as u(site_id, day, srs_total)
                where d.tenant_id = ? and d.site_id = u.site_id and d.day = u.day and d.srs_total = u.srs_total and d.srs_count = 0
                """, sites, days, totals, organization);
        }
    }

    private async Task<(Dictionary<Guid, EpisodeOutcome> Episodes, Dictionary<Guid, SessionFeedback> Sessions)> Current(
        IQuerySession session, string organization, Guid[] episodeIds, Guid[] sessionIds, CancellationToken ct)
    {
        var sql = $"""
            select jsonb_build_object(
              'episodes', (select coalesce(jsonb_agg(to_jsonb(e)), '[]'::jsonb) from (
                 select episode_id, site_id, therapist_id, population, intake_total, final_total, latest_ors_at, ors_count, sessions_held, srs_count, closed_as, closed_at
                 from {_episodes} where tenant_id = ? and episode_id = any(?)) e),
              'sessions', (select coalesce(jsonb_agg(to_jsonb(s)), '[]'::jsonb) from (
                 select session_id, episode_id, held_at, cancelled, srs_total, srs_submitted_at
                 from {_sessions} where tenant_id = ? and session_id = any(?)) s))::text
            """;
        var json = (await session.AdvancedSql.QueryAsync<string>(sql, ct, organization, episodeIds, organization, sessionIds)).Single();
        var rows = JsonSerializer.Deserialize<StoredRows>(json, SnakeCase)!;
        return (
            rows.Episodes.ToDictionary(e => e.EpisodeId, e => new EpisodeOutcome(e.EpisodeId, e.SiteId, e.TherapistId, e.Population, e.IntakeTotal, e.FinalTotal,
                e.LatestOrsAt, e.OrsCount, e.SessionsHeld, e.SrsCount, e.ClosedAs, e.ClosedAt)),
            rows.Sessions.ToDictionary(s => s.SessionId, s => new SessionFeedback(s.SessionId, s.EpisodeId, s.HeldAt, s.Cancelled, s.SrsTotal, s.SrsSubmittedAt)));
    }

    private sealed record StoredRows(List<EpisodeRow> Episodes, List<SessionRow> Sessions);

    private void UpsertEpisodes(IDocumentOperations operations, string organization, IReadOnlyList<EpisodeOutcome> rows) =>
        operations.QueueSqlCommand($"""
            insert into {_episodes} (tenant_id, episode_id, site_id, therapist_id, population, intake_total, final_total, latest_ors_at,
                                     ors_count, sessions_held, srs_count, closed_as, closed_at)
            select ?, u.* from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::numeric[], ?::numeric[], ?::timestamptz[],
                                      ?::int[], ?::int[], ?::int[], ?::text[], ?::timestamptz[])
              as u(episode_id, site_id, therapist_id, population, intake_total, final_total, latest_ors_at, ors_count, sessions_held, srs_count, closed_as, closed_at)
            on conflict (tenant_id, episode_id) do update set
              site_id = excluded.site_id, therapist_id = excluded.therapist_id, population = excluded.population,
              intake_total = excluded.intake_total, final_total = excluded.final_total, latest_ors_at = excluded.latest_ors_at,
              ors_count = excluded.ors_count, sessions_held = excluded.sessions_held, srs_count = excluded.srs_count,
              closed_as = excluded.closed_as, closed_at = excluded.closed_at
            """,
            organization,
            rows.Select(r => r.EpisodeId).ToArray(),
            rows.Select(r => r.SiteId).ToArray(),
            rows.Select(r => r.TherapistId).ToArray(),
            rows.Select(r => r.Population.ToString()).ToArray(),
            rows.Select(r => r.IntakeTotal).ToArray(),
            rows.Select(r => r.FinalTotal).ToArray(),
            rows.Select(r => r.LatestOrsAt?.ToUniversalTime()).ToArray(),
            rows.Select(r => r.OrsCount).ToArray(),
            rows.Select(r => r.SessionsHeld).ToArray(),
            rows.Select(r => r.SrsCount).ToArray(),
            rows.Select(r => r.ClosedAs?.ToString()).ToArray(),
            rows.Select(r => r.ClosedAt?.ToUniversalTime()).ToArray());

    private void UpsertSessions(IDocumentOperations operations, string organization, IReadOnlyList<SessionFeedback> rows, Dictionary<Guid, EpisodeOutcome> episodes) =>
        operations.QueueSqlCommand($"""
            insert into {_sessions} (tenant_id, session_id, episode_id, site_id, therapist_id, held_at, cancelled, srs_total, srs_submitted_at)
            select ?, u.* from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::timestamptz[], ?::boolean[], ?::numeric[], ?::timestamptz[])
              as u(session_id, episode_id, site_id, therapist_id, held_at, cancelled, srs_total, srs_submitted_at)
            on conflict (tenant_id, session_id) do update set
              episode_id = excluded.episode_id, site_id = excluded.site_id, therapist_id = excluded.therapist_id, held_at = excluded.held_at,
              cancelled = excluded.cancelled, srs_total = excluded.srs_total, srs_submitted_at = excluded.srs_submitted_at
            """,
            organization,
            rows.Select(r => r.SessionId).ToArray(),
            rows.Select(r => r.EpisodeId).ToArray(),
            rows.Select(r => episodes[r.EpisodeId].SiteId).ToArray(),
            rows.Select(r => episodes[r.EpisodeId].TherapistId).ToArray(),
            rows.Select(r => r.HeldAt.ToUniversalTime()).ToArray(),
            rows.Select(r => r.Cancelled).ToArray(),
            rows.Select(r => r.SrsTotal).ToArray(),
            rows.Select(r => r.SrsSubmittedAt?.ToUniversalTime()).ToArray());
}
