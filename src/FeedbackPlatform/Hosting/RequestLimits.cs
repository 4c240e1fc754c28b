using FeedbackPlatform.Access;
using Microsoft.AspNetCore.Http.Features;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// FEEDBACK_MAX_BODY_BYTES (default 1 MiB): no request body larger than that is read, whatever its transport
/// says about its length; the caller gets 413 with code PAYLOAD_TOO_LARGE.
/// </summary>
public static class RequestLimits
{
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app, PlatformSettings settings)
    {
        var max = settings.MaxBodyBytes;
        return app.Use(async (http, next) =>
        {
            if (http.Request.ContentLength > max)
            {
                await Refusals.Write(http, StatusCodes.Status413PayloadTooLarge, PayloadTooLarge, $"The request body is larger than {max} bytes.");
                return;
            }
            // Bodies without a declared length (chunked) are cut off by the server at the same size.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = max;
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await Refusals.Write(http, StatusCodes.Status413PayloadTooLarge, PayloadTooLarge, $"The request body is larger than {max} bytes.");
            }
        });
    }
}
