using System.Text;
using System.Threading.RateLimiting;
using FeedbackPlatform.Clinical.FeedbackRequests;
using FeedbackPlatform.People;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.ClientFeedback;

/// <summary>
/// A client's feedback link, `/f/{token}`: the token is the organization's key in base64url followed by 256 random
/// bits (RandomNumberGenerator, base64url), so it has no dot (the web app's page fallback serves only paths without
/// a file extension) and the store looks it up inside that organization only. It is shown once and stored only as
/// its SHA-256 hash; the lookup is by the hash.
/// </summary>
public static class FeedbackLinks
{
    public const string PagePath = "/f";
    private const int MaxOrganizationChars = 88; // base64url of a 64-character key

    public static string NewToken(string organization) => Secrets.Base64Url(Encoding.UTF8.GetBytes(organization)) + Secrets.Random();

    public static string Path(string token) => $"{PagePath}/{token}";

    public static string Url(string token, SignInSettings settings, HttpRequest? request) =>
        (settings.PublicUrl ?? (request is null ? "http://127.0.0.1:5080" : $"{request.Scheme}://{request.Host}")) + Path(token);

    /// <summary>The organization a token names, or null when it has not the shape of ours (an altered link, for instance).</summary>
    public static string? OrganizationOf(string? token)
    {
        if (token is null || token.Length < Secrets.RandomLength + 2 || token.Length > Secrets.RandomLength + MaxOrganizationChars)
            return null;
        if (!token.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
            return null;
        var prefix = token[..^Secrets.RandomLength];
        if (prefix.Length % 4 == 1)
            return null;
        try
        {
            var padded = prefix.Replace('-', '+').Replace('_', '/') + new string('=', (4 - prefix.Length % 4) % 4);
            var organization = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return Access.Callers.IsOrganizationKey(organization) && NewPrefix(organization) == prefix ? organization : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string NewPrefix(string organization) => Secrets.Base64Url(Encoding.UTF8.GetBytes(organization));

    /// <summary>The organization's client-feedback settings stream (beside its rules' and security policy's).</summary>
    public static Guid SettingsIdOf(string organization) =>
        new(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes("client-feedback:" + organization)));

    public static async Task<ClientFeedbackSettings> SettingsInForce(IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ClientFeedbackSettings>(SettingsIdOf(session.TenantId), ct) ?? ClientFeedbackSettings.Defaults;

    public static void AddClientFeedback(this StoreOptions opts)
    {
        opts.Projections.Add<FeedbackRequestProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        opts.Projections.Add<ClientFeedbackSettingsProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        // The client's lookup is by the link's hash; the clinician's by episode and session.
        opts.Schema.For<FeedbackRequest>().UniqueIndex(Marten.Schema.UniqueIndexType.Computed, "uix_feedback_request_token", Marten.Schema.Indexing.Unique.TenancyScope.PerTenant, x => x.TokenHash!)
            .Index(x => x.EpisodeId);
    }
}

public partial class FeedbackRequestProjection : SingleStreamProjection<FeedbackRequest, Guid>
{
    public FeedbackRequestProjection()
    {
        IncludeType<FeedbackRequested>();
        IncludeType<FeedbackRequestSentByEmail>();
        IncludeType<FeedbackRequestUsed>();
        IncludeType<FeedbackRequestRevoked>();
    }

    public override FeedbackRequest? Evolve(FeedbackRequest? snapshot, Guid id, IEvent e) => FeedbackRequest.Evolve(snapshot, e.Data);
}

public partial class ClientFeedbackSettingsProjection : SingleStreamProjection<ClientFeedbackSettings, Guid>
{
    public ClientFeedbackSettingsProjection() => IncludeType<ClientFeedbackSettingsChanged>();

    public override ClientFeedbackSettings? Evolve(ClientFeedbackSettings? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is ClientFeedbackSettingsChanged c ? ClientFeedbackSettings.From(c) : null : snapshot.When(e.Data);
}

/// <summary>
/// The client's endpoints take no caller, so they are limited twice: per client address (FEEDBACK_CLIENT_LINK_PER_ADDRESS_PER_MINUTE,
/// default 60) and per link (FEEDBACK_CLIENT_LINK_PER_TOKEN_PER_MINUTE, default 20, keyed by the link's hash).
/// </summary>
public sealed class ClientLinkRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perToken;

    public ClientLinkRateLimiter(Hosting.PlatformSettings settings)
    {
        _perAddress = Bucket(settings.ClientLinkRequestsPerAddressPerMinute);
        _perToken = Bucket(settings.ClientLinkRequestsPerLinkPerMinute);
    }

    private static PartitionedRateLimiter<string> Bucket(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public bool TryAddress(string address)
    {
        using var lease = _perAddress.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public bool TryToken(string tokenHash)
    {
        using var lease = _perToken.AttemptAcquire(tokenHash);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _perToken.Dispose();
    }
}
