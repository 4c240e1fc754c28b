namespace FeedbackPlatform.People;

/// <summary>
/// Sign-in settings of the platform (the organization's own are its SecurityPolicy):
/// FEEDBACK_PUBLIC_URL (the platform's address as browsers see it: invitation links, the Origin a cookie request
/// must carry; default the request's own), Auth__InvitationHours (72), Auth__SessionMaxDays (7),
/// Auth__SignInsPerMinute (per client address, 20).
/// </summary>
public sealed record SignInSettings(string? PublicUrl, TimeSpan InvitationLifetime, TimeSpan SessionMaxAge, int SignInsPerMinute)
{
    public const string CookieName = "fp_session";

    public static SignInSettings From(IConfiguration configuration)
    {
        static double Number(IConfiguration c, string key, double fallback) =>
            double.TryParse(c[key], System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
        var url = configuration["FEEDBACK_PUBLIC_URL"] is { Length: > 0 } u ? u.TrimEnd('/') : null;
        if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
            throw new InvalidOperationException($"FEEDBACK_PUBLIC_URL must be an absolute URL, not '{url}'.");
        return new SignInSettings(url,
            TimeSpan.FromHours(Number(configuration, "Auth:InvitationHours", 72)),
            TimeSpan.FromDays(Number(configuration, "Auth:SessionMaxDays", 7)),
            (int)Number(configuration, "Auth:SignInsPerMinute", 20));
    }

    /// <summary>The platform's own origin: the configured public URL's, else the request's.</summary>
    public string OriginFor(HttpRequest request)
    {
        if (PublicUrl is not null)
        {
            var uri = new Uri(PublicUrl);
            return uri.GetLeftPart(UriPartial.Authority);
        }
        return $"{request.Scheme}://{request.Host}";
    }

    public string InvitationLink(string token, HttpRequest? request) =>
        $"{PublicUrl ?? (request is null ? "http://127.0.0.1:5080" : $"{request.Scheme}://{request.Host}")}/invitation#{token}";
}
