using System.Collections.Concurrent;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Hosting;
using Marten;
using Npgsql;

namespace FeedbackPlatform.Alerts;

/// <summary>
/// Pushes each newly raised alert to this node's live subscribers (GraphQL `alertRaised`). Every node hears
/// every raised alert: the notice handler NOTIFYs PostgreSQL in its transaction and each node LISTENs.
/// </summary>
public sealed class AlertFeed
{
    private readonly ConcurrentDictionary<Guid, (Guid? SiteId, IObserver<AlertCase> Observer)> _subscribers = new();

    public int Subscribers => _subscribers.Count;

    public IObservable<AlertCase> Raised(Guid? siteId) => new Subscription(this, siteId);

    public void Publish(AlertCase alert)
    {
        foreach (var (_, (siteId, observer)) in _subscribers)
        {
            if (siteId is null || siteId == alert.SiteId)
                observer.OnNext(alert);
        }
    }

    /// <summary>The PostgreSQL channel of this deployment's schema.</summary>
    public static string Channel(PlatformSettings platform) => "feedback_alerts_" + platform.Schema;

    private sealed class Subscription(AlertFeed feed, Guid? siteId) : IObservable<AlertCase>
    {
        public IDisposable Subscribe(IObserver<AlertCase> observer)
        {
            var id = Guid.NewGuid();
            feed._subscribers[id] = (siteId, observer);
            return new Unsubscriber(() => feed._subscribers.TryRemove(id, out _));
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>LISTENs on the alert channel and hands each raised alert to the feed; reconnects when the database goes away.</summary>
public sealed class AlertFeedListener(AlertFeed feed, PlatformSettings platform, IDocumentStore store, ILogger<AlertFeedListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channel = AlertFeed.Channel(platform);
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(platform.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var alertId))
                        _ = Push(alertId, stoppingToken);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                backoff = TimeSpan.FromSeconds(1);
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogWarning("Alert feed lost its database connection ({ExceptionType}); retrying in {Seconds} s", e.GetType().Name, backoff.TotalSeconds);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromSeconds(Math.Min(30, backoff.TotalSeconds * 2));
            }
        }
    }

    private async Task Push(Guid alertId, CancellationToken ct)
    {
        if (feed.Subscribers == 0)
            return;
        try
        {
            await using var session = store.QuerySession();
            if (await session.LoadAsync<AlertCase>(alertId, ct) is { } alert)
                feed.Publish(alert);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            logger.LogWarning("Could not load a raised alert for the live feed ({ExceptionType})", e.GetType().Name);
        }
    }
}
