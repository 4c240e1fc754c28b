using System.Text.Json.Nodes;
using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace FeedbackPlatform.Tests.Support;

/// <summary>
/// The real host (Program) on the real PostgreSQL that ./ops/test.sh started (FEEDBACK_DB), with its own
/// schema per test class so that classes run in parallel without seeing each other's data. Requests carry an
/// admin token of the fixture's organization unless they bring their own.
/// </summary>
public abstract class PlatformFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;
    public string Schema { get; }

    /// <summary>The organization (tenant) the fixture's requests work in.</summary>
    public string Organization { get; } = "clinic-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The token every request carries unless it sets its own Authorization header.</summary>
    public string AdminToken => _adminToken ??= Tokens.For("admin", Organization, subject: "test-admin");
    private string? _adminToken;

    protected PlatformFixture()
    {
        Schema = "t_" + GetType().Name.ToLowerInvariant().Replace("fixture", "") + "_" + Guid.NewGuid().ToString("N")[..6];
    }

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("FEEDBACK_DB")
        ?? throw new InvalidOperationException("FEEDBACK_DB is not set: run the tests with ./ops/test.sh, which starts PostgreSQL.");

    public virtual async ValueTask InitializeAsync()
    {
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("FEEDBACK_DB", ConnectionString);
            builder.UseSetting("FEEDBACK_SCHEMA", Schema);
            builder.UseSetting("FEEDBACK_ORGANIZATION", Organization);
            builder.UseSetting("Auth:SigningKey", Tokens.SigningKey);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in Settings())
                builder.UseSetting(key, value);
            builder.UseEnvironment("Development");
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
                Configure(services);
            });
        });
        Host.BeforeEach(http =>
        {
            if (!http.Request.Headers.ContainsKey("Authorization"))
                http.Request.Headers.Authorization = "Bearer " + AdminToken;
        });
    }

    /// <summary>Hook for fixtures that need other configuration values.</summary>
    protected virtual IEnumerable<(string Key, string Value)> Settings() => [];

    /// <summary>Hook for fixtures that replace a service (e.g. the clock).</summary>
    protected virtual void Configure(IServiceCollection services) { }

    public virtual async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        // Leave nothing behind in the shared database.
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"drop schema if exists \"{Schema}\" cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>A read session in the fixture's organization.</summary>
    public IQuerySession QuerySession() => Store.QuerySession(Organization);

    /// <summary>Posts a GraphQL operation and returns the parsed response body (any status when expectedStatus is negative).</summary>
    public async Task<GraphQLResponse> GraphQL(string query, object? variables = null, int expectedStatus = 200, string? token = null)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { query, variables }).ToUrl("/graphql");
            s.WithRequestHeader("Accept", "application/graphql-response+json");
            if (token is not null)
                s.WithRequestHeader("Authorization", "Bearer " + token);
            if (expectedStatus < 0)
                s.IgnoreStatusCode();
            else
                s.StatusCodeShouldBe(expectedStatus);
        });
        return new GraphQLResponse(JsonNode.Parse(await result.ReadAsTextAsync())!.AsObject());
    }

    /// <summary>How many events the store holds, to prove that refused input stored nothing.</summary>
    public async Task<long> EventCount()
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand($"select count(*) from \"{Schema}\".mt_events", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
