using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;
using FeedbackPlatform.Dashboards;
using Marten;
using Npgsql;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace FeedbackPlatform.Alerts;

/// <summary>Which clinical fact a row of <see cref="RuleFacts.Table"/> is (stored as a small number).</summary>
public enum RuleFactKind : short
{
    EpisodeOpened = 1,
    TherapistReassigned = 2,
    SessionRecorded = 3,
    SessionCancelled = 4,
    SessionRatingSubmitted = 5,
    OutcomeRatingSubmitted = 6,
    GoalAgreementRecorded = 7,
    GoalRevised = 8,
    GoalAchieved = 9,
    EpisodeClosed = 10,
}

/// <summary>
/// The compact timeline <c>simulateAlertRules</c> replays: one row per clinical fact the alert rules read, in event
/// order (the event's sequence), with the organization, the episode's site (an episode never changes site: a therapist
/// is only reassigned within it), the event's timestamp and the fact's values the rules use, as real columns: session
/// id and number, held and recorded times, the four items and the total of an SRS or ORS, a goal's agreement flags,
/// the closing. No client id and no free text (a goal's description never comes here). Kept by
/// <see cref="RuleFactsProjection"/>; part of the schema Marten manages (`resources setup`, `db-patch`).
/// </summary>
public static class RuleFacts
{
    public const string Table = "feedback_rule_facts";

    public static string QualifiedName(string schema) => OutcomeTables.QualifiedName(schema, Table);

    /// <summary>The columns a replay reads, in the reader's order.</summary>
    private const string Columns = """
        seq_id, kind, episode_id, event_at, coalesce(session_id, goal_id), site_id, session_number, occurred_at, recorded_at,
        item_1, item_2, item_3, item_4, total, agreed_by_client, agreed_by_therapist, population, closed_as
        """;

    public static void AddRuleFactsTable(this StoreOptions options)
    {
        var table = new Table(new PostgresqlObjectName(options.DatabaseSchemaName, Table, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<long>("seq_id").AsPrimaryKey();
        table.AddColumn<Guid>("site_id").NotNull();
        table.AddColumn<Guid>("episode_id").NotNull();
        table.AddColumn("event_at", "timestamp with time zone").NotNull();
        table.AddColumn<short>("kind").NotNull();
        table.AddColumn<Guid>("session_id");
        table.AddColumn<Guid>("goal_id");
        table.AddColumn<int>("session_number");
        // The opening's opened and recorded times; the session's held and recorded times.
        table.AddColumn("occurred_at", "timestamp with time zone");
        table.AddColumn("recorded_at", "timestamp with time zone");
        table.AddColumn<string>("population");
        // SRS: relationship, goals and topics, approach or method, overall. ORS: individual, interpersonal, social, overall.
        foreach (var item in new[] { "item_1", "item_2", "item_3", "item_4" })
            table.AddColumn(item, "numeric(3,1)");
        table.AddColumn("total", "numeric(4,1)");
        table.AddColumn<bool>("agreed_by_client");
        table.AddColumn<bool>("agreed_by_therapist");
        table.AddColumn<string>("closed_as");
        // A site's year is read by this index alone (an index-only scan, already in event order): the site's rows are
        // scattered over the table as facts of all sites arrive together, and reading them from the heap cost more than
        // the whole replay. The organization's are read by the primary key.
        table.Indexes.Add(new IndexDefinition($"ix_{Table}_site")
        {
            Columns = ["tenant_id", "site_id", "seq_id"],
            IncludeColumns = ["kind", "episode_id", "event_at", "session_id", "goal_id", "session_number", "occurred_at", "recorded_at",
                "item_1", "item_2", "item_3", "item_4", "total", "agreed_by_client", "agreed_by_therapist", "population", "closed_as"],
        });
        // The projection finds the site of an episode opened in an earlier batch by its opening row.
        table.Indexes.Add(new IndexDefinition($"ix_{Table}_opening") { Columns = ["tenant_id", "episode_id"], Predicate = "kind = 1" });
        options.Storage.ExtendedSchemaObjects.Add(table);
    }

    /// <summary>
    /// The organization's facts up to <paramref name="to"/>, in event order, streamed from a reader into compact rows
    /// that hold no references (nothing for the garbage collector to trace, under 100 bytes a fact). A site's come from
    /// <see cref="RuleFactCache"/>, which reads them with <see cref="ReadSite"/> and <see cref="ReadSiteSince"/>.
    /// </summary>
    public static async Task<List<RuleFact>> Read(string connectionString, string schema, string organization, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select {Columns} from {QualifiedName(schema)}
            where tenant_id = @org and event_at <= @to
            order by seq_id
            """, connection);
        command.Parameters.AddWithValue("org", organization);
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(ct);
        return (await Rows(reader, ct)).Rows;
    }

    /// <summary>A site's facts after <paramref name="afterSeq"/> (0: all of them) in event order, and the last one's sequence.</summary>
    public static async Task<(RuleFact[] Rows, long LastSeq)> ReadSite(NpgsqlConnection connection, string schema, string organization, Guid siteId, long afterSeq, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(SiteRowsAfter(schema), connection);
        AddSite(command.Parameters, organization, siteId, afterSeq);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var (rows, lastSeq) = await Rows(reader, ct);
        return (rows.ToArray(), lastSeq == 0 ? afterSeq : lastSeq);
    }

    /// <summary>
    /// In one round trip: whether the site's fact <paramref name="lastSeq"/> is still there, and the facts after it.
    /// </summary>
    public static async Task<(bool Kept, List<RuleFact> Added, long LastSeq)> ReadSiteSince(NpgsqlConnection connection, string schema, string organization, Guid siteId, long lastSeq, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        var stillThere = new NpgsqlBatchCommand($"select exists(select 1 from {QualifiedName(schema)} where tenant_id = @org and site_id = @site and seq_id = @after)");
        AddSite(stillThere.Parameters, organization, siteId, lastSeq);
        var added = new NpgsqlBatchCommand(SiteRowsAfter(schema));
        AddSite(added.Parameters, organization, siteId, lastSeq);
        batch.BatchCommands.Add(stillThere);
        batch.BatchCommands.Add(added);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var kept = reader.GetBoolean(0);
        await reader.NextResultAsync(ct);
        var (rows, last) = await Rows(reader, ct);
        return (kept, rows, last == 0 ? lastSeq : last);
    }

    private static string SiteRowsAfter(string schema) => $"""
        select {Columns} from {QualifiedName(schema)}
        where tenant_id = @org and site_id = @site and seq_id > @after
        order by seq_id
        """;

    private static void AddSite(NpgsqlParameterCollection parameters, string organization, Guid siteId, long afterSeq)
    {
        parameters.AddWithValue("org", organization);
        parameters.AddWithValue("site", siteId);
        parameters.AddWithValue("after", afterSeq);
    }

    private static async Task<(List<RuleFact> Rows, long LastSeq)> Rows(NpgsqlDataReader reader, CancellationToken ct)
    {
        var rows = new List<RuleFact>(4096);
        var lastSeq = 0L;
        while (await reader.ReadAsync(ct))
        {
            lastSeq = reader.GetInt64(0);
            rows.Add(new RuleFact(
                (RuleFactKind)reader.GetInt16(1), reader.GetGuid(2), reader.GetDateTime(3).Ticks,
                reader.IsDBNull(4) ? Guid.Empty : reader.GetGuid(4), reader.GetGuid(5),
                reader.IsDBNull(6) ? 0 : reader.GetInt32(6),
                reader.IsDBNull(7) ? 0 : reader.GetDateTime(7).Ticks, reader.IsDBNull(8) ? 0 : reader.GetDateTime(8).Ticks,
                Tenths(reader, 9), Tenths(reader, 10), Tenths(reader, 11), Tenths(reader, 12), Tenths(reader, 13),
                !reader.IsDBNull(14) && reader.GetBoolean(14), !reader.IsDBNull(15) && reader.GetBoolean(15),
                reader.IsDBNull(16) ? (byte)0 : (byte)Enum.Parse<Population>(reader.GetString(16)),
                reader.IsDBNull(17) ? (byte)0 : (byte)Enum.Parse<EpisodeClosure>(reader.GetString(17))));
        }
        return (rows, lastSeq);
    }

    // Items and totals have one decimal (numeric(3,1), (4,1)): kept as whole tenths, exactly.
    private static short Tenths(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? (short)0 : (short)(reader.GetDecimal(ordinal) * 10);

    /// <summary>
    /// The rows up to <paramref name="to"/> as the facts the core's <c>AlertSimulation</c> replays, each made as it is taken (so they die young), with
    /// what the rules read; what they do not is left empty (client id, therapists, free text, flagged items, the ORS change)
    /// or is the event's timestamp (when a session was cancelled, a goal recorded, an episode closed).
    /// </summary>
    public static IEnumerable<(DateTimeOffset At, object Fact)> History(IReadOnlyList<RuleFact> rows, DateTimeOffset to)
    {
        var last = to.UtcTicks;
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (r.At <= last)
                yield return (Instant(r.At), r.ToFact());
        }
    }

    internal static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    internal static decimal Decimal(short tenths) => new(Math.Abs(tenths), 0, 0, tenths < 0, 1);

    /// <summary>The kind of row a fact makes, or null when the rules do not read it.</summary>
    public static RuleFactKind? KindOf(object fact) => fact switch
    {
        EpisodeOpened => RuleFactKind.EpisodeOpened,
        TherapistReassigned => RuleFactKind.TherapistReassigned,
        SessionRecorded => RuleFactKind.SessionRecorded,
        SessionCancelled => RuleFactKind.SessionCancelled,
        SessionRatingSubmitted => RuleFactKind.SessionRatingSubmitted,
        OutcomeRatingSubmitted => RuleFactKind.OutcomeRatingSubmitted,
        GoalAgreementRecorded => RuleFactKind.GoalAgreementRecorded,
        GoalRevised => RuleFactKind.GoalRevised,
        GoalAchieved => RuleFactKind.GoalAchieved,
        EpisodeClosed => RuleFactKind.EpisodeClosed,
        _ => null,
    };
}

/// <summary>
/// One row of the timeline in memory. Subject: the session's or goal's id; times in UTC
/// ticks; items and total in tenths; Code: the population of an opening or the reason of a closing.
/// </summary>
public readonly record struct RuleFact(
    RuleFactKind Kind, Guid EpisodeId, long At, Guid Subject, Guid SiteId, int SessionNumber, long OccurredAt, long RecordedAt,
    short Item1, short Item2, short Item3, short Item4, short Total, bool AgreedByClient, bool AgreedByTherapist, byte Population, byte Closure)
{
    public object ToFact() => Kind switch
    {
        RuleFactKind.EpisodeOpened => new EpisodeOpened(EpisodeId, SiteId, Guid.Empty, "", (Population)Population,
            RuleFacts.Instant(OccurredAt), RuleFacts.Instant(RecordedAt)),
        RuleFactKind.TherapistReassigned => new TherapistReassigned(EpisodeId, Guid.Empty, Guid.Empty, RuleFacts.Instant(At)),
        RuleFactKind.SessionRecorded => new SessionRecorded(EpisodeId, Subject, SessionNumber, RuleFacts.Instant(OccurredAt), RuleFacts.Instant(RecordedAt)),
        RuleFactKind.SessionCancelled => new SessionCancelled(EpisodeId, Subject, RuleFacts.Instant(At)),
        RuleFactKind.SessionRatingSubmitted => new SessionRatingSubmitted(EpisodeId, Subject, SessionNumber,
            new SessionRating(RuleFacts.Decimal(Item1), RuleFacts.Decimal(Item2), RuleFacts.Decimal(Item3), RuleFacts.Decimal(Item4)),
            RuleFacts.Decimal(Total), [], RuleFacts.Instant(At)),
        RuleFactKind.OutcomeRatingSubmitted => new OutcomeRatingSubmitted(EpisodeId, Subject, SessionNumber,
            new OutcomeRating(RuleFacts.Decimal(Item1), RuleFacts.Decimal(Item2), RuleFacts.Decimal(Item3), RuleFacts.Decimal(Item4)),
            RuleFacts.Decimal(Total), null, RuleFacts.Instant(At)),
        RuleFactKind.GoalAgreementRecorded => new GoalAgreementRecorded(EpisodeId, Subject, "", AgreedByClient, AgreedByTherapist, RuleFacts.Instant(At)),
        RuleFactKind.GoalRevised => new GoalRevised(EpisodeId, Subject, "", AgreedByClient, AgreedByTherapist, RuleFacts.Instant(At)),
        RuleFactKind.GoalAchieved => new GoalAchieved(EpisodeId, Subject, RuleFacts.Instant(At)),
        RuleFactKind.EpisodeClosed => new EpisodeClosed(EpisodeId, (EpisodeClosure)Closure, RuleFacts.Instant(At)),
        _ => throw new InvalidOperationException($"Unknown rule fact kind {Kind}"),
    };
}
