using JasperFx.Resources;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wolverine;

namespace FeedbackPlatform.Demo;

/// <summary>
/// `FeedbackPlatform seed-demo`: starts the platform with the demo clock, plays the demo clinic through the
/// command handlers, and stops. Wolverine's durability agent stays off meanwhile, so the checks the history
/// scheduled (missing feedback, contact, escalation) stay stored and run, with the real clock, once the
/// platform serves.
/// </summary>
public static class DemoSeeding
{
    public static async Task<int> Run(WebApplicationBuilder builder)
    {
        var today = DateTimeOffset.UtcNow;
        var clock = new DemoClock(today);
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        builder.Services.AddSingleton(clock);
        builder.Services.AddTransient<DemoClinic>();
        builder.Services.AddTransient<DemoPeople>();
        builder.Services.ConfigureWolverine(opts =>
        {
            opts.Durability.DurabilityAgentEnabled = false;
        });

        await using var app = builder.Build();
        // The seeding host starts before anything else touched the database: create or migrate the schema first.
        await app.SetupResources(CancellationToken.None);
        await app.StartAsync();
        var started = DateTime.UtcNow;
        int commands;
        using (var scope = app.Services.CreateScope())
            commands = await scope.ServiceProvider.GetRequiredService<DemoClinic>().Seed(today, CancellationToken.None);
        Console.WriteLine(commands == 0
            ? "seed-demo: the database already holds a clinic; nothing seeded"
            : $"seed-demo: 3 sites, 12 therapists, 150 episodes from {commands} commands in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        // FEEDBACK_DEMO_PASSWORD: the demo's people (one per role) sign in with it.
        if (app.Services.GetRequiredService<Hosting.PlatformSettings>().DemoPassword is { } password)
        {
            using var scope = app.Services.CreateScope();
            var people = await scope.ServiceProvider.GetRequiredService<DemoPeople>().Seed(password, CancellationToken.None);
            Console.WriteLine($"seed-demo: {people} people added (one per role), second factor off for the demo organization");
        }
        await app.StopAsync();
        return 0;
    }
}
