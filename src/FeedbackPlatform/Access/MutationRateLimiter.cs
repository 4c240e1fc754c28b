using System.Threading.RateLimiting;
using FeedbackPlatform.Clinical.Access;

namespace FeedbackPlatform.Access;

/// <summary>
/// Per-caller token buckets for changes (mutations and REST posts), shared by both transports:
/// FEEDBACK_MUTATIONS_PER_MINUTE (default 6000, i.e. 100 a second sustained, burst of a tenth of that, at least 20) per subject and organization.
/// </summary>
public sealed class MutationRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<Caller> _limiter;

    public MutationRateLimiter(Hosting.PlatformSettings settings)
    {
        var perMinute = settings.MutationsPerMinute;
        var burst = Math.Max(20, perMinute / 10);
        _limiter = PartitionedRateLimiter.Create<Caller, (string, string)>(caller =>
            RateLimitPartition.GetTokenBucketLimiter((caller.Organization, caller.Subject), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Min(burst, perMinute),
                TokensPerPeriod = perMinute >= 60 ? perMinute / 60 : 1,
                ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / perMinute),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public bool TryAcquire(Caller caller)
    {
        using var lease = _limiter.AttemptAcquire(caller);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
