using FeedbackPlatform.Access;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// The web app (web/, built by Vite) served by the platform at `/`: its hashed files under /assets cached for a
/// year, index.html never cached and answered for every client-side route. It is a client of the public API like
/// any other: nothing here lets it do more than the signed-in person may. Every response carries the browser
/// protections (a strict Content-Security-Policy, no framing, no referrer); a JSON API is not harmed by them.
/// </summary>
public static class WebApp
{
    public const string RootSetting = "FEEDBACK_WEB_ROOT";
    public const string NotBuilt = "WEB_APP_NOT_BUILT";

    /// <summary>Only our own origin: no inline script or style, no third party; data: images for the second factor's QR code.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Paths that are the API's, never the web app's: an unknown one stays a 404, not index.html.</summary>
    private static readonly string[] ApiPrefixes = ["/graphql", "/auth", "/exports", "/health", "/api", "/openapi", "/metrics", "/client-feedback"];

    /// <summary>
    /// Where the built app is: FEEDBACK_WEB_ROOT, else `web/` next to the platform's files (a Release or Docker
    /// build copies it there), else `web/dist` of the repository the platform runs from. Null when none has an
    /// index.html: the platform then serves the API alone.
    /// </summary>
    public static string? FindRoot(PlatformSettings settings, IHostEnvironment environment)
    {
        if (settings.WebRoot is { } configured)
            return File.Exists(Path.Combine(configured, "index.html")) ? Path.GetFullPath(configured) : null;
        var beside = Path.Combine(AppContext.BaseDirectory, "web");
        if (File.Exists(Path.Combine(beside, "index.html")))
            return beside;
        foreach (var start in new[] { environment.ContentRootPath, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "FeedbackPlatform.sln")))
                    continue;
                var dist = Path.Combine(dir.FullName, "web", "dist");
                return File.Exists(Path.Combine(dist, "index.html")) ? dist : null;
            }
        }
        return null;
    }

    /// <summary>The browser protections, on every response.</summary>
    public static IApplicationBuilder UseBrowserProtections(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(http);
    });

    /// <summary>The built files (before authentication: they are public and hold no data), then index.html as the fallback route.</summary>
    public static void MapWebApp(this WebApplication app)
    {
        var root = FindRoot(app.Services.GetRequiredService<PlatformSettings>(), app.Environment);
        if (root is null)
        {
            app.Logger.LogInformation("No built web app found (web/dist or {Setting}): serving the API only.", RootSetting);
            app.MapFallback(NotBuiltAnswer);
            return;
        }
        app.Logger.LogInformation("Serving the web app from {Root}.", root);
        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = CacheControlFor(context.Context.Request.Path),
        });
        var index = Path.Combine(root, "index.html");
        app.MapFallback(http =>
        {
            if (!IsClientRoute(http.Request))
                return NotFound(http);
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.ContentType = "text/html; charset=utf-8";
            return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : http.Response.SendFileAsync(index, http.RequestAborted);
        });
    }

    /// <summary>Hashed assets never change under their name; anything else (index.html, icons) is checked every time.</summary>
    public static string CacheControlFor(PathString path) =>
        path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache";

    /// <summary>A page of the app: a GET or HEAD of a path that is not the API's and names no file (no extension).</summary>
    public static bool IsClientRoute(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            return false;
        var path = request.Path;
        if (ApiPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)))
            return false;
        var last = path.Value?[(path.Value.LastIndexOf('/') + 1)..] ?? "";
        return !last.Contains('.');
    }

    private static Task NotFound(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>A clone that never built the web app: the API works, and its pages say how to build them.</summary>
    private static Task NotBuiltAnswer(HttpContext http)
    {
        if (!IsClientRoute(http.Request))
            return NotFound(http);
        http.Response.Headers.CacheControl = "no-cache";
        return Refusals.Write(http, StatusCodes.Status404NotFound, NotBuilt,
            $"The web app is not built here: run `npm ci && npm run build` in web/, or set {RootSetting}. The API answers at /graphql.");
    }
}
