using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Demo;
using FeedbackPlatform.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeedbackPlatform.Tests.Demo;

public sealed class DemoClinicFixture : PlatformFixture
{
    public DemoClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void Configure(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
        services.AddSingleton(Clock);
        services.AddTransient<DemoClinic>();
    }
}

public sealed class DemoClinicTests(DemoClinicFixture platform) : IClassFixture<DemoClinicFixture>
{
    [Fact]
    public async Task The_demo_clinic_has_its_sites_therapists_episodes_and_the_trajectories_that_raise_every_kind()
    {
        var today = DateTimeOffset.UtcNow;
        using (var scope = platform.Host.Services.CreateScope())
        {
            var demo = scope.ServiceProvider.GetRequiredService<DemoClinic>();
            Assert.True(await demo.Seed(today, TestContext.Current.CancellationToken) > 3000);
            Assert.Equal(0, await demo.Seed(today, TestContext.Current.CancellationToken)); // never twice
        }

        await using var session = platform.QuerySession();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(3, await session.Query<Site>().CountAsync(ct));
        Assert.Equal(12, await session.Query<Therapist>().CountAsync(ct));
        var episodes = await session.Query<EpisodeAllianceHealth>().ToListAsync(ct);
        Assert.Equal(150, episodes.Count);

        // The kinds that follow from the facts are there at once...
        var alerts = await session.Query<AlertCase>().ToListAsync(ct);
        var kinds = alerts.Select(a => a.Kind).ToHashSet();
        foreach (var kind in new[] { AlertKind.LowAlliance, AlertKind.AllianceDrop, AlertKind.OutcomeDeterioration, AlertKind.NotOnTrack, AlertKind.NoGoalConsensus })
            Assert.Contains(kind, kinds);
        // The episode's alert history is the inbox's AlertCase documents, no longer a list inside the episode's read model.
        Assert.Contains(episodes, e => alerts.Any(a => a.EpisodeId == e.Id && a.Kind == AlertKind.AllianceDrop && a.Resolution == AlertResolution.Repaired));

        // ...and the history leaves what the time-based rules will find: sessions without an SRS, episodes out of contact.
        Assert.Contains(episodes, e => e.SessionsWithSrs < e.SessionsHeld);
        Assert.Contains(episodes, e => e.EpisodeStatus == Clinical.Episodes.EpisodeStatus.Open && e.LastSessionAt < today.AddDays(-21));
        Assert.Contains(episodes, e => e.EpisodeStatus == Clinical.Episodes.EpisodeStatus.Closed);
    }
}
