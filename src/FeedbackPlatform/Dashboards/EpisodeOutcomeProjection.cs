using System.Text.Json;
using System.Text.Json.Serialization;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical.Outcomes;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// Keeps the outcome tables (<see cref="OutcomeTables"/>), run by the projection daemon. Per batch and organization:
/// one read of the rows the batch touches, the facts folded onto them in order by the clinical core
/// (<see cref="OutcomeRows.When"/>), then one bulk upsert per table and what the changed rows count for now, minus what
/// they counted for when the batch began, added to the day and month tallies (<see cref="OutcomeDays"/>); the sessions of
/// a reassigned episode follow it to its new therapist. When the organization's alert rules change (or its tallies were
/// never counted, or its month tallies not yet, as after an upgrade), its tallies are counted afresh from the rows under the new settings. The same
/// facts give the same rows, live or rebuilt. Instants are stored in UTC.
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
    private readonly string _siteDays = OutcomeTables.QualifiedName(schema, OutcomeTables.SiteDays);
    private readonly string _therapistDays = OutcomeTables.QualifiedName(schema, OutcomeTables.TherapistDays);
    private readonly string _siteMonths = OutcomeTables.QualifiedName(schema, OutcomeTables.SiteMonths);
    private readonly string _therapistMonths = OutcomeTables.QualifiedName(schema, OutcomeTables.TherapistMonths);
    private readonly string _countedUnder = OutcomeTables.QualifiedName(schema, OutcomeTables.CountedUnder);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        foreach (var organization in events.GroupBy(e => e.TenantId))
        {
            var data = organization.Select(e => e.Data).ToList();
            var rulesChanged = data.OfType<AlertRulesChanged>().LastOrDefault();
            await ApplyForOrganization(operations, organization.Key, data.Where(OutcomeRows.Concerns).ToList(), rulesChanged?.Settings, ct);
        }
    }

    private sealed record EpisodeRow(Guid EpisodeId, Guid SiteId, Guid TherapistId, Population Population, decimal? IntakeTotal, decimal? FinalTotal,
        DateTimeOffset? LatestOrsAt, int OrsCount, int SessionsHeld, int SrsCount, EpisodeClosure? ClosedAs, DateTimeOffset? ClosedAt);

    private sealed record SessionRow(Guid SessionId, Guid EpisodeId, DateTimeOffset HeldAt, bool Cancelled, decimal? SrsTotal, DateTimeOffset? SrsSubmittedAt);

    private sealed record SettingsRow(decimal OrsReliableChange, decimal OrsCutoffAdult, decimal OrsCutoffAdolescent, decimal OrsCutoffChild,
        decimal SrsClinicalCutoff, bool SrsCutoffInclusive, bool? MonthsCounted);

    private async Task ApplyForOrganization(IDocumentOperations operations, string organization, IReadOnlyList<object> facts, AlertRuleSettings? newSettings, CancellationToken ct)
    {
        if (facts.Count == 0 && newSettings is null)
            return;
        var episodeIds = facts.Select(f => ((IEpisodeFact)f).EpisodeId).Distinct().ToArray();
        var sessionIds = facts.Select(OutcomeRows.SessionOf).OfType<Guid>().Distinct().ToArray();
        var reassignedIds = facts.OfType<TherapistReassigned>().Select(f => f.EpisodeId).Distinct().ToArray();
        var (episodes, sessions, countedUnder) = await Current(operations, organization, episodeIds, sessionIds, reassignedIds, ct);
        var episodesBefore = new Dictionary<Guid, EpisodeOutcome>(episodes);
        var sessionsBefore = new Dictionary<Guid, SessionFeedback>(sessions);

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

        if (newSettings is not null || countedUnder is null)
        {
            var settings = newSettings ?? (await operations.ForTenant(organization).LoadAsync<OrganizationRules>(PlatformSettings.OrganizationIdOf(organization), ct))?.Settings
                ?? AlertRuleSettings.Defaults;
            CountAfresh(operations, organization, settings);
            return;
        }
        // Every session of a reassigned episode counts for its new therapist now, whether or not the batch named it.
        var moved = sessions.Values.Where(s => reassigned.Contains(s.EpisodeId)).Select(s => s.SessionId);
        var sessionChanges = changedSessions.Union(moved).Select(id => (
            Before: sessionsBefore.GetValueOrDefault(id) is { } b && episodesBefore.GetValueOrDefault(b.EpisodeId) is { } be ? (b, be) : default((SessionFeedback, EpisodeOutcome)?),
            After: sessions[id] is var a && episodes.GetValueOrDefault(a.EpisodeId) is { } ae ? (a, ae) : default((SessionFeedback, EpisodeOutcome)?)));
        AddToDayTallies(operations, organization, countedUnder,
            changedEpisodes.Select(id => (episodesBefore.GetValueOrDefault(id), episodes[id])), sessionChanges);
    }

    /// <summary>
    /// What each changed row counts for now minus what it counted for when the batch began, by site and by therapist, each
    /// by day and by month. Tallies that come to nothing are removed, so the same facts leave the same rows whatever the batches.
    /// </summary>
    private void AddToDayTallies(IDocumentOperations operations, string organization, AlertRuleSettings settings,
        IEnumerable<(EpisodeOutcome? Before, EpisodeOutcome After)> episodeChanges,
        IEnumerable<((SessionFeedback Row, EpisodeOutcome Episode)? Before, (SessionFeedback Row, EpisodeOutcome Episode)? After)> sessionChanges)
    {
        var byTherapist = new Dictionary<(Guid Site, Guid Therapist, DateOnly Day), OutcomeTallies>();
        void Count(EpisodeOutcome placement, IEnumerable<(DateOnly Day, OutcomeTallies Part)> parts, bool taken)
        {
            foreach (var (day, part) in parts)
            {
                var key = (placement.SiteId, placement.TherapistId, day);
                byTherapist[key] = (byTherapist.GetValueOrDefault(key) ?? OutcomeTallies.None).Plus(taken ? part.Negated() : part);
            }
        }
        foreach (var (before, after) in episodeChanges)
        {
            if (before is not null)
                Count(before, OutcomeDays.Of(before, settings), taken: true);
            Count(after, OutcomeDays.Of(after, settings), taken: false);
        }
        foreach (var (before, after) in sessionChanges)
        {
            if (before is { } b)
                Count(b.Episode, OutcomeDays.Of(b.Row, settings), taken: true);
            if (after is { } a)
                Count(a.Episode, OutcomeDays.Of(a.Row, settings), taken: false);
        }
        var therapistRows = byTherapist.Where(t => t.Value != OutcomeTallies.None).ToList();
        if (therapistRows.Count == 0)
            return;
        // The same changes summed into each tally table: by therapist or by site (the therapist left out), by day or by
        // calendar month.
        foreach (var (table, byTherapistToo, byMonth) in new[] { (_therapistDays, true, false), (_siteDays, false, false), (_therapistMonths, true, true), (_siteMonths, false, true) })
        {
            var rows = therapistRows
                .GroupBy(t => (t.Key.Site, Therapist: byTherapistToo ? t.Key.Therapist : Guid.Empty, At: byMonth ? OutcomeDays.MonthOf(t.Key.Day) : t.Key.Day))
                .Select(g => (g.Key, Tallies: g.Aggregate(OutcomeTallies.None, (sum, t) => sum.Plus(t.Value))))
                .Where(r => r.Tallies != OutcomeTallies.None).ToList();
            if (rows.Count == 0)
                continue;
            var period = byMonth ? "month" : "day";
            object sites = rows.Select(r => r.Key.Site).ToArray(), therapists = rows.Select(r => r.Key.Therapist).ToArray(), ats = rows.Select(r => r.Key.At).ToArray();
            Add(operations, table,
                byTherapistToo ? ["site_id", "therapist_id", period] : ["site_id", period],
                byTherapistToo ? ["uuid", "uuid", "date"] : ["uuid", "date"],
                byTherapistToo ? [sites, therapists, ats] : [sites, ats],
                organization, rows.Select(r => r.Tallies).ToList());
        }
    }

    /// <summary>Adds the tallies to their rows (made when missing), then removes the rows that count nothing any more.</summary>
    private static void Add(IDocumentOperations operations, string table, string[] keys, string[] keyTypes, object[] keyValues, string organization, IReadOnlyList<OutcomeTallies> tallies)
    {
        var columns = OutcomeTables.TallyColumns;
        var unnest = string.Join(", ", keyTypes.Select(t => $"?::{t}[]").Concat(columns.Select(c => OutcomeTables.IsSum(c) ? "?::numeric[]" : "?::int[]")));
        var values = new List<object> { organization };
        values.AddRange(keyValues);
        values.AddRange(columns.Select(c => Column(tallies, c)));
        var key = string.Join(", ", keys);
        operations.QueueSqlCommand($"""
            insert into {table} as d (tenant_id, {key}, {string.Join(", ", columns)})
            select ?, u.* from unnest({unnest}) as u({key}, {string.Join(", ", columns)})
            on conflict (tenant_id, {key}) do update set {string.Join(", ", columns.Select(c => $"{c} = d.{c} + excluded.{c}"))}
            """, values.ToArray());
        var keyUnnest = string.Join(", ", keyTypes.Select(t => $"?::{t}[]"));
        var deleteValues = new List<object>(keyValues) { organization };
        operations.QueueSqlCommand($"""
            delete from {table} d using unnest({keyUnnest}) as u({key})
            where {string.Join(" and ", keys.Select(k => $"d.{k} = u.{k}"))} and d.tenant_id = ?
              and {string.Join(" and ", columns.Where(c => !OutcomeTables.IsSum(c)).Select(c => $"d.{c} = 0"))}
            """, deleteValues.ToArray());
    }

    private static object Column(IReadOnlyList<OutcomeTallies> tallies, string column) => column switch
    {
        "measured_episodes" => tallies.Select(t => t.MeasuredEpisodes).ToArray(),
        "reliably_improved" => tallies.Select(t => t.ReliablyImproved).ToArray(),
        "reliably_deteriorated" => tallies.Select(t => t.ReliablyDeteriorated).ToArray(),
        "started_in_clinical_range" => tallies.Select(t => t.StartedInClinicalRange).ToArray(),
        "recovered" => tallies.Select(t => t.Recovered).ToArray(),
        "change_sum" => tallies.Select(t => t.ChangeSum).ToArray(),
        "intake_sum" => tallies.Select(t => t.IntakeSum).ToArray(),
        "intake_squares" => tallies.Select(t => t.IntakeSquares).ToArray(),
        "closed_episodes" => tallies.Select(t => t.ClosedEpisodes).ToArray(),
        "dropouts" => tallies.Select(t => t.Dropouts).ToArray(),
        "sessions_of_closed_episodes" => tallies.Select(t => t.SessionsOfClosedEpisodes).ToArray(),
        "sessions_held" => tallies.Select(t => t.SessionsHeld).ToArray(),
        "sessions_held_with_srs" => tallies.Select(t => t.SessionsHeldWithSrs).ToArray(),
        "srs_count" => tallies.Select(t => t.SrsCount).ToArray(),
        "srs_sum" => tallies.Select(t => t.SrsSum).ToArray(),
        "srs_below_cutoff" => tallies.Select(t => t.SrsBelowCutoff).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "not a tally column"),
    };

    /// <summary>
    /// The organization's day and month tallies counted afresh from its rows under the settings given (queued after the batch's
    /// upserts, so they count the batch too), and those settings recorded as the ones they were counted under.
    /// </summary>
    private void CountAfresh(IDocumentOperations operations, string organization, AlertRuleSettings settings)
    {
        var sql = OutcomeSql.WithSettings("(select id from org)", settings);
        const string Org = "with org as (select ?::text as id) ";
        var columns = string.Join(", ", OutcomeTables.TallyColumns);
        string Keys(string instant) => $"site_id, therapist_id, {OutcomeSql.Day(instant)} as day";
        foreach (var table in new[] { _therapistDays, _siteDays, _therapistMonths, _siteMonths })
            operations.QueueSqlCommand($"delete from {table} where tenant_id = ?", organization);
        operations.QueueSqlCommand(Org + $"""
            insert into {_therapistDays} (tenant_id, site_id, therapist_id, day, {columns})
            select (select id from org), site_id, therapist_id, day, {OutcomeSql.Sums} from (
              {sql.EpisodeParts(_episodes, Keys("latest_ors_at"), "", "latest_ors_at is not null", "false")}
              union all
              {sql.EpisodeParts(_episodes, Keys("closed_at"), "", "false", "closed_at is not null")}
              union all
              {sql.SessionParts(_sessions, Keys("held_at"), "", "true", "false")}
              union all
              {sql.SessionParts(_sessions, Keys("srs_submitted_at"), "", "false", "srs_submitted_at is not null")}
            ) parts
            group by site_id, therapist_id, day
            having {OutcomeSql.CountsSomething}
            """, organization);
        operations.QueueSqlCommand($"""
            insert into {_siteDays} (tenant_id, site_id, day, {columns})
            select tenant_id, site_id, day, {OutcomeSql.Sums} from {_therapistDays} where tenant_id = ?
            group by tenant_id, site_id, day
            """, organization);
        const string month = "date_trunc('month', day::timestamp)::date";
        operations.QueueSqlCommand($"""
            insert into {_therapistMonths} (tenant_id, site_id, therapist_id, month, {columns})
            select tenant_id, site_id, therapist_id, {month}, {OutcomeSql.Sums} from {_therapistDays} where tenant_id = ?
            group by tenant_id, site_id, therapist_id, {month}
            """, organization);
        operations.QueueSqlCommand($"""
            insert into {_siteMonths} (tenant_id, site_id, month, {columns})
            select tenant_id, site_id, {month}, {OutcomeSql.Sums} from {_siteDays} where tenant_id = ?
            group by tenant_id, site_id, {month}
            """, organization);
        operations.QueueSqlCommand($"""
            insert into {_countedUnder} (tenant_id, ors_reliable_change, ors_cutoff_adult, ors_cutoff_adolescent, ors_cutoff_child, srs_clinical_cutoff, srs_cutoff_inclusive, months_counted)
            values (?, ?, ?, ?, ?, ?, ?, true)
            on conflict (tenant_id) do update set ors_reliable_change = excluded.ors_reliable_change, ors_cutoff_adult = excluded.ors_cutoff_adult,
              ors_cutoff_adolescent = excluded.ors_cutoff_adolescent, ors_cutoff_child = excluded.ors_cutoff_child,
              srs_clinical_cutoff = excluded.srs_clinical_cutoff, srs_cutoff_inclusive = excluded.srs_cutoff_inclusive, months_counted = true
            """, organization, settings.OrsReliableChange, settings.OrsCutoffAdult, settings.OrsCutoffAdolescent, settings.OrsCutoffChild,
            settings.SrsClinicalCutoff, settings.SrsCutoffInclusive);
    }

    private async Task<(Dictionary<Guid, EpisodeOutcome> Episodes, Dictionary<Guid, SessionFeedback> Sessions, AlertRuleSettings? CountedUnder)> Current(
        IQuerySession session, string organization, Guid[] episodeIds, Guid[] sessionIds, Guid[] reassignedIds, CancellationToken ct)
    {
        var sql = $"""
            select jsonb_build_object(
              'episodes', (select coalesce(jsonb_agg(to_jsonb(e)), '[]'::jsonb) from (
                 select episode_id, site_id, therapist_id, population, intake_total, final_total, latest_ors_at, ors_count, sessions_held, srs_count, closed_as, closed_at
                 from {_episodes} where tenant_id = ? and episode_id = any(?)) e),
              'sessions', (select coalesce(jsonb_agg(to_jsonb(s)), '[]'::jsonb) from (
                 select session_id, episode_id, held_at, cancelled, srs_total, srs_submitted_at
                 from {_sessions} where tenant_id = ? and (session_id = any(?) or episode_id = any(?))) s),
              'counted_under', (select to_jsonb(c) - 'tenant_id' from {_countedUnder} c where tenant_id = ?))::text
            """;
        var json = (await session.AdvancedSql.QueryAsync<string>(sql, ct, organization, episodeIds, organization, sessionIds, reassignedIds, organization)).Single();
        var rows = JsonSerializer.Deserialize<StoredRows>(json, SnakeCase)!;
        return (
            rows.Episodes.ToDictionary(e => e.EpisodeId, e => new EpisodeOutcome(e.EpisodeId, e.SiteId, e.TherapistId, e.Population, e.IntakeTotal, e.FinalTotal,
                e.LatestOrsAt, e.OrsCount, e.SessionsHeld, e.SrsCount, e.ClosedAs, e.ClosedAt)),
            rows.Sessions.ToDictionary(s => s.SessionId, s => new SessionFeedback(s.SessionId, s.EpisodeId, s.HeldAt, s.Cancelled, s.SrsTotal, s.SrsSubmittedAt)),
            // Tallies counted before there were month tallies count as never counted: they are counted afresh, months too.
            rows.CountedUnder is { MonthsCounted: true } c
                ? AlertRuleSettings.Defaults with
                {
                    OrsReliableChange = c.OrsReliableChange, OrsCutoffAdult = c.OrsCutoffAdult, OrsCutoffAdolescent = c.OrsCutoffAdolescent,
                    OrsCutoffChild = c.OrsCutoffChild, SrsClinicalCutoff = c.SrsClinicalCutoff, SrsCutoffInclusive = c.SrsCutoffInclusive,
                }
                : null);
    }

    private sealed record StoredRows(List<EpisodeRow> Episodes, List<SessionRow> Sessions, SettingsRow? CountedUnder);

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
