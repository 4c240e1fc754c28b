using Marten;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;
using Weasel.Postgresql.Tables;
using Weasel.Postgresql.Triggers;

namespace FeedbackPlatform.Access;

/// <summary>
/// The access log's own table, beside Marten's: real columns, the organization in every row, and triggers that
/// refuse every UPDATE, DELETE and TRUNCATE, whoever sends them. All of it is part of the schema Marten manages,
/// so `resources setup` creates it and `db-patch` writes it out with everything else.
/// </summary>
public static class AccessLogTable
{
    public const string Name = "feedback_access_log";

    public static string QualifiedName(string schema) => new PostgresqlObjectName(schema, Name, SchemaUtils.IdentifierUsage.General).QualifiedName;

    public static void AddAccessLog(this StoreOptions options)
    {
        var schema = options.DatabaseSchemaName;
        var table = new Table(new PostgresqlObjectName(schema, Name, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn<string>("tenant_id").NotNull();
        table.AddColumn<string>("subject").NotNull();
        table.AddColumn<string>("role").NotNull();
        table.AddColumn<Guid>("episode_id").NotNull();
        table.AddColumn<string>("operation").NotNull();
        table.AddColumn("at", "timestamp with time zone").NotNull();
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_episode") { Columns = ["tenant_id", "episode_id", "at"] });
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_at") { Columns = ["tenant_id", "at"] });
        options.Storage.ExtendedSchemaObjects.Add(table);

        var function = new PostgresqlObjectName(schema, "access_log_is_append_only", SchemaUtils.IdentifierUsage.Function);
        options.Storage.ExtendedSchemaObjects.Add(Function.ForSql($"""
            create or replace function {function.QualifiedName}() returns trigger language plpgsql as $$
            begin
              raise exception 'the access log is append-only' using errcode = 'insufficient_privilege';
            end $$;
            """));
        options.Storage.ExtendedSchemaObjects.Add(new Trigger(new PostgresqlObjectName(schema, "access_log_no_change", SchemaUtils.IdentifierUsage.General), table.Identifier, $"{function.QualifiedName}()")
        {
            Timing = TriggerTiming.Before,
            Events = TriggerEvents.Update | TriggerEvents.Delete,
            ForEachRow = true,
        });
        options.Storage.ExtendedSchemaObjects.Add(new Trigger(new PostgresqlObjectName(schema, "access_log_no_truncate", SchemaUtils.IdentifierUsage.General), table.Identifier, $"{function.QualifiedName}()")
        {
            Timing = TriggerTiming.Before,
            Events = TriggerEvents.Truncate,
            ForEachRow = false,
        });
    }
}
