using FeedbackPlatform.Hosting;
using Marten;
using Npgsql;

namespace FeedbackPlatform.Access;

/// <summary>
/// Makes the access log append-only in the database itself: a trigger refuses every UPDATE, DELETE and
/// TRUNCATE of its table, whoever sends it. Installed (idempotently) when the platform starts, after Marten
/// has created its tables.
/// </summary>
public sealed class AccessLogProtection(IDocumentStore store, PlatformSettings platform) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(AccessRecord), ct);
        var schema = platform.Schema.Replace("\"", "\"\"");
        var sql = $"""
            create or replace function "{schema}".access_log_is_append_only() returns trigger language plpgsql as $$
            begin
              raise exception 'the access log is append-only' using errcode = 'insufficient_privilege';
            end $$;
            create or replace trigger access_log_no_change before update or delete on "{schema}".mt_doc_accessrecord
              for each row execute function "{schema}".access_log_is_append_only();
            create or replace trigger access_log_no_truncate before truncate on "{schema}".mt_doc_accessrecord
              for each statement execute function "{schema}".access_log_is_append_only();
            """;
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync(ct);
        // Two nodes starting at once must not race on the DDL.
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lock_ = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('feedback.access_log_protection'))", connection, transaction))
            await lock_.ExecuteNonQueryAsync(ct);
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
            await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
