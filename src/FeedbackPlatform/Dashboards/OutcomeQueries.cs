using System.Text.Json;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Outcomes;
using FeedbackPlatform.Hosting;
using Npgsql;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// The tallies of the outcome figures, added up by PostgreSQL over the compact outcome tables by index (organization,
/// then site or therapist): counts, sums and sums of squares, under the settings given. The sessions of the organization
/// or a site come from the sites' day tallies for the period's whole days and from the sessions only for its partial days. The clinical
/// core finishes them (<see cref="OutcomeFigures.Finish"/>), so the definitions and the rounding live in one place.
/// </summary>
public sealed class OutcomeQueries(PlatformSettings platform)
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Which rows: the whole organization, one site's or one therapist's.</summary>
    public sealed record Scope(OutcomeScope Kind, Guid Id);

    /// <summary>How the rows are split: not at all, by site, or by therapist.</summary>
    public enum Split
    {
        None,
        BySite,
        ByTherapist,
    }

    private sealed record Row(
        Guid ScopeId, int? MeasuredEpisodes, int? ReliablyImproved, int? ReliablyDeteriorated, int? StartedInClinicalRange, int? Recovered,
        decimal? ChangeSum, decimal? IntakeSum, decimal? IntakeSquares, int? ClosedEpisodes, int? Dropouts, int? SessionsOfClosedEpisodes,
        int? SessionsHeld, int? SessionsHeldWithSrs, int? SrsCount, decimal? SrsSum, int? SrsBelowCutoff);

    /// <summary>
    /// The whole UTC days [FirstDay, EndDay) of a period, read from the sites' day tallies, and the partial days read from
    /// the sessions: [from, HeadEnd) and [TailStart, to).
    /// </summary>
    private sealed record Days(DateOnly FirstDay, DateOnly EndDay, DateTimeOffset HeadEnd, DateTimeOffset TailStart);

    /// <summary>
    /// Day tallies serve the organization and its sites, whole or by site (a therapist's sessions are few, and their
    /// episodes can change therapist); null when the period holds no whole day, or for a therapist.
    /// </summary>
    private static Days? WholeDays(Scope scope, Split split, OutcomePeriod period)
    {
        if (scope.Kind == OutcomeScope.Therapist || split == Split.ByTherapist)
            return null;
        var from = period.From.UtcDateTime;
        var to = period.To.UtcDateTime;
        var first = DateOnly.FromDateTime(from).AddDays(from.TimeOfDay == TimeSpan.Zero ? 0 : 1);
        var last = DateOnly.FromDateTime(to);
        if (first >= last)
            return null;
        static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new Days(first, last, Midnight(first), Midnight(last));
    }

    /// <summary>The tallies of one scope (all zero when nothing of it falls in the period).</summary>
    public async Task<OutcomeTallies> Tallies(string organization, Scope scope, OutcomePeriod period, AlertRuleSettings settings, CancellationToken ct) =>
        (await Tallies(organization, scope, Split.None, period, settings, ct)).Values.SingleOrDefault() ?? OutcomeTallies.None;

    /// <summary>The tallies of a scope split by site or therapist; only the parts with something in the period are present.</summary>
    public async Task<IReadOnlyDictionary<Guid, OutcomeTallies>> Tallies(string organization, Scope scope, Split split, OutcomePeriod period, AlertRuleSettings settings, CancellationToken ct)
    {
        // Column names come from this fixed list only; every value is a parameter.
        var filter = scope.Kind switch
        {
            OutcomeScope.Site => " and site_id = @scope",
            OutcomeScope.Therapist => " and therapist_id = @scope",
            _ => "",
        };
        var group = split switch
        {
            Split.BySite => "site_id",
            Split.ByTherapist => "therapist_id",
            _ => "'00000000-0000-0000-0000-000000000000'::uuid",
        };
        var episodes = OutcomeTables.QualifiedName(platform.Schema, OutcomeTables.Episodes);
        var sessions = OutcomeTables.QualifiedName(platform.Schema, OutcomeTables.Sessions);
        var sessionDays = OutcomeTables.QualifiedName(platform.Schema, OutcomeTables.SessionDays);
        var srsDays = OutcomeTables.QualifiedName(platform.Schema, OutcomeTables.SrsDays);
        var days = WholeDays(scope, split, period);
        var rawSessions = $"""
            s as (
              select g,
                     count(*) filter (where h) as sessions_held,
                     count(*) filter (where h and srs_total is not null) as sessions_held_with_srs,
                     count(*) filter (where r) as srs_count,
                     coalesce(sum(srs_total) filter (where r), 0) as srs_sum,
                     count(*) filter (where r and (srs_total < @srsCutoff or (@inclusive and srs_total = @srsCutoff))) as srs_below_cutoff
              from (select {group} as g, srs_total,
                           not cancelled and held_at >= @from and held_at < @to as h,
                           not cancelled and srs_total is not null and srs_submitted_at >= @from and srs_submitted_at < @to as r
                    from {sessions} where tenant_id = @org{filter}) y
              where h or r
              group by g)
""";
        var daySessions = $"""
            s as (
              select g, sum(sessions_held) as sessions_held, sum(sessions_held_with_srs) as sessions_held_with_srs,
                     sum(srs_count) as srs_count, sum(srs_sum) as srs_sum, sum(srs_below_cutoff) as srs_below_cutoff
              from (
                select {group} as g, held as sessions_held, held_with_srs as sessions_held_with_srs, 0 as srs_count, 0::numeric as srs_sum, 0 as srs_below_cutoff
                from {sessionDays} where tenant_id = @org{filter} and day >= @firstDay and day < @endDay
                union all
                select {group}, 0, 0, srs_count, srs_total * srs_count,
                       case when srs_total < @srsCutoff or (@inclusive and srs_total = @srsCutoff) then srs_count else 0 end
                from {srsDays} where tenant_id = @org{filter} and day >= @firstDay and day < @endDay
                union all
                select {group}, h::int, (h and srs_total is not null)::int, r::int, case when r then srs_total else 0 end,
                       (r and (srs_total < @srsCutoff or (@inclusive and srs_total = @srsCutoff)))::int
                from (select site_id, srs_total,
                             not cancelled and ((held_at >= @from and held_at < @headEnd) or (held_at >= @tailStart and held_at < @to)) as h,
                             not cancelled and srs_total is not null
                               and ((srs_submitted_at >= @from and srs_submitted_at < @headEnd) or (srs_submitted_at >= @tailStart and srs_submitted_at < @to)) as r
                      from {sessions}
                      where tenant_id = @org{filter}
                        and ((held_at >= @from and held_at < @headEnd) or (held_at >= @tailStart and held_at < @to)
                          or (srs_submitted_at >= @from and srs_submitted_at < @headEnd) or (srs_submitted_at >= @tailStart and srs_submitted_at < @to))) edge
              ) parts
              group by g)
""";
        var sql = $"""
            with e as (
              select g,
                     count(*) filter (where m) as measured_episodes,
                     count(*) filter (where m and change >= @rci) as reliably_improved,
                     count(*) filter (where m and change <= -@rci) as reliably_deteriorated,
                     count(*) filter (where m and intake_total < cutoff) as started_in_clinical_range,
                     count(*) filter (where m and intake_total < cutoff and final_total >= cutoff and change >= @rci) as recovered,
                     coalesce(sum(change) filter (where m), 0) as change_sum,
                     coalesce(sum(intake_total) filter (where m), 0) as intake_sum,
                     coalesce(sum(intake_total * intake_total) filter (where m), 0) as intake_squares,
                     count(*) filter (where c) as closed_episodes,
                     count(*) filter (where c and closed_as = 'Dropout') as dropouts,
                     coalesce(sum(sessions_held) filter (where c), 0) as sessions_of_closed_episodes
              from (select {group} as g, intake_total, final_total, sessions_held, closed_as,
                           final_total - intake_total as change,
                           ors_count >= 2 and intake_total is not null and final_total is not null
                             and latest_ors_at >= @from and latest_ors_at < @to as m,
                           coalesce(closed_at >= @from and closed_at < @to, false) as c,
                           case population when 'Adolescent' then @adolescent when 'Child' then @child else @adult end as cutoff
                    from {episodes} where tenant_id = @org{filter}) x
              where m or c
              group by g),
            {(days is null ? rawSessions : daySessions)}
            select coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb)::text from (
              select coalesce(e.g, s.g) as scope_id, e.measured_episodes, e.reliably_improved, e.reliably_deteriorated, e.started_in_clinical_range,
                     e.recovered, e.change_sum, e.intake_sum, e.intake_squares, e.closed_episodes, e.dropouts, e.sessions_of_closed_episodes,
                     s.sessions_held, s.sessions_held_with_srs, s.srs_count, s.srs_sum, s.srs_below_cutoff
              from e full join s on e.g = s.g) t
            """;
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync(ct);
        // One snapshot for the check below and the sums, so no fact can slip in between.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        if (days is { } whole)
        {
            // The last day comes whole from the day tallies when nothing of the organization happened at or after `to`
            // (the usual case: a period that ends now); otherwise its part before `to` is read from the sessions.
            await using var later = new NpgsqlCommand(
                $"select exists(select 1 from {sessions} where tenant_id = @org and held_at >= @to) or exists(select 1 from {sessions} where tenant_id = @org and srs_submitted_at >= @to)",
                connection, transaction);
            later.Parameters.AddWithValue("org", organization);
            later.Parameters.AddWithValue("to", period.To.ToUniversalTime());
            days = (bool)(await later.ExecuteScalarAsync(ct))! ? whole : whole with { EndDay = whole.EndDay.AddDays(1), TailStart = period.To.ToUniversalTime() };
        }
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (days is { } d)
        {
            command.Parameters.AddWithValue("firstDay", d.FirstDay);
            command.Parameters.AddWithValue("endDay", d.EndDay);
            command.Parameters.AddWithValue("headEnd", d.HeadEnd);
            command.Parameters.AddWithValue("tailStart", d.TailStart);
        }
        command.Parameters.AddWithValue("org", organization);
        command.Parameters.AddWithValue("scope", scope.Id);
        command.Parameters.AddWithValue("from", period.From.ToUniversalTime());
        command.Parameters.AddWithValue("to", period.To.ToUniversalTime());
        command.Parameters.AddWithValue("rci", settings.OrsReliableChange);
        command.Parameters.AddWithValue("adult", settings.OrsCutoffAdult);
        command.Parameters.AddWithValue("adolescent", settings.OrsCutoffAdolescent);
        command.Parameters.AddWithValue("child", settings.OrsCutoffChild);
        command.Parameters.AddWithValue("srsCutoff", settings.SrsClinicalCutoff);
        command.Parameters.AddWithValue("inclusive", settings.SrsCutoffInclusive);
        var json = (string)(await command.ExecuteScalarAsync(ct))!;
        await transaction.CommitAsync(ct);
        var rows = JsonSerializer.Deserialize<List<Row>>(json, SnakeCase)!;
        return rows.ToDictionary(r => r.ScopeId, r => new OutcomeTallies
        {
            MeasuredEpisodes = r.MeasuredEpisodes ?? 0,
            ReliablyImproved = r.ReliablyImproved ?? 0,
            ReliablyDeteriorated = r.ReliablyDeteriorated ?? 0,
            StartedInClinicalRange = r.StartedInClinicalRange ?? 0,
            Recovered = r.Recovered ?? 0,
            ChangeSum = r.ChangeSum ?? 0m,
            IntakeSum = r.IntakeSum ?? 0m,
            IntakeSquares = r.IntakeSquares ?? 0m,
            ClosedEpisodes = r.ClosedEpisodes ?? 0,
            Dropouts = r.Dropouts ?? 0,
            SessionsOfClosedEpisodes = r.SessionsOfClosedEpisodes ?? 0,
            SessionsHeld = r.SessionsHeld ?? 0,
            SessionsHeldWithSrs = r.SessionsHeldWithSrs ?? 0,
            SrsCount = r.SrsCount ?? 0,
            SrsSum = r.SrsSum ?? 0m,
            SrsBelowCutoff = r.SrsBelowCutoff ?? 0,
        });
    }
}
