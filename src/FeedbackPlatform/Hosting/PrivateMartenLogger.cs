using Marten;
using Marten.Services;
using Npgsql;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// Marten's default logger writes a failed command's parameters, which here are events and documents with
/// scores, goals and notes. This one logs what failed and why (exception type, SQL state), never values.
/// </summary>
public sealed class PrivateMartenLogger(ILogger<PrivateMartenLogger> logger) : IMartenLogger, IMartenSessionLogger
{
    private long _statements;

    /// <summary>SQL statements Marten sent to PostgreSQL since start (a batch counts each of its statements).</summary>
    public long Statements => Interlocked.Read(ref _statements);

    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Marten applied a schema change ({Length} characters of DDL)", sql.Length);

    public void LogSuccess(NpgsqlCommand command) { }

    public void LogSuccess(NpgsqlBatch batch) { }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failed(ex, 1);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failed(ex, batch.BatchCommands.Count);

    public void LogFailure(Exception ex, string message) => Failed(ex, 0);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) => Interlocked.Increment(ref _statements);

    public void OnBeforeExecute(NpgsqlBatch batch) => Interlocked.Add(ref _statements, batch.BatchCommands.Count);

    // Optimistic-concurrency losses are expected under contention and retried: not worth a warning each.
    private void Failed(Exception ex, int statements) =>
        logger.Log(ex is PostgresException { SqlState: "23505" or "MT003" } ? LogLevel.Debug : LogLevel.Warning,
            "A Marten command of {Statements} statement(s) failed: {ExceptionType} {SqlState}",
            statements, ex.GetType().Name, (ex as PostgresException)?.SqlState);
}
