using FeedbackPlatform.Hosting;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>What people register with the platform: their documents (People/PeopleDocuments) and sign-in's services.</summary>
public static class PeopleConfiguration
{
    /// <summary>The people of each organization (events, inline read model), their credentials, sessions, keys and security log.</summary>
    public static StoreOptions ConfigurePeople(this StoreOptions opts)
    {
        opts.AddPeople();
        return opts;
    }

    public static IServiceCollection AddPeople(this IServiceCollection services, PlatformSettings settings)
    {
        services.AddSingleton(settings.SignIn);
        services.AddSingleton<Passwords>();
        services.AddSingleton<SignInRateLimiter>();
        return services;
    }
}
