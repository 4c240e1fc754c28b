namespace FeedbackPlatform.Access;

/// <summary>
/// How many commands this process runs at once (FEEDBACK_COMMAND_CONCURRENCY, default four per core); the rest
/// wait their turn. Beyond that more requests in flight only add database connections, context switches and
/// optimistic-concurrency retries on busy episodes, and every request gets slower.
/// Queries come first: while one runs, a new command starts only in a quarter of the slots, or once it has waited
/// <see cref="BesideQueries"/>; ratings pouring in then leave the processor to a director's dashboard, and are never
/// held back for long (docs/benchmarks.md).
/// </summary>
public sealed class CommandSlots
{
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _besideQueries;
    private readonly TimeSpan _longestWaitBesideQueries;
    private int _queries;

    /// <summary>The longest a command waits for a query to leave it room.</summary>
    public static readonly TimeSpan BesideQueries = TimeSpan.FromMilliseconds(100);

    public CommandSlots(Hosting.PlatformSettings settings) : this(settings, BesideQueries) { }

    public CommandSlots(Hosting.PlatformSettings settings, TimeSpan longestWaitBesideQueries)
    {
        var slots = settings.CommandConcurrency;
        _slots = new SemaphoreSlim(slots, slots);
        var beside = Math.Max(1, slots / 4);
        _besideQueries = new SemaphoreSlim(beside, beside);
        _longestWaitBesideQueries = longestWaitBesideQueries;
    }

    /// <summary>A query of a person runs until the result is disposed.</summary>
    public IDisposable QueryRunning()
    {
        Interlocked.Increment(ref _queries);
        return new Once(() => Interlocked.Decrement(ref _queries));
    }

    public async Task<IDisposable> WaitForSlot(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        var beside = false;
        try
        {
            beside = Volatile.Read(ref _queries) > 0 && await _besideQueries.WaitAsync(_longestWaitBesideQueries, ct);
        }
        catch
        {
            _slots.Release();
            throw;
        }
        return new Once(() =>
        {
            if (beside)
                _besideQueries.Release();
            _slots.Release();
        });
    }

    private sealed class Once(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                release();
        }
    }
}
