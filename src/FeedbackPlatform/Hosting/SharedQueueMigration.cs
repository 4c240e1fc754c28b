using Npgsql;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// Before each deployment kept its background queues in its own schema, every deployment on a database used one
/// shared schema (`wolverine_queues`, Wolverine's default). A process that runs the background work moves whatever
/// still waits there into its own deployment's queues once it has started, in one transaction per table (a row is
/// moved once even when several processes start together). On a database that held one deployment that is all a
/// migration needs. Where several deployments shared the database, the first upgraded worker takes it all: what
/// belongs to another deployment names an alert or episode this one does not hold and is dead-lettered here with
/// that reason (UnplaceableMessage), never lost silently. README, "Migrations", says so.
/// </summary>
public sealed class SharedQueueMigration(PlatformSettings settings, IHostApplicationLifetime lifetime, ILogger<SharedQueueMigration> logger) : IHostedService
{
    /// <summary>FEEDBACK_SHARED_QUEUE_SCHEMA: where the queues lived before (`wolverine_queues`).</summary>
    public string LegacySchema { get; } = settings.SharedQueueSchema;

    public static readonly string[] Tables =
    [
        "wolverine_queue_" + BackgroundWork.FollowUpQueue, "wolverine_queue_" + BackgroundWork.FollowUpQueue + "_scheduled",
        "wolverine_queue_" + BackgroundWork.NotificationQueue, "wolverine_queue_" + BackgroundWork.NotificationQueue + "_scheduled",
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // After start-up: in Development the deployment's own queue tables are created while Wolverine starts.
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            try
            {
                var moved = await MoveAsync(lifetime.ApplicationStopping);
                if (moved > 0)
                    logger.LogWarning("Moved {Count} waiting background messages from the shared schema {Legacy} into this deployment's queues", moved, LegacySchema);
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
            {
                logger.LogError(e, "Could not move the waiting messages of the shared queue schema {Legacy}; the next start tries again", LegacySchema);
            }
        }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Moves every row of the shared queue tables into this deployment's; returns how many.</summary>
    public async Task<long> MoveAsync(CancellationToken ct)
    {
        if (LegacySchema == settings.Schema)
            return 0;
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        long moved = 0;
        foreach (var table in Tables)
        {
            // The columns both tables have, in the target's order (an older Wolverine may have made the old ones).
            var columns = new List<string>();
            await using (var query = new NpgsqlCommand(
                """
                select t.column_name from information_schema.columns t
                join information_schema.columns s on s.table_schema = @legacy and s.table_name = t.table_name and s.column_name = t.column_name
                where t.table_schema = @schema and t.table_name = @table order by t.ordinal_position
                """, connection))
            {
                query.Parameters.AddWithValue("legacy", LegacySchema);
                query.Parameters.AddWithValue("schema", settings.Schema);
                query.Parameters.AddWithValue("table", table);
                await using var reader = await query.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    columns.Add('"' + reader.GetString(0) + '"');
            }
            if (columns.Count == 0)
                continue; // no such table on one side: nothing waits there, or this deployment's is not made yet
            var list = string.Join(", ", columns);
            await using var move = new NpgsqlCommand(
                $"""
                with moved as (delete from "{LegacySchema}"."{table}" returning {list})
                insert into "{settings.Schema}"."{table}" ({list}) select {list} from moved on conflict do nothing
                """, connection);
            moved += await move.ExecuteNonQueryAsync(ct);
        }
        return moved;
    }
}
