using System.Diagnostics;
using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackPlatform.Tests.GraphQL;

public sealed class SchemaFixture : PlatformFixture;

/// <summary>The contract: the served schema is the committed schema.graphql, and the transport passes the specification's audit.</summary>
public sealed class ConformanceTests(SchemaFixture platform) : IClassFixture<SchemaFixture>
{
    [Fact]
    public void The_served_schema_is_the_committed_schema_graphql()
    {
        var schema = platform.Host.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        var served = schema.Print().ReplaceLineEndings("\n").Trim() + "\n";
        var path = Path.Combine(PlatformProcess.RepositoryRoot, "schema.graphql");
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1")
            File.WriteAllText(path, served);
        Assert.True(File.Exists(path), "schema.graphql is missing: run the tests once with UPDATE_SCHEMA=1 and commit it.");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == served,
            "The GraphQL contract changed. If that is intended, run `UPDATE_SCHEMA=1 ./ops/test.sh` and commit schema.graphql.");
    }

    [Fact]
    public async Task The_endpoint_passes_the_graphql_over_http_audit_and_its_introspection_is_valid()
    {
        var tool = Path.Combine(PlatformProcess.RepositoryRoot, "tests", "graphql-conformance");
        Assert.True(System.IO.Directory.Exists(Path.Combine(tool, "node_modules", "graphql-http")),
            "tests/graphql-conformance has no node_modules: ./ops/test.sh installs them with npm ci.");
        await using var process = await PlatformProcess.Start();

        var node = Process.Start(new ProcessStartInfo("node", $"check.mjs {process.Url}/graphql")
        {
            WorkingDirectory = tool,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["FEEDBACK_TOKEN"] = Tokens.For("admin", "conformance") },
        })!;
        var output = await node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await node.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, node.ExitCode);

        var report = JsonNode.Parse(output)!;
        var failures = report["failures"]!.ToJsonString();
        Assert.True(report["levels"]!["MUST"]!["ok"]!.GetValue<int>() == 13 && report["levels"]!["MUST"]!["total"]!.GetValue<int>() == 13, failures);
        Assert.True(report["levels"]!["SHOULD"]!["ok"]!.GetValue<int>() == 23 && report["levels"]!["SHOULD"]!["total"]!.GetValue<int>() == 23, failures);
        // The only MAY audits we fail are GETs without the CSRF preflight header, which we refuse on purpose.
        Assert.All(report["failures"]!.AsArray(), f => Assert.StartsWith("MAY", f!["name"]!.GetValue<string>()));
        Assert.True(report["introspection"]!["valid"]!.GetValue<bool>(), report["introspection"]!.ToJsonString());
    }
}
