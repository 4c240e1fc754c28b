using System.Collections.Concurrent;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Types;
using FeedbackPlatform.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace FeedbackPlatform.Access;

/// <summary>One read of an episode's data: who, which episode, through which operation, when. No clinical content.
/// Role is the caller's role, or `Client` for the client's own link (which is no role of the policy).</summary>
public sealed record AccessRecord(Guid Id, string Subject, string Role, Guid EpisodeId, string Operation, DateTimeOffset At);

/// <summary>
/// Collects the episode-level reads of one request (each episode and operation once) and appends them to the
/// access log (Access/AccessLogTable) before the answer leaves: what was not recorded is not served.
/// </summary>
public sealed class AccessLog(PlatformSettings platform, TimeProvider clock, AccessLogWriter writer)
{
    public const string ClientLinkRole = "Client";
    public const string ClientLinkOperation = "client link";

    private readonly ConcurrentDictionary<(Guid Episode, string Operation), (string Organization, string Subject, string Role)> _reads = new();

    public void Record(Caller caller, Guid episodeId, string operation) =>
        _reads.TryAdd((episodeId, operation), (caller.Organization, caller.Subject, caller.Role.ToString()));

    /// <summary>The client, through a feedback link, read or wrote the episode's feedback: named by the request, never by its token.</summary>
    public void RecordClientLink(string organization, Guid requestId, Guid episodeId) =>
        _reads.TryAdd((episodeId, ClientLinkOperation), (organization, $"feedback-request:{requestId}", ClientLinkRole));

    public async Task Flush(CancellationToken ct)
    {
        if (_reads.IsEmpty)
            return;
        var reads = _reads.ToArray();
        _reads.Clear();
        var now = clock.GetUtcNow();
        await writer.Append([.. reads.Select(r => (r.Value.Organization, new AccessRecord(Guid.CreateVersion7(now), r.Value.Subject, r.Value.Role, r.Key.Episode, r.Key.Operation, now)))], ct);
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
            records.Add(new AccessRecord(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        return records;
    }
}

/// <summary>
/// Appends the access records of every request of this process, in shared COPYs: the requests that arrive while
/// one COPY runs go together in the next (a group commit), so a busy node commits once for many answers instead of
/// once per answer, and each answer still leaves only after its own records are committed.
/// </summary>
public sealed class AccessLogWriter(PlatformSettings platform)
{
    private sealed record Pending((string Organization, AccessRecord Record)[] Rows, TaskCompletionSource Done);

    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _draining;

    public Task Append((string Organization, AccessRecord Record)[] rows, CancellationToken ct)
    {
        var pending = new Pending(rows, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
            _ = Task.Run(Drain, CancellationToken.None);
        return pending.Done.Task.WaitAsync(ct);
    }

    private async Task Drain()
    {
        while (true)
        {
            var batch = new List<Pending>();
            while (_queue.TryDequeue(out var pending))
                batch.Add(pending);
            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                // Something queued between the last look and letting go: take it on, unless another drain did.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                    return;
                continue;
            }
            try
            {
                await Copy(batch);
                foreach (var pending in batch)
                    pending.Done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var pending in batch)
                    pending.Done.TrySetException(e);
            }
        }
    }

    // One COPY: a page of a hundred episodes, or fifty requests' records, cost one round trip, not one insert each.
    private async Task Copy(List<Pending> batch)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var copy = await connection.BeginBinaryImportAsync(
            $"copy {AccessLogTable.QualifiedName(platform.Schema)} (id, tenant_id, subject, role, episode_id, operation, at) from stdin (format binary)");
        foreach (var (organization, record) in batch.SelectMany(p => p.Rows))
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(record.Id, NpgsqlDbType.Uuid);
            await copy.WriteAsync(organization, NpgsqlDbType.Text);
            await copy.WriteAsync(record.Subject, NpgsqlDbType.Text);
            await copy.WriteAsync(record.Role, NpgsqlDbType.Text);
            await copy.WriteAsync(record.EpisodeId, NpgsqlDbType.Uuid);
            await copy.WriteAsync(record.Operation, NpgsqlDbType.Text);
            await copy.WriteAsync(record.At, NpgsqlDbType.TimestampTz);
        }
        await copy.CompleteAsync();
    }
}

public sealed class AccessRecordGraphType : ObjectGraphType<AccessRecord>
{
    public AccessRecordGraphType()
    {
        Name = "AccessRecord";
        Description = "One read of an episode's data.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("subject").Description("Who read it: the token subject, `person:<id>` for a signed-in person, `api-key:<id>` for a key.").Resolve(c => c.Source.Subject);
        Field<IdGraphType>("personId").Description("The person who read it, when signed in.").Resolve(c => People.SessionAuthentication.Named(c.Source.Subject).Person);
        Field<IdGraphType>("apiKeyId").Description("The API key that read it, when one did.").Resolve(c => People.SessionAuthentication.Named(c.Source.Subject).ApiKey);
        Field<NonNullGraphType<StringGraphType>>("role").Description("The caller's role, or CLIENT for a client's feedback link.").Resolve(c => c.Source.Role.ToUpperInvariant());
        Field<NonNullGraphType<IdGraphType>>("episodeId").Resolve(c => c.Source.EpisodeId);
        Field<NonNullGraphType<StringGraphType>>("operation").Description("e.g. \"query episode\".").Resolve(c => c.Source.Operation);
        Field<NonNullGraphType<InstantGraphType>>("at").Resolve(c => c.Source.At);
    }
}

public static class AccessLogQueries
{
    public const int MaxRecords = 500;

    /// <summary>Access's root field, `accessLog(episodeId, subject, first)`: admins read who read what, newest first.</summary>
    public static void AddTo(ObjectGraphType query, ObjectGraphType mutation)
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
