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
    private readonly ConcurrentDictionary<Guid, (string Organization, Func<AlertCase, bool> Wanted, IObserver<AlertCase> Observer)> _subscribers = new();

    public int Subscribers => _subscribers.Count;

    /// <summary>The alerts raised in one organization that a subscriber wants and may see.</summary>
    public IObservable<AlertCase> Raised(string organization, Func<AlertCase, bool> wanted) => new Subscription(this, organization, wanted);

    public void Publish(string organization, AlertCase alert)
    {
        foreach (var (_, (subscribedOrganization, wanted, observer)) in _subscribers)
        {
            if (subscribedOrganization == organization && wanted(alert))
                observer.OnNext(alert);
        }
    }

    /// <summary>The PostgreSQL channel of this deployment's schema.</summary>
    public static string Channel(PlatformSettings platform) => "feedback_alerts_" + platform.Schema;

    /// <summary>What the notice handler NOTIFYs: the organization and the alert, never anything clinical.</summary>
    public static string Payload(string organization, Guid alertId) => $"{organization}/{alertId}";

    private sealed class Subscription(AlertFeed feed, string organization, Func<AlertCase, bool> wanted) : IObservable<AlertCase>
    {
        public IDisposable Subscribe(IObserver<AlertCase> observer)
        {
            var id = Guid.NewGuid();
            feed._subscribers[id] = (organization, wanted, observer);
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
                    if (e.Payload.Split('/') is [var organization, var id] && Guid.TryParse(id, out var alertId))
                        _ = Push(organization, alertId, stoppingToken);
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

    private async Task Push(string organization, Guid alertId, CancellationToken ct)
    {
        if (feed.Subscribers == 0)
            return;
        try
        {
            await using var session = store.QuerySession(organization);
            if (await session.LoadAsync<AlertCase>(alertId, ct) is { } alert)
                feed.Publish(organization, alert);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            logger.LogWarning("Could not load a raised alert for the live feed ({ExceptionType})", e.GetType().Name);
        }
    }
}
