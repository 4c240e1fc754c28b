using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Feedback;
using FeedbackPlatform.Goals;
using FeedbackPlatform.Hosting;
using Wolverine;
using Wolverine.Http;

namespace FeedbackPlatform.Ingestion;

/// <summary>
/// REST ingestion for electronic health records and tablet forms: each endpoint takes the same command as
/// its GraphQL mutation and runs the same Wolverine handler (one handler, two transports). Ids are the
/// caller's, so a retried POST is an idempotent success. Refusals are RFC 9457 problem details with the
/// API's code and the field at fault.
/// </summary>
public static class IngestionEndpoints
{
    public const string Tag = "Ingestion";

    [WolverinePost("/api/sites"), Tags(Tag), EndpointSummary("Register a site")]
    public static Task<IResult> RegisterSite(RegisterSite command, HttpContext http, CommandGate gate, CancellationToken ct) => Send(http, gate, command, ct);

    [WolverinePost("/api/therapists"), Tags(Tag), EndpointSummary("Register a therapist at a site")]
    public static Task<IResult> RegisterTherapist(RegisterTherapist command, HttpContext http, CommandGate gate, CancellationToken ct) => Send(http, gate, command, ct);

    [WolverinePost("/api/episodes"), Tags(Tag), EndpointSummary("Open an episode of care for a pseudonymous client")]
    public static Task<IResult> OpenEpisode(OpenEpisode command, HttpContext http, CommandGate gate, CancellationToken ct) => Send(http, gate, command, ct);

    [WolverinePost("/api/sessions"), Tags(Tag), EndpointSummary("Record a session held")]
    public static Task<IResult> RecordSession(RecordSession command, HttpContext http, CommandGate gate, CancellationToken ct) => Send(http, gate, command, ct);

    [WolverinePost("/api/session-ratings"), Tags(Tag), EndpointSummary("Submit a Session Rating Scale (SRS)")]
    public static Task<IResult> SubmitSessionRating(SubmitSessionRating command, HttpContext http, CommandGate gate, CancellationToken ct) => Send(http, gate, command, ct);

    [WolverinePost("/api/outcome-ratings"), Tags(Tag), EndpointSummary("Submit an Outcome Rating Scale (ORS)")]
    public static Task<IResult> SubmitOutcomeRating(SubmitOutcomeRating command, HttpContext http, CommandGate gate, CancellationToken ct) => Send(http, gate, command, ct);

    [WolverinePost("/api/alliance-inventories"), Tags(Tag), EndpointSummary("Submit a Working Alliance Inventory (WAI-SR)")]
    public static Task<IResult> SubmitAllianceInventory(SubmitAllianceInventory command, HttpContext http, CommandGate gate, CancellationToken ct) => Send(http, gate, command, ct);

    [WolverinePost("/api/goal-agreements"), Tags(Tag), EndpointSummary("Record a goal and who agreed to it")]
    public static Task<IResult> RecordGoalAgreement(RecordGoalAgreement command, HttpContext http, CommandGate gate, CancellationToken ct) => Send(http, gate, command, ct);

    private static async Task<IResult> Send(HttpContext http, CommandGate gate, ApiCommand? command, CancellationToken ct)
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
