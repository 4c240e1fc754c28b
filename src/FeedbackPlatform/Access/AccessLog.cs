using System.Collections.Concurrent;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Types;
using FeedbackPlatform.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace FeedbackPlatform.Access;

/// <summary>One read of an episode's data: who, which episode, through which operation, when. No clinical content.</summary>
public sealed record AccessRecord(Guid Id, string Subject, Role Role, Guid EpisodeId, string Operation, DateTimeOffset At);

/// <summary>
/// Collects the episode-level reads of one request (each episode and operation once) and appends them to the
/// access log (Access/AccessLogTable) before the answer leaves: what was not recorded is not served.
/// </summary>
public sealed class AccessLog(PlatformSettings platform, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(Guid Episode, string Operation), Caller> _reads = new();

    public void Record(Caller caller, Guid episodeId, string operation) => _reads.TryAdd((episodeId, operation), caller);

    public async Task Flush(CancellationToken ct)
    {
        if (_reads.IsEmpty)
            return;
        var reads = _reads.ToArray();
        _reads.Clear();
        var now = clock.GetUtcNow();
        // One COPY: a page of a hundred episodes costs one round trip, not a hundred inserts.
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync(ct);
        await using var copy = await connection.BeginBinaryImportAsync(
            $"copy {AccessLogTable.QualifiedName(platform.Schema)} (id, tenant_id, subject, role, episode_id, operation, at) from stdin (format binary)", ct);
        foreach (var ((episode, operation), caller) in reads)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(Guid.CreateVersion7(now), NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(caller.Organization, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(caller.Subject, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(caller.Role.ToString(), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(episode, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(operation, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>The organization's records, newest first.</summary>
    public async Task<IReadOnlyList<AccessRecord>> Read(string organization, Guid? episodeId, string? subject, int first, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand(
            $"select id, subject, role, episode_id, operation, at from {AccessLogTable.QualifiedName(platform.Schema)} " +
            "where tenant_id = @org and (@episode::uuid is null or episode_id = @episode) and (@subject::text is null or subject = @subject) " +
            "order by at desc, id desc limit @first", connection);
        query.Parameters.AddWithValue("org", organization);
        query.Parameters.Add(new NpgsqlParameter("episode", NpgsqlDbType.Uuid) { Value = (object?)episodeId ?? DBNull.Value });
        query.Parameters.Add(new NpgsqlParameter("subject", NpgsqlDbType.Text) { Value = (object?)subject ?? DBNull.Value });
        query.Parameters.AddWithValue("first", first);
        await using var reader = await query.ExecuteReaderAsync(ct);
        var records = new List<AccessRecord>();
        while (await reader.ReadAsync(ct))
            records.Add(new AccessRecord(reader.GetGuid(0), reader.GetString(1), Enum.Parse<Role>(reader.GetString(2)), reader.GetGuid(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        return records;
    }
}

public sealed class AccessRecordGraphType : ObjectGraphType<AccessRecord>
{
    public AccessRecordGraphType()
    {
        Name = "AccessRecord";
        Description = "One read of an episode's data.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("subject").Description("The token subject of who read it.").Resolve(c => c.Source.Subject);
        Field<NonNullGraphType<StringGraphType>>("role").Resolve(c => c.Source.Role.ToString().ToUpperInvariant());
        Field<NonNullGraphType<IdGraphType>>("episodeId").Resolve(c => c.Source.EpisodeId);
        Field<NonNullGraphType<StringGraphType>>("operation").Description("e.g. \"query episode\".").Resolve(c => c.Source.Operation);
        Field<NonNullGraphType<InstantGraphType>>("at").Resolve(c => c.Source.At);
    }
}

public static class AccessLogQueries
{
    public const int MaxRecords = 500;

    /// <summary>`accessLog(episodeId, subject, first)`: admins read who read what, newest first.</summary>
    public static void AddAccessLogQuery(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AccessRecordGraphType>>>>("accessLog")
            .Description("Who read which episode's data, newest first (admins).")
            .Argument<IdGraphType>("episodeId")
            .Argument<StringGraphType>("subject")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument("first", 100);
                if (first is < 1 or > MaxRecords)
                    throw new ExecutionError($"first must be from 1 to {MaxRecords}.") { Code = Clinical.ErrorCodes.ValidationFailed, Data = { ["field"] = "first" } };
                return await c.RequestServices!.GetRequiredService<AccessLog>()
                    .Read(c.Caller().Organization, c.OptionalIdArgument("episodeId"), c.GetArgument<string>("subject"), first, c.CancellationToken);
            });
    }
}
