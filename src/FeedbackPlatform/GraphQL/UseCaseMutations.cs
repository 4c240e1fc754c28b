using System.Reflection;
using GraphQL.Types;
using GraphQLParser.AST;

namespace FeedbackPlatform.GraphQL;

/// <summary>
/// A use case's mutation field, declared in the use case's own file. The schema finds every one of them when it is
/// built (<see cref="UseCaseMutations"/>): no capability lists its mutations, so a new one is its file, its entry in
/// schema.graphql and its entry in the access policy.
/// </summary>
public interface IMutationField
{
    static abstract void AddTo(ObjectGraphType mutation);
}

/// <summary>
/// The mutation fields of every use case, in the order the committed contract (schema.graphql, embedded at build
/// time) lists them, so the served schema prints as the contract does. A field the contract does not list yet comes
/// after the others, by name: the drift test then names it, and `UPDATE_SCHEMA=1` writes it there.
/// </summary>
public static class UseCaseMutations
{
    private static readonly MethodInfo AddOne = typeof(UseCaseMutations).GetMethod(nameof(Add), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static IReadOnlyList<FieldType> InContractOrder()
    {
        var declared = new ObjectGraphType();
        foreach (var useCase in typeof(IMutationField).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(IMutationField))))
            AddOne.MakeGenericMethod(useCase).Invoke(null, [declared]);
        var order = ContractOrder();
        return
        [
            .. declared.Fields
                .OrderBy(f => order.TryGetValue(f.Name, out var position) ? position : int.MaxValue)
                .ThenBy(f => f.Name, StringComparer.Ordinal),
        ];
    }

    private static void Add<TUseCase>(ObjectGraphType mutation) where TUseCase : IMutationField => TUseCase.AddTo(mutation);

    /// <summary>Each mutation field of the contract and its place in `type Mutation`.</summary>
    private static Dictionary<string, int> ContractOrder()
    {
        using var stream = typeof(UseCaseMutations).Assembly.GetManifestResourceStream("schema.graphql")
                           ?? throw new InvalidOperationException("schema.graphql is not embedded in the platform's assembly.");
        using var reader = new StreamReader(stream);
        var contract = GraphQLParser.Parser.Parse(reader.ReadToEnd());
        var mutation = contract.Definitions.OfType<GraphQLObjectTypeDefinition>().SingleOrDefault(t => t.Name.StringValue == "Mutation");
        return (mutation?.Fields?.Items ?? [])
            .Select((field, position) => (field.Name.StringValue, position))
            .ToDictionary(f => f.StringValue, f => f.position);
    }
}
