using System.Diagnostics.Metrics;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace FeedbackPlatform.Tests.Cluster;

public sealed class UnplaceableMessageFixture : PlatformFixture;

/// <summary>
/// A background message naming what this deployment does not hold (another deployment's alert or episode, an
/// organization it does not know) is dead-lettered here with its reason and counted: never dropped silently.
/// </summary>
public sealed class UnplaceableMessageTests(UnplaceableMessageFixture platform) : IClassFixture<UnplaceableMessageFixture>
{
    private async Task<List<(string Type, string Reason)>> DeadLetters()
    {
        await using var connection = new NpgsqlConnection(PlatformFixture.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = new NpgsqlCommand($"select message_type, exception_type, exception_message from \"{platform.Schema}\".wolverine_dead_letters", connection);
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            rows.Add((reader.GetString(0), reader.GetString(1) + ": " + reader.GetString(2)));
        return rows;
    }

    [Fact]
    public async Task Notices_and_checks_for_alerts_and_episodes_this_deployment_does_not_hold_are_dead_lettered_with_a_reason_and_counted()
    {
        var counted = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Telemetry.Name && instrument.Name == "feedback.messages.unplaceable")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "message_type")
                    counted.Add($"{tag.Value}:{value}");
        });
        listener.Start();

        var (alert, episode) = (Guid.NewGuid(), Guid.NewGuid());
        using var scope = platform.Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await bus.PublishAsync(new AlertNotice(alert, "raised", DateTimeOffset.UtcNow), new DeliveryOptions { TenantId = platform.Organization });
        await bus.PublishAsync(new CheckContactDue(episode), new DeliveryOptions { TenantId = "an-organization-not-here" });

        var dead = await Eventually.Get(DeadLetters, rows => rows.Count >= 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, dead.Count);
        Assert.Contains(dead, d => d.Type.Contains("AlertNotice", StringComparison.OrdinalIgnoreCase)
            && d.Reason.Contains(nameof(UnplaceableMessage)) && d.Reason.Contains($"no alert {alert}"));
        Assert.Contains(dead, d => d.Type.Contains("CheckContactDue", StringComparison.OrdinalIgnoreCase)
            && d.Reason.Contains($"no episode {episode} in organization 'an-organization-not-here'"));
        Assert.Contains("AlertNotice:1", counted);
        Assert.Contains("CheckContactDue:1", counted);
    }
}
