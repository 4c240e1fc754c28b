using Marten;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// The compact read model of the outcome figures: one row per episode and one per session, real columns, the
/// organization in every row, indexed by organization, site and therapist; and day tallies of each site's sessions. Part of the schema Marten manages
/// (`resources setup`, `db-patch`); kept by <see cref="EpisodeOutcomeProjection"/>.
/// </summary>
public static class OutcomeTables
{
    public const string Episodes = "feedback_episode_outcomes";
    public const string Sessions = "feedback_session_feedback";
    public const string SessionDays = "feedback_session_days";
    public const string SrsDays = "feedback_srs_days";

    /// <summary>Every table of the read model, for the rebuild's teardown.</summary>
    public static readonly string[] All = [Episodes, Sessions, SessionDays, SrsDays];

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
        // The partial days at the ends of a period are read from the sessions themselves, by time.
        sessions.Indexes.Add(new IndexDefinition($"ix_{Sessions}_held") { Columns = ["tenant_id", "held_at"] });
        sessions.Indexes.Add(new IndexDefinition($"ix_{Sessions}_rated") { Columns = ["tenant_id", "srs_submitted_at"] });
        options.Storage.ExtendedSchemaObjects.Add(sessions);

        // Day tallies of a site's sessions (UTC days), so that a site's or the organization's whole days are a few
        // rows instead of every session: held and held with an SRS by the day held; the SRS totals by the day they
        // arrived, one row per total (a histogram: the SRS cutoff is a setting, so the counts under it are taken at
        // query time). A site's sessions never move to another site, so reassignments leave these alone.
        var days = new Table(new PostgresqlObjectName(schema, SessionDays, SchemaUtils.IdentifierUsage.General));
        days.AddColumn<string>("tenant_id").AsPrimaryKey();
        days.AddColumn<Guid>("site_id").AsPrimaryKey();
        days.AddColumn("day", "date").AsPrimaryKey();
        days.AddColumn<int>("held").NotNull();
        days.AddColumn<int>("held_with_srs").NotNull();
        options.Storage.ExtendedSchemaObjects.Add(days);

        var srs = new Table(new PostgresqlObjectName(schema, SrsDays, SchemaUtils.IdentifierUsage.General));
        srs.AddColumn<string>("tenant_id").AsPrimaryKey();
        srs.AddColumn<Guid>("site_id").AsPrimaryKey();
        srs.AddColumn("day", "date").AsPrimaryKey();
        srs.AddColumn("srs_total", "numeric(4,1)").AsPrimaryKey();
        srs.AddColumn<int>("srs_count").NotNull();
        options.Storage.ExtendedSchemaObjects.Add(srs);
    }
}
