using FeedbackPlatform.Hosting;
using Marten;

namespace FeedbackPlatform.Access;

/// <summary>What access registers with the platform: the access log's table, who the caller is, the command gate and its limits.</summary>
public static class AccessConfiguration
{
    /// <summary>Who read which episode: appended on every read, queried by admins (Access/AccessLogTable).</summary>
    public static StoreOptions ConfigureAccess(this StoreOptions opts)
    {
        opts.AddAccessLog();
        return opts;
    }

    public static IServiceCollection AddAccess(this IServiceCollection services, PlatformSettings settings, IHostEnvironment environment, bool serving)
    {
        // A worker serves no API, so it needs no token key.
        if (settings.ServesApi)
            services.AddPlatformAuthentication(settings, environment, serving);
        services.AddScoped<RequestCaller>();
        services.AddHttpContextAccessor();
        services.AddScoped<AccessLog>();
        services.AddSingleton<AccessLogWriter>();
        services.AddScoped<CommandGate>();
        services.AddSingleton<MutationRateLimiter>();
        services.AddSingleton<CommandSlots>();
        return services;
    }
}
