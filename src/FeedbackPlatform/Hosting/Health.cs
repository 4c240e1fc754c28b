using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FeedbackPlatform.Hosting;

public static class Health
{
    public static IServiceCollection AddPlatformHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReachable>("database", tags: ["ready"])
            .AddCheck<MessagingStarted>("messaging", tags: ["ready"])
            .AddCheck<ProjectionsCaughtUp>("projections", tags: ["ready"]);
        return services;
    }

    public static void MapPlatformHealth(this WebApplication app)
    {
        // Live: the process answers. Ready: it can take work (database reachable, Wolverine running).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
    }

    private sealed class DatabaseReachable(PlatformSettings settings) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await connection.OpenAsync(timeout.Token);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("database unreachable");
            }
        }
    }

    /// <summary>
    /// FEEDBACK_MAX_PROJECTION_LAG (default 10000 events): a process that runs the projection daemon is not ready
    /// while the summaries are further behind than that. An api process does not check: its readiness must not
    /// depend on a worker being alive.
    /// </summary>
    private sealed class ProjectionsCaughtUp(Marten.IDocumentStore store, PlatformSettings settings) : IHealthCheck
    {
        private readonly long _maxLag = settings.MaxProjectionLag;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            if (!settings.RunsBackgroundWork)
                return HealthCheckResult.Healthy("not this process's work");
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                var lag = await ProjectionLag.Of(store, timeout.Token) ?? 0;
                return lag <= _maxLag
                    ? HealthCheckResult.Healthy($"{lag} events behind")
                    : HealthCheckResult.Unhealthy($"the summaries are {lag} events behind (more than {_maxLag})");
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("projection position unreadable");
            }
        }
    }

    /// <summary>Wolverine's runtime is a hosted service: once the host has started, message processing has too.</summary>
    private sealed class MessagingStarted(IHostApplicationLifetime lifetime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("message processing not started"));
    }
}
