using Marten;

namespace FeedbackPlatform.ClientFeedback;

/// <summary>What client feedback registers with the platform: its requests and settings (ClientFeedback/FeedbackLinks), the link's limits, the redaction of its page's path.</summary>
public static class ClientFeedbackConfiguration
{
    /// <summary>Requests (a stream each, inline read model looked up by the link's hash) and the organization's settings.</summary>
    public static StoreOptions ConfigureClientFeedback(this StoreOptions opts)
    {
        opts.AddClientFeedback();
        return opts;
    }

    public static IServiceCollection AddClientFeedback(this IServiceCollection services)
    {
        services.AddSingleton<ClientLinkRateLimiter>();
        // The client's page path holds its link's token: no log line may carry it.
        services.AddClientLinkRedaction();
        return services;
    }
}
