using FeedbackPlatform.Hosting;
using FeedbackPlatform.People;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FeedbackPlatform.Notifications;

/// <summary>
/// Where a notification's reader opens the alert: the web app's alert page, `{FEEDBACK_PUBLIC_URL}/alerts/{alertId}`
/// (the id is a UUID: nothing about the client in the address). Without FEEDBACK_PUBLIC_URL, a process that serves
/// the web app itself (role all) links to the first address it listens on when that names a host (run.sh's
/// http://127.0.0.1:5080); a wildcard address (0.0.0.0, [::], +, *) or an api/worker split gives no link, because
/// nothing here knows the address browsers use then. Notifications without a link still say what happened.
/// </summary>
public sealed class AlertLinks(SignInSettings signIn, PlatformSettings platform, IServiceProvider services)
{
    /// <summary>The web app's route of one alert (web/ has the page).</summary>
    public const string AlertRoute = "/alerts/";

    private string? _listening;
    private bool _listeningRead;

    public string? BaseUrl => signIn.PublicUrl ?? ListeningBase();

    public string? ForAlert(Guid alertId) => BaseUrl is { } root ? root + AlertRoute + alertId.ToString("D") : null;

    /// <summary>The alert worklist, for digests.</summary>
    public string? Worklist() => BaseUrl is { } root ? root + "/alerts" : null;

    private string? ListeningBase()
    {
        if (_listeningRead)
            return _listening;
        // The server binds its addresses when it starts: read them at the first notification, not at construction.
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
            return null;
        _listening = BaseFromListening(platform.Role, addresses);
        _listeningRead = true;
        return _listening;
    }

    /// <summary>The first listening address that names a host, for a process of role all; else none.</summary>
    public static string? BaseFromListening(PlatformRole role, IEnumerable<string> addresses)
    {
        if (role != PlatformRole.All)
            return null;
        foreach (var address in addresses)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                continue;
            var host = uri.Host.Trim('[', ']');
            if (host is "0.0.0.0" or "::" or "+" or "*" || uri.Port == 0)
                continue;
            return uri.GetLeftPart(UriPartial.Authority);
        }
        return null;
    }
}
