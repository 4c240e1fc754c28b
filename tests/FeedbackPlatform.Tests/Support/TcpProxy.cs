using System.Net;
using System.Net.Sockets;

namespace FeedbackPlatform.Tests.Support;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL, to cut the platform off from its database and reconnect it:
/// Cut() closes every connection and refuses new ones until Restore().
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _cut;

    public int Port { get; }

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Accept();
    }

    /// <summary>The connection string of the test database, through this proxy.</summary>
    public static (TcpProxy Proxy, string ConnectionString) ForTestDatabase()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PlatformFixture.ConnectionString);
        var proxy = new TcpProxy(builder.Host!, builder.Port);
        builder.Host = "127.0.0.1";
        builder.Port = proxy.Port;
        builder.Timeout = 3;
        return (proxy, builder.ConnectionString);
    }

    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
                client.Dispose();
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            if (_cut)
            {
                client.Dispose();
                continue;
            }
            _ = Pipe(client);
        }
    }

    private async Task Pipe(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }
            var a = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var b = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception) { }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        return ValueTask.CompletedTask;
    }
}
