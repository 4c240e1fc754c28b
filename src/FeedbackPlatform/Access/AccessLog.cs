using System.Collections.Concurrent;
using FeedbackPlatform.Clinical.Access;
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
