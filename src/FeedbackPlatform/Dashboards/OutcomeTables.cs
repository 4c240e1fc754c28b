using FeedbackPlatform.Clinical.Outcomes;
using Marten;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// The compact read model of the outcome figures: one row per episode and one per session (real columns, the
/// organization in every row, indexed by organization, site, therapist and time), and day tallies of what they count for
/// (<see cref="OutcomeDays"/>): by site and UTC day, for the organization and its sites, and by therapist and day, for
/// therapists and a site's comparison; and the same by calendar month, so that a year is a dozen month rows and the days
/// of the months at its ends, not 365 day rows per scope. A handful of the tallies depend on the organization's settings (the reliable change,
/// the cutoffs), so the settings they were counted under are kept beside them; a query under other settings reads the rows.
/// Part of the schema Marten manages (`resources setup`, `db-patch`); kept by <see cref="EpisodeOutcomeProjection"/>.
/// </summary>
public static class OutcomeTables
{
    public const string Episodes = "feedback_episode_outcomes";
    public const string Sessions = "feedback_session_feedback";
    public const string SiteDays = "feedback_outcome_site_days";
    public const string TherapistDays = "feedback_outcome_therapist_days";
    public const string SiteMonths = "feedback_outcome_site_months";
    public const string TherapistMonths = "feedback_outcome_therapist_months";
    public const string CountedUnder = "feedback_outcome_settings";

    /// <summary>Every table of the read model, for the rebuild's teardown.</summary>
    public static readonly string[] All = [Episodes, Sessions, SiteDays, TherapistDays, SiteMonths, TherapistMonths, CountedUnder];

    /// <summary>The tally columns of the day tables, in the order of <see cref="OutcomeTallies"/>'s figures.</summary>
    public static readonly string[] TallyColumns =
    [
        "measured_episodes", "reliably_improved", "reliably_deteriorated", "started_in_clinical_range", "recovered",
        "change_sum", "intake_sum", "intake_squares", "closed_episodes", "dropouts", "sessions_of_closed_episodes",
        "sessions_held", "sessions_held_with_srs", "srs_count", "srs_sum", "srs_below_cutoff",
    ];

    /// <summary>The sums among them (exact decimals); the rest are counts.</summary>
    public static bool IsSum(string column) => column.EndsWith("_sum", StringComparison.Ordinal) || column == "intake_squares";

    public static string QualifiedName(string schema, string table) => new PostgresqlObjectName(schema, table, SchemaUtils.IdentifierUsage.General).QualifiedName;

    public static void AddOutcomeTables(this StoreOptions options)
    {
        var schema = options.DatabaseSchemaName;
        var episodes = new Table(new PostgresqlObjectName(schema, Episodes, SchemaUtils.IdentifierUsage.General));
        episodes.AddColumn<string>("tenant_id").AsPrimaryKey();
        episodes.AddColumn<Guid>("episode_id").AsPrimaryKey();
        episodes.AddColumn<Guid>("site_id").NotNull();
        episodes.AddColumn<Guid>("therapist_id").NotNull();
        episodes.AddColumn<string>("population").NotNull();
        episodes.AddColumn("intake_total", "numeric(4,1)");
        episodes.AddColumn("final_total", "numeric(4,1)");
        episodes.AddColumn("latest_ors_at", "timestamp with time zone");
        episodes.AddColumn<int>("ors_count").NotNull();
        episodes.AddColumn<int>("sessions_held").NotNull();
        episodes.AddColumn<int>("srs_count").NotNull();
        episodes.AddColumn<string>("closed_as");
        episodes.AddColumn("closed_at", "timestamp with time zone");
        episodes.Indexes.Add(new IndexDefinition($"ix_{Episodes}_site") { Columns = ["tenant_id", "site_id", "therapist_id"] });
        episodes.Indexes.Add(new IndexDefinition($"ix_{Episodes}_therapist") { Columns = ["tenant_id", "therapist_id"] });
        // The partial days at the ends of a period are read from the rows themselves, by time.
        episodes.Indexes.Add(new IndexDefinition($"ix_{Episodes}_measured") { Columns = ["tenant_id", "latest_ors_at"] });
        episodes.Indexes.Add(new IndexDefinition($"ix_{Episodes}_closed") { Columns = ["tenant_id", "closed_at"] });
        options.Storage.ExtendedSchemaObjects.Add(episodes);

        // The session's site and therapist are its episode's now (kept in step on reassignment), so each scope
        // reads its own sessions by index without a join.
        var sessions = new Table(new PostgresqlObjectName(schema, Sessions, SchemaUtils.IdentifierUsage.General));
        sessions.AddColumn<string>("tenant_id").AsPrimaryKey();
        sessions.AddColumn<Guid>("session_id").AsPrimaryKey();
        sessions.AddColumn<Guid>("episode_id").NotNull();
        sessions.AddColumn<Guid>("site_id").NotNull();
        sessions.AddColumn<Guid>("therapist_id").NotNull();
        sessions.AddColumn("held_at", "timestamp with time zone").NotNull();
        sessions.AddColumn<bool>("cancelled").NotNull();
        sessions.AddColumn("srs_total", "numeric(4,1)");
        sessions.AddColumn("srs_submitted_at", "timestamp with time zone");
        sessions.Indexes.Add(new IndexDefinition($"ix_{Sessions}_episode") { Columns = ["tenant_id", "episode_id"] });
        sessions.Indexes.Add(new IndexDefinition($"ix_{Sessions}_site") { Columns = ["tenant_id", "site_id", "therapist_id"] });
        sessions.Indexes.Add(new IndexDefinition($"ix_{Sessions}_therapist") { Columns = ["tenant_id", "therapist_id"] });
        sessions.Indexes.Add(new IndexDefinition($"ix_{Sessions}_held") { Columns = ["tenant_id", "held_at"] });
        sessions.Indexes.Add(new IndexDefinition($"ix_{Sessions}_rated") { Columns = ["tenant_id", "srs_submitted_at"] });
        options.Storage.ExtendedSchemaObjects.Add(sessions);

        // Day tallies: a site's whole year is 365 rows at most, a therapist's as many as days they worked. A site's rows
        // never move (an episode keeps its site); a therapist's follow a reassigned episode. Month tallies are the sums
        // of the day tallies of each calendar month (UTC); `month` is its first day.
        foreach (var (name, period) in new[] { (SiteDays, "day"), (SiteMonths, "month") })
            options.Storage.ExtendedSchemaObjects.Add(TallyTable(schema, name, period, byTherapist: false));
        foreach (var (name, period) in new[] { (TherapistDays, "day"), (TherapistMonths, "month") })
            options.Storage.ExtendedSchemaObjects.Add(TallyTable(schema, name, period, byTherapist: true));

        // The settings the settings-dependent tallies of an organization were counted under.
        var countedUnder = new Table(new PostgresqlObjectName(schema, CountedUnder, SchemaUtils.IdentifierUsage.General));
        countedUnder.AddColumn<string>("tenant_id").AsPrimaryKey();
        countedUnder.AddColumn("ors_reliable_change", "numeric").NotNull();
        countedUnder.AddColumn("ors_cutoff_adult", "numeric").NotNull();
        countedUnder.AddColumn("ors_cutoff_adolescent", "numeric").NotNull();
        countedUnder.AddColumn("ors_cutoff_child", "numeric").NotNull();
        countedUnder.AddColumn("srs_clinical_cutoff", "numeric").NotNull();
        countedUnder.AddColumn<bool>("srs_cutoff_inclusive").NotNull();
        // Set when the month tallies were counted too; null in a database from before they existed, so they are counted then.
        countedUnder.AddColumn<bool>("months_counted");
        options.Storage.ExtendedSchemaObjects.Add(countedUnder);
    }

    /// <summary>A tally table: by organization, site (and therapist) and day or month, then the tally columns.</summary>
    private static Table TallyTable(string schema, string name, string period, bool byTherapist)
    {
        var table = new Table(new PostgresqlObjectName(schema, name, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<Guid>("site_id").AsPrimaryKey();
        if (byTherapist)
            table.AddColumn<Guid>("therapist_id").AsPrimaryKey();
        table.AddColumn(period, "date").AsPrimaryKey();
        AddTallies(table);
        if (byTherapist)
            table.Indexes.Add(new IndexDefinition($"ix_{name}_therapist") { Columns = ["tenant_id", "therapist_id", period] });
        return table;
    }

    private static void AddTallies(Table table)
    {
        foreach (var column in TallyColumns)
        {
            // Sums of totals to one decimal (squares to two), at a fixed scale so that the same sum always reads the same.
            if (IsSum(column))
                table.AddColumn(column, column == "intake_squares" ? "numeric(16,2)" : "numeric(14,1)").NotNull();
            else
                table.AddColumn<int>(column).NotNull();
        }
    }
}
