using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Hosting;

namespace FeedbackPlatform.Ingestion;

/// <summary>
/// REST ingestion for electronic health records and tablet forms: each route (declared in its use case's file, beside
/// the mutation) takes the same command as its GraphQL mutation and runs the same Wolverine handler (one handler, two
/// transports). Ids are the caller's, so a retried POST is an idempotent success. Refusals are RFC 9457 problem
/// details with the API's code and the field at fault.
/// </summary>
public static class RestCommand
{
    public const string Tag = "Ingestion";

    /// <summary>Runs the command through the gate and answers 200, or the problem with its status.</summary>
    public static async Task<IResult> Send(HttpContext http, CommandGate gate, ApiCommand? command, CancellationToken ct)
    {
        if (command is null)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: ErrorCodes.ValidationFailed, detail: "The body must be a JSON object.",
                extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.ValidationFailed, ["field"] = null });
        var outcome = await gate.Run(http.Caller(), command, ct);
        if (outcome.IsAccepted)
            return Results.Ok(new { accepted = true });
        if (outcome.Code == CommandGate.RateLimited)
            http.Response.Headers.RetryAfter = "1";
        var status = outcome.Code switch
        {
            ErrorCodes.NotFound => StatusCodes.Status404NotFound,
            ErrorCodes.Conflict => StatusCodes.Status409Conflict,
            CommandGate.Forbidden => StatusCodes.Status403Forbidden,
            CommandGate.RateLimited => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status400BadRequest,
        };
        return Results.Problem(statusCode: status, title: outcome.Code, detail: outcome.Message,
            extensions: new Dictionary<string, object?> { ["code"] = outcome.Code, ["field"] = outcome.Field });
    }
}
