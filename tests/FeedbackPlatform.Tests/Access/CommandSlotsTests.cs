using FeedbackPlatform.Access;
using FeedbackPlatform.Hosting;
using Microsoft.Extensions.Configuration;

namespace FeedbackPlatform.Tests.Access;

/// <summary>The process runs only so many commands at once; the others wait for a slot instead of crowding the database.</summary>
public sealed class CommandSlotsTests
{
    private static CommandSlots Slots(string? configured) =>
        new(PlatformSettings.From(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["FEEDBACK_DB"] = "Host=unused", ["FEEDBACK_COMMAND_CONCURRENCY"] = configured }).Build(),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" }));

    [Fact]
    public async Task A_command_beyond_the_configured_number_waits_until_one_finishes()
    {
        var ct = TestContext.Current.CancellationToken;
        var slots = Slots("2");
        var first = await slots.WaitForSlot(ct);
        using var second = await slots.WaitForSlot(ct);
        var third = slots.WaitForSlot(ct);
        await Task.Delay(100, ct);
        Assert.False(third.IsCompleted);

        first.Dispose();
        first.Dispose(); // releasing twice frees one slot, not two
        using var taken = await third.WaitAsync(TimeSpan.FromSeconds(5), ct);
        var fourth = slots.WaitForSlot(ct);
        await Task.Delay(100, ct);
        Assert.False(fourth.IsCompleted);
    }

    [Fact]
    public async Task By_default_four_commands_per_core_run_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var slots = Slots(null);
        var taken = new List<IDisposable>();
        for (var i = 0; i < 4 * Environment.ProcessorCount; i++)
            taken.Add(await slots.WaitForSlot(ct).WaitAsync(TimeSpan.FromSeconds(5), ct));
        var next = slots.WaitForSlot(ct);
        await Task.Delay(100, ct);
        Assert.False(next.IsCompleted);
        taken[0].Dispose();
        (await next.WaitAsync(TimeSpan.FromSeconds(5), ct)).Dispose();
    }
}
