using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FeedbackPlatform.Tests.Support;

/// <summary>
/// One GraphQL answer: its data read as the records of Answers.cs (<see cref="Read{T}"/>), its errors as
/// <see cref="GraphQLError"/>s. The raw body stays at hand for tests that compare whole answers or print them.
/// </summary>
public sealed record GraphQLResponse(JsonObject Body)
{
    /// <summary>
    /// Records read the answer strictly: a field the operation selected that its record does not know fails the test,
    /// so a record can never read null for a field it misspells. A field the operation did not select reads null.
    /// </summary>
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public JsonNode? Data => Body["data"];
    public JsonArray Errors => Body["errors"] as JsonArray ?? [];
    public bool HasErrors => Errors.Count > 0;

    /// <summary>The errors with the code and field the platform puts in their extensions.</summary>
    public IReadOnlyList<GraphQLError> ErrorList => Errors.Select(e => new GraphQLError(
        e?["extensions"]?["code"]?.GetValue<string>(),
        e?["extensions"]?["field"]?.GetValue<string>()) { Message = e?["message"]?.GetValue<string>() ?? "" }).ToList();

    public GraphQLError? FirstError => ErrorList.FirstOrDefault();
    public string? FirstCode => FirstError?.Code;
    public string? FirstField => FirstError?.Field;

    /// <summary>
    /// The answer's root field (or alias) <paramref name="field"/> as <typeparamref name="T"/>; null when the field is null.
    /// Fails the test with the whole answer when there were errors or when the answer has no such field.
    /// </summary>
    public T? Read<T>(string field) where T : class
    {
        FailOnErrors();
        if (Data is not JsonObject data || !data.TryGetPropertyValue(field, out var node))
            throw new InvalidOperationException($"The answer has no field {field}: " + Body.ToJsonString());
        return node?.Deserialize<T>(Strict);
    }

    /// <summary>The answer's root field as raw JSON, for comparing two answers byte for byte.</summary>
    public JsonNode? Json(string field)
    {
        FailOnErrors();
        return Data?[field];
    }

    /// <summary>The data at a dotted path, failing the test with the whole response when there were errors.</summary>
    public JsonNode? At(string path)
    {
        FailOnErrors();
        JsonNode? node = Data;
        foreach (var part in path.Split('.'))
            node = int.TryParse(part, out var index) ? node?[index] : node?[part];
        return node;
    }

    private void FailOnErrors()
    {
        if (HasErrors)
            throw new InvalidOperationException("GraphQL errors: " + Body.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}

/// <summary>
/// A GraphQL error as the platform codes it (extensions.code, extensions.field). Two errors are the same when code and
/// field are: the message is written for people, and tests assert what a client acts on.
/// </summary>
public sealed record GraphQLError(string? Code, string? Field)
{
    public string Message { get; init; } = "";

    public bool Equals(GraphQLError? other) => other is not null && Code == other.Code && Field == other.Field;
    public override int GetHashCode() => HashCode.Combine(Code, Field);
}
