using System.Collections.Concurrent;
using FeedbackPlatform.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace FeedbackPlatform.Access;

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
