using System.Text.Json;

namespace FeedbackPlatform.Access;

/// <summary>Refusals before a request reaches GraphQL or REST, in the shape of the endpoint that was asked.</summary>
public static class Refusals
{
    public static async Task Write(HttpContext http, int status, string code, string message, string? field = null)
    {
        if (http.Response.HasStarted)
            return;
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
            http.Response.Headers.WWWAuthenticate = "Bearer";
        if (http.Request.Path.StartsWithSegments("/graphql"))
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            var extensions = new Dictionary<string, object?> { ["code"] = code };
            if (field is not null)
                extensions["field"] = field;
            await JsonSerializer.SerializeAsync(http.Response.Body, new { errors = new[] { new { message, extensions } } });
        }
        else
        {
            http.Response.ContentType = "application/problem+json; charset=utf-8";
            await JsonSerializer.SerializeAsync(http.Response.Body, new { type = "about:blank", title = code, status, detail = message, code, field });
        }
    }
}
