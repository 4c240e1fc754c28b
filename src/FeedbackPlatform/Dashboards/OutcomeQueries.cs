using System.Text.Json;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Outcomes;
using FeedbackPlatform.Hosting;
using Npgsql;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// The tallies of the outcome figures, added up by PostgreSQL over the compact outcome tables by index: the period's
/// whole calendar months from the month tallies and its other whole UTC days from the day tallies (by site for the
/// organization and its sites, by therapist for therapists and a site's comparison), its partial days at either end
/// from the episode and session rows. When the organization's
/// settings are not those the day tallies were counted under (a change the projection has not reached yet), the whole
/// period is read from the rows. The clinical core finishes them (<see cref="OutcomeFigures.Finish"/>), so the
/// definitions and the rounding live in one place.
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
        Guid ScopeId, int MeasuredEpisodes, int ReliablyImproved, int ReliablyDeteriorated, int StartedInClinicalRange, int Recovered,
        decimal ChangeSum, decimal IntakeSum, decimal IntakeSquares, int ClosedEpisodes, int Dropouts, int SessionsOfClosedEpisodes,
        int SessionsHeld, int SessionsHeldWithSrs, int SrsCount, decimal SrsSum, int SrsBelowCutoff);

    /// <summary>
    /// The whole UTC days [FirstDay, EndDay) of a period, read from the day tallies, and the partial days read from the
    /// rows: [from, HeadEnd) and [TailStart, to). Without whole days, the rows cover it all.
    /// </summary>
    private sealed record Days(DateOnly FirstDay, DateOnly EndDay, DateTimeOffset HeadEnd, DateTimeOffset TailStart)
    {
        public static Days None(OutcomePeriod period) => new(DateOnly.MinValue, DateOnly.MinValue, period.To, period.To);

        public static Days Of(OutcomePeriod period)
        {
            var from = period.From.UtcDateTime;
            var to = period.To.UtcDateTime;
            var first = DateOnly.FromDateTime(from).AddDays(from.TimeOfDay == TimeSpan.Zero ? 0 : 1);
            var last = DateOnly.FromDateTime(to);
            if (first >= last)
                return None(period);
            static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return new Days(first, last, Midnight(first), Midnight(last));
        }
    }

    /// <summary>The tallies of one scope (all zero when nothing of it falls in the period).</summary>
    public async Task<OutcomeTallies> Tallies(string organization, Scope scope, OutcomePeriod period, AlertRuleSettings settings, CancellationToken ct) =>
        (await Tallies(organization, scope, Split.None, period, settings, ct)).Values.SingleOrDefault() ?? OutcomeTallies.None;

    /// <summary>The tallies of a scope split by site or therapist; only the parts with something in the period are present.</summary>
    public async Task<IReadOnlyDictionary<Guid, OutcomeTallies>> Tallies(string organization, Scope scope, Split split, OutcomePeriod period, AlertRuleSettings settings, CancellationToken ct)
    {
        // Column names come from these fixed lists only; every value is a parameter.
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
        var byTherapist = scope.Kind == OutcomeScope.Therapist || split == Split.ByTherapist;
        var dayTable = OutcomeTables.QualifiedName(platform.Schema, byTherapist ? OutcomeTables.TherapistDays : OutcomeTables.SiteDays);
        var monthTable = OutcomeTables.QualifiedName(platform.Schema, byTherapist ? OutcomeTables.TherapistMonths : OutcomeTables.SiteMonths);
        var episodes = OutcomeTables.QualifiedName(platform.Schema, OutcomeTables.Episodes);
        var sessions = OutcomeTables.QualifiedName(platform.Schema, OutcomeTables.Sessions);
        var countedUnder = OutcomeTables.QualifiedName(platform.Schema, OutcomeTables.CountedUnder);

        // The whole days come from the tallies when they were counted under these settings (months too), and the last day too
        // when nothing of the organization happened at or after `to` (the usual case: a period that ends now); otherwise
        // the rows answer. One statement decides and adds up, so it is one snapshot and one round trip. The latest
        // instants are read by max(), not `exists(... >= @to)`: once the statement is prepared, PostgreSQL's generic plan
        // reads an exists over a parameter range by a sequential scan (355 ms against 1 ms at full size).
        var whole = Days.Of(period);
        var none = Days.None(period);
        // One part per instant, so that each reads its rows by that instant's index (an `or` across two columns would read them all).
        static string InHeadOrTail(string column) =>
            $"{column} >= @from and {column} < (select head_end from bounds) or {column} >= (select tail_start from bounds) and {column} < @to";
        var rows = OutcomeSql.Parameterised;
        var sql = $"""
            with checked as (
              select @hasWholeDays and exists(select 1 from {countedUnder} where tenant_id = @org and ors_reliable_change = @rci and ors_cutoff_adult = @adult
                       and ors_cutoff_adolescent = @adolescent and ors_cutoff_child = @child and srs_clinical_cutoff = @srsCutoff and srs_cutoff_inclusive = @inclusive and months_counted) as counted,
                     coalesce(greatest((select max(held_at) from {sessions} where tenant_id = @org),
                                       (select max(srs_submitted_at) from {sessions} where tenant_id = @org),
                                       (select max(latest_ors_at) from {episodes} where tenant_id = @org),
                                       (select max(closed_at) from {episodes} where tenant_id = @org)) >= @to, false) as later),
            bounds as (
              select case when counted then @firstDay else @noDay end as first_day,
                     case when not counted then @noDay when later then @endDay else @endDay + 1 end as end_day,
                     case when counted then @headEnd else @to end as head_end,
                     case when counted and later then @tailStart else @to end as tail_start
              from checked),
            -- The whole months within the whole days [first_day, end_day), from the month tallies; the days before and
            -- after them from the day tallies. Without a whole month, the days are all read by day.
            months as (
              select case when m.first_month < m.end_month then m.first_month else first_day end as first_month,
                     case when m.first_month < m.end_month then m.end_month else first_day end as end_month,
                     case when m.first_month < m.end_month then m.first_month else end_day end as head_days_end,
                     case when m.first_month < m.end_month then m.end_month else end_day end as tail_days_start
              from bounds, lateral (select (date_trunc('month', (first_day - 1)::timestamp) + interval '1 month')::date as first_month,
                                           date_trunc('month', end_day::timestamp)::date as end_month) m)
            select coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb)::text from (
              select g as scope_id, {OutcomeSql.Sums} from (
                select {group} as g, {string.Join(", ", OutcomeTables.TallyColumns)}
                from {monthTable} where tenant_id = @org{filter} and month >= (select first_month from months) and month < (select end_month from months)
                union all
                select {group} as g, {string.Join(", ", OutcomeTables.TallyColumns)}
                from {dayTable} where tenant_id = @org{filter} and day >= (select first_day from bounds) and day < (select head_days_end from months)
                union all
                select {group} as g, {string.Join(", ", OutcomeTables.TallyColumns)}
                from {dayTable} where tenant_id = @org{filter} and day >= (select tail_days_start from months) and day < (select end_day from bounds)
                union all
                {rows.EpisodeParts(episodes, $"{group} as g", filter, InHeadOrTail("latest_ors_at"), "false")}
                union all
                {rows.EpisodeParts(episodes, $"{group} as g", filter, "false", InHeadOrTail("closed_at"))}
                union all
                {rows.SessionParts(sessions, $"{group} as g", filter, InHeadOrTail("held_at"), "false")}
                union all
                {rows.SessionParts(sessions, $"{group} as g", filter, "false", InHeadOrTail("srs_submitted_at"))}
              ) parts
              group by g
              having {OutcomeSql.CountsSomething}) t
            """;
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("hasWholeDays", whole.EndDay != DateOnly.MinValue);
        command.Parameters.AddWithValue("firstDay", whole.FirstDay);
        command.Parameters.AddWithValue("endDay", whole.EndDay);
        command.Parameters.AddWithValue("noDay", none.FirstDay);
        command.Parameters.AddWithValue("headEnd", whole.HeadEnd.ToUniversalTime());
        command.Parameters.AddWithValue("tailStart", whole.TailStart.ToUniversalTime());
        command.Parameters.AddWithValue("org", organization);
        command.Parameters.AddWithValue("scope", scope.Id);
        command.Parameters.AddWithValue("from", period.From.ToUniversalTime());
        command.Parameters.AddWithValue("to", period.To.ToUniversalTime());
        AddSettings(command, settings);
        var json = (string)(await command.ExecuteScalarAsync(ct))!;
        return JsonSerializer.Deserialize<List<Row>>(json, SnakeCase)!.ToDictionary(r => r.ScopeId, r => new OutcomeTallies
        {
            MeasuredEpisodes = r.MeasuredEpisodes,
            ReliablyImproved = r.ReliablyImproved,
            ReliablyDeteriorated = r.ReliablyDeteriorated,
            StartedInClinicalRange = r.StartedInClinicalRange,
            Recovered = r.Recovered,
            ChangeSum = r.ChangeSum,
            IntakeSum = r.IntakeSum,
            IntakeSquares = r.IntakeSquares,
            ClosedEpisodes = r.ClosedEpisodes,
            Dropouts = r.Dropouts,
            SessionsOfClosedEpisodes = r.SessionsOfClosedEpisodes,
            SessionsHeld = r.SessionsHeld,
            SessionsHeldWithSrs = r.SessionsHeldWithSrs,
            SrsCount = r.SrsCount,
            SrsSum = r.SrsSum,
            SrsBelowCutoff = r.SrsBelowCutoff,
        });
    }

    private static void AddSettings(NpgsqlCommand command, AlertRuleSettings settings)
    {
        foreach (var (name, value) in OutcomeSql.Values(settings))
            command.Parameters.AddWithValue(name, value);
    }
}
