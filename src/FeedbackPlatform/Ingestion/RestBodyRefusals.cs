using System.Text.Json;
using System.Text.RegularExpressions;
using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;

namespace FeedbackPlatform.Ingestion;

/// <summary>
/// A REST body that is not JSON, or whose values have the wrong type, is refused by Wolverine's JSON binding before
/// any endpoint runs, with a problem document of its own that names neither our code nor the field. This rewrites
/// that answer into the API's refusal (`VALIDATION_FAILED`, the field at fault from the JSON path), as GraphQL
/// answers the same input. Answers under /api are small, so holding one until it is complete costs little.
/// </summary>
public static partial class RestBodyRefusals
{
    [GeneratedRegex(@"Path: \$\.?(?<path>[^ |]*)")]
    private static partial Regex JsonPath();

    public static IApplicationBuilder UseRestBodyRefusals(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }
        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        if (http.Response.StatusCode == StatusCodes.Status400BadRequest && Unbranded(buffer) is { } detail)
        {
            http.Response.Headers.ContentLength = null;
            // The field at fault; the body itself when the fault is not inside one of its properties.
            var path = JsonPath().Match(detail) is { Success: true } m && m.Groups["path"].Value is { Length: > 0 } p ? p : null;
            var field = path ?? "body";
            var reason = JsonPath().Replace(detail, "").TrimEnd(' ', '|', '.');
            var message = path is null
                ? "The body is not a JSON object" + (reason.Length > 0 ? " (" + reason + ")." : ".")
                : $"{field} has the wrong type, or a number that cannot be read as written: send a JSON number (9.5) of at most 15 significant digits, a string for ids and times.";
            await Refusals.Write(http, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, message, field);
            return;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    });

    /// <summary>The detail of a 400 that carries no `code` of ours ("" when it has none, or no JSON body at all), or null.</summary>
    private static string? Unbranded(MemoryStream body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out _))
                return null;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
