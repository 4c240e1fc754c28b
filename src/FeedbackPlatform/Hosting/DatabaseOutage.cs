using System.Net.Sockets;
using Npgsql;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// While PostgreSQL cannot be reached the platform says so at once: 503 with Retry-After and the code
/// SERVICE_UNAVAILABLE, never a 500 and never a request left hanging. The client sends it again: every command
/// is idempotent for the same input, so a change that did commit before the failure is not stored twice.
/// </summary>
public static class DatabaseOutage
{
    public const string Code = "SERVICE_UNAVAILABLE";
    public const int RetryAfterSeconds = 5;

    /// <summary>True when an exception, or one it wraps, means the database is down or unreachable (not a bug or a bad request).</summary>
    public static bool IsOutage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // Shutting down, starting up, too many connections, or the server ended the connection.
                    return pg.SqlState is "57P01" or "57P02" or "57P03" or "53300" || pg.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                case EndOfStreamException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsOutage):
                    return true;
            }
        }
        return false;
    }

    /// <summary>Turns an outage that escapes an endpoint into the 503 answer, if nothing was written yet.</summary>
    public static IApplicationBuilder UseDatabaseOutageAnswers(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (IsOutage(e) && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            await Answer(http);
        }
    });

    public static async Task Answer(HttpContext http)
    {
        http.Response.Clear();
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.Response.WriteAsJsonAsync(new
        {
            errors = new[]
            {
                new { message = "The database is unavailable. Send the request again in a few seconds: a change sent twice with the same input is stored once.", extensions = new { code = Code } },
            },
        });
    }
}
