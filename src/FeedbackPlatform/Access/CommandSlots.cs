namespace FeedbackPlatform.Access;

/// <summary>
/// How many commands this process runs at once (FEEDBACK_COMMAND_CONCURRENCY, default four per core); the rest
/// wait their turn. Beyond that more requests in flight only add database connections, context switches and
/// optimistic-concurrency retries on busy episodes, and every request gets slower.
/// </summary>
public sealed class CommandSlots
{
    private readonly SemaphoreSlim _slots;

    public CommandSlots(Hosting.PlatformSettings settings)
    {
        var slots = settings.CommandConcurrency;
        _slots = new SemaphoreSlim(slots, slots);
    }

    public async Task<IDisposable> WaitForSlot(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        return new Slot(_slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release();
        }
    }
}

