using System.Runtime.CompilerServices;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Tests.Support;
using GraphQL.Types;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackPlatform.Tests.Access;

public sealed class OperationNamesFixture : PlatformFixture;

/// <summary>
/// The one name that ties a command to its transports and to the access policy: each command declares it (its
/// OperationName), its mutation field is registered under it, the gate asks the policy for it. A typo on any side fails here.
/// </summary>
public sealed class OperationNameTests(OperationNamesFixture platform) : IClassFixture<OperationNamesFixture>
{
    /// <summary>Commands the policy grants but no transport offers.</summary>
    private static readonly string[] Unoffered = ["unassignClinicalDirector"];

    private static readonly Type[] CommandTypes =
        [.. typeof(ApiCommand).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ApiCommand)) && !t.IsAbstract)];

    private static string OperationOf(Type command) => ((ApiCommand)RuntimeHelpers.GetUninitializedObject(command)).Operation;

    private IReadOnlyList<string> Mutations()
    {
        var schema = platform.Host.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        return [.. schema.Mutation!.Fields.Select(f => f.Name)];
    }

    /// <summary>The commands the REST routes take.</summary>
    private IReadOnlyList<Type> RouteCommands() =>
    [
        .. platform.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(e => e.Metadata.OfType<IAcceptsMetadata>())
            .Select(a => a.RequestType)
            .OfType<Type>()
            .Where(t => t.IsSubclassOf(typeof(ApiCommand)))
            .Distinct(),
    ];

    [Fact]
    public void Every_command_declares_one_operation_of_its_own()
    {
        Assert.NotEmpty(CommandTypes);
        foreach (var type in CommandTypes)
            Assert.True(type.GetField("OperationName")?.GetValue(null) is string name && name == OperationOf(type),
                $"{type.Name} must declare `public const string OperationName` and answer it as its Operation.");
        var twice = CommandTypes.GroupBy(OperationOf).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, "Operations named by more than one command: " + string.Join(", ", twice));
    }

    [Fact]
    public void Every_mutation_has_a_policy_entry()
    {
        var missing = Mutations().Where(m => !AccessPolicy.Operations.ContainsKey(m)).ToList();
        Assert.True(missing.Count == 0, "Mutations the access policy does not know (refused to everyone): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_command_is_a_mutation_or_a_REST_route_and_has_a_policy_entry()
    {
        var mutations = Mutations();
        var routed = RouteCommands();
        Assert.NotEmpty(routed);
        foreach (var type in CommandTypes)
        {
            var operation = OperationOf(type);
            Assert.True(AccessPolicy.Operations.ContainsKey(operation), $"{type.Name}: the access policy has no entry {operation}.");
            if (!Unoffered.Contains(operation))
                Assert.True(mutations.Contains(operation) || routed.Contains(type), $"{type.Name}: {operation} is neither a mutation field nor a REST route.");
        }
    }
}
