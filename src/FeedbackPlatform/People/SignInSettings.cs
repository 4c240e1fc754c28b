namespace FeedbackPlatform.People;

/// <summary>
/// Sign-in settings of the platform (the organization's own are its SecurityPolicy), read by Hosting/PlatformSettings:
/// FEEDBACK_PUBLIC_URL (the platform's address as browsers see it: invitation links, the Origin a cookie request
/// must carry; default the request's own), Auth__InvitationHours (72), Auth__SessionMaxDays (7),
/// Auth__SignInsPerMinute (per client address, 20).
/// </summary>
public sealed record SignInSettings(string? PublicUrl, TimeSpan InvitationLifetime, TimeSpan SessionMaxAge, int SignInsPerMinute)
{
    public const string CookieName = "fp_session";

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
