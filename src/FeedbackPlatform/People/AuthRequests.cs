using System.Text;
using System.Text.Json;
using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using Microsoft.Net.Http.Headers;

namespace FeedbackPlatform.People;

/// <summary>
/// The bodies of the /auth endpoints: a JSON object of short strings, nothing else. Anything wrong (not JSON,
/// another media type, a foreign Origin, a missing, mistyped or oversized field) is a 4xx with code and field.
/// </summary>
public static class AuthRequests
{
    public const int MaxBodyChars = 8192;
    public const string CsrfRefused = "CSRF_REFUSED";

    public sealed class Refused(int status, string code, string message, string? field = null) : Exception(message)
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
        public string? Field { get; } = field;
    }

    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && string.Equals(parsed.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>An Origin, when the browser sent one, must be the platform's own.</summary>
    public static bool OriginIsOurs(HttpRequest request, SignInSettings settings) =>
        request.Headers.Origin is not { Count: > 0 } origin || string.Equals(origin.ToString().TrimEnd('/'), settings.OriginFor(request), StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the body's fields: (name, required, max length) each; every value a string.</summary>
    public static async Task<Dictionary<string, string?>> Read(HttpContext http, SignInSettings settings, params (string Name, bool Required, int MaxLength)[] fields)
    {
        if (!OriginIsOurs(http.Request, settings))
            throw new Refused(StatusCodes.Status403Forbidden, CsrfRefused, "Requests from another site's pages are refused.");
        if (!IsJson(http.Request.ContentType))
            throw new Refused(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "The body must be application/json.");
        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
        {
            var buffer = new char[MaxBodyChars + 1];
            var read = await reader.ReadBlockAsync(buffer, http.RequestAborted);
            if (read > MaxBodyChars)
                throw new Refused(StatusCodes.Status413PayloadTooLarge, Hosting.RequestLimits.PayloadTooLarge, $"The body may have {MaxBodyChars} characters at most.");
            body = new string(buffer, 0, read);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "The body is not valid JSON.");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "The body must be a JSON object.");
            var values = new Dictionary<string, string?>();
            foreach (var (name, required, maxLength) in fields)
            {
                if (!document.RootElement.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    if (required)
                        throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, $"{name} is required.", name);
                    values[name] = null;
                    continue;
                }
                if (value.ValueKind != JsonValueKind.String)
                    throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, $"{name} must be a string.", name);
                var text = value.GetString()!;
                if (text.Length > maxLength)
                    throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, $"{name} may have {maxLength} characters at most.", name);
                if (required && text.Length == 0)
                    throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, $"{name} is required.", name);
                values[name] = text;
            }
            return values;
        }
    }

    /// <summary>Runs an /auth endpoint: its refusals and the rules' rejections become problem answers, never a 500.</summary>
    public static async Task Answer(HttpContext http, Func<Task<object>> run)
    {
        object answer;
        try
        {
            answer = await run();
        }
        catch (Refused refused)
        {
            await Refusals.Write(http, refused.Status, refused.Code, refused.Message, refused.Field);
            return;
        }
        catch (ClinicalRejection rejection)
        {
            await Refusals.Write(http, rejection.Code == ErrorCodes.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
                rejection.Code, rejection.Message, rejection.Field);
            return;
        }
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsJsonAsync(answer, http.RequestAborted);
    }

    public static string ClientAddress(this HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
