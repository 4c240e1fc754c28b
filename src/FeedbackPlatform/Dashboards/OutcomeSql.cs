using System.Globalization;
using FeedbackPlatform.Clinical.Alerts;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// The SQL that counts the outcome rows into the tally columns (<see cref="OutcomeTables.TallyColumns"/>): the
/// definitions of <see cref="FeedbackPlatform.Clinical.Outcomes.OutcomeTallies"/>, written once for the database. The
/// queries use it for the partial days at a period's ends (and whole periods under settings the day tallies were not
/// counted under); the projection uses it to count an organization's day tallies afresh.
/// </summary>
/// <param name="Organization">The SQL that names the organization: a parameter or a sub-select.</param>
/// <param name="Setting">The SQL of each setting by name (rci, adult, adolescent, child, srsCutoff, inclusive).</param>
public sealed record OutcomeSql(string Organization, Func<string, string> Setting)
{
    /// <summary>For Npgsql commands: `@org` and a parameter per setting (see <see cref="Parameters"/>).</summary>
    public static readonly OutcomeSql Parameterised = new("@org", name => "@" + name);

    /// <summary>With the settings written into the SQL (typed numbers only), for statements queued without named parameters.</summary>
    public static OutcomeSql WithSettings(string organization, AlertRuleSettings settings)
    {
        var values = Values(settings);
        return new OutcomeSql(organization, name => values[name] switch
        {
            bool b => b ? "true" : "false",
            decimal d => d.ToString(CultureInfo.InvariantCulture) + "::numeric",
            var other => throw new InvalidOperationException($"Setting {name} is {other}."),
        });
    }

    public static IReadOnlyDictionary<string, object> Values(AlertRuleSettings s) => new Dictionary<string, object>
    {
        ["rci"] = s.OrsReliableChange, ["adult"] = s.OrsCutoffAdult, ["adolescent"] = s.OrsCutoffAdolescent, ["child"] = s.OrsCutoffChild,
        ["srsCutoff"] = s.SrsClinicalCutoff, ["inclusive"] = s.SrsCutoffInclusive,
    };

    public static string Day(string instant) => $"({instant} at time zone 'UTC')::date";

    /// <summary>
    /// One row per episode with something counted: `keys`, then the tally columns; measured when its latest ORS is
    /// `measuredIn` (SQL over latest_ors_at), closed when `closedIn` (SQL over closed_at).
    /// </summary>
    public string EpisodeParts(string table, string keys, string filter, string measuredIn, string closedIn)
    {
        var rci = Setting("rci");
        return $"""
            select {keys},
                   m::int as measured_episodes,
                   (m and change >= {rci})::int as reliably_improved,
                   (m and change <= -{rci})::int as reliably_deteriorated,
                   (m and intake_total < cutoff)::int as started_in_clinical_range,
                   (m and intake_total < cutoff and final_total >= cutoff and change >= {rci})::int as recovered,
                   case when m then change else 0 end as change_sum,
                   case when m then intake_total else 0 end as intake_sum,
                   case when m then intake_total * intake_total else 0 end as intake_squares,
                   c::int as closed_episodes,
                   (c and closed_as = 'Dropout')::int as dropouts,
                   case when c then sessions_held else 0 end as sessions_of_closed_episodes,
                   0 as sessions_held, 0 as sessions_held_with_srs, 0 as srs_count, 0::numeric as srs_sum, 0 as srs_below_cutoff
            from (select *, final_total - intake_total as change,
                         coalesce(ors_count >= 2 and intake_total is not null and final_total is not null and ({measuredIn}), false) as m,
                         coalesce({closedIn}, false) as c,
                         case population when 'Adolescent' then {Setting("adolescent")} when 'Child' then {Setting("child")} else {Setting("adult")} end as cutoff
                  from {table} where tenant_id = {Organization}{filter} and (({measuredIn}) or ({closedIn}))) episode
            """;
    }

    /// <summary>One row per session with something counted: held when `heldIn` (over held_at), its SRS when `ratedIn` (over srs_submitted_at).</summary>
    public string SessionParts(string table, string keys, string filter, string heldIn, string ratedIn) => $"""
        select {keys},
               0 as measured_episodes, 0 as reliably_improved, 0 as reliably_deteriorated, 0 as started_in_clinical_range, 0 as recovered,
               0::numeric as change_sum, 0::numeric as intake_sum, 0::numeric as intake_squares, 0 as closed_episodes, 0 as dropouts, 0 as sessions_of_closed_episodes,
               h::int as sessions_held,
               (h and srs_total is not null)::int as sessions_held_with_srs,
               r::int as srs_count,
               case when r then srs_total else 0 end as srs_sum,
               (r and (srs_total < {Setting("srsCutoff")} or ({Setting("inclusive")} and srs_total = {Setting("srsCutoff")})))::int as srs_below_cutoff
        from (select *, not cancelled and coalesce({heldIn}, false) as h,
                     not cancelled and srs_total is not null and coalesce({ratedIn}, false) as r
              from {table} where tenant_id = {Organization}{filter} and not cancelled and (({heldIn}) or ({ratedIn}))) session
        """;

    /// <summary>`sum(column) as column` for every tally column.</summary>
    public static string Sums => string.Join(", ", OutcomeTables.TallyColumns.Select(c => $"sum({c}) as {c}"));

    /// <summary>Whether a group counts anything (all its counts zero means all its sums are too).</summary>
    public static string CountsSomething => string.Join(" or ", OutcomeTables.TallyColumns.Where(c => !OutcomeTables.IsSum(c)).Select(c => $"sum({c}) <> 0"));
}
