using System.Globalization;
using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.DI;
using GraphQL.Types;
using FeedbackPlatform.Clinical;
using GraphQL.Validation;
using GraphQL.Validation.Errors;
using GraphQLParser.AST;

namespace FeedbackPlatform.GraphQL;

/// <summary>
/// ISO-8601 instants with an explicit offset ("2026-11-25T09:30:00Z"). A local time without a zone is refused:
/// a session's time must mean the same thing at every site.
/// </summary>
public sealed class InstantGraphType : ScalarGraphType
{
    public InstantGraphType()
    {
        Name = "DateTime";
        Description = "An ISO-8601 date and time with a UTC offset, e.g. 2026-11-25T09:30:00Z.";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s => ParseValue((string)s.Value),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d,
        string s when TryRead(s, out var parsed) => parsed,
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        DateTime d => d.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        _ => ThrowSerializationError(value),
    };

    /// <summary>Reads an ISO-8601 instant that carries its offset; anything else is refused.</summary>
    public static bool TryRead(string s, out DateTimeOffset parsed)
    {
        parsed = default;
        return s.Length >= 20 && HasOffset(s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed);
    }

    private static bool HasOffset(string s) =>
        s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && (s[^6] == '+' || s[^6] == '-') && s[^3] == ':');
}

/// <summary>The scalars every capability's types use, registered once for the schema.</summary>
public static class FeedbackScalars
{
    public static IGraphQLBuilder AddFeedbackScalars(this IGraphQLBuilder builder) => builder.ConfigureSchema(schema =>
    {
        UuidGraphType.ReplaceBuiltInId(schema);
        // Scores and thresholds are decimals in C# (exact), numbers in the contract.
        schema.RegisterTypeMapping<decimal, FloatGraphType>();
    });
}

/// <summary>
/// The schema's ID: the ids the platform takes are UUIDs (sites, therapists, episodes, sessions, goals, alerts, people,
/// keys; a delivery's id is the one exception, <see cref="NonNullTextId"/>), so the scalar itself refuses anything else, wherever an id arrives (an input field, an argument, a variable,
/// an element of a list) and answers it as VALIDATION_FAILED "siteId must be a UUID.", naming the field
/// (<see cref="Refusal"/>). It replaces GraphQL.NET's ID, so the contract still says `ID`. Answers serialize as
/// the built-in ID does.
/// </summary>
public sealed partial class UuidGraphType : IdGraphType
{
    public UuidGraphType() => Name = "ID";

    /// <summary>Replaces the built-in ID before the schema registers any type (GraphQL.NET's way to override a scalar).</summary>
    public static void ReplaceBuiltInId(ISchema schema) => schema.RegisterType(new UuidGraphType());

    /// <summary>
    /// The one ID of the contract that is not a UUID: a notification delivery's id is its subscription and its notice's
    /// key. Its field keeps GraphQL.NET's own ID (an instance of its own; the schema still has one ID).
    /// </summary>
    public static IGraphType NonNullTextId() => new NonNullGraphType(new IdGraphType());

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s when Guid.TryParse(s.Value.Span, out var id) => id,
        GraphQLNullValue => null,
        _ => throw new NotAUuid(),
    };

    // A literal that is not a UUID fails the document's validation, which names the input field at fault.
    public override bool CanParseLiteral(GraphQLValue value) => value is GraphQLNullValue || value is GraphQLStringValue s && Guid.TryParse(s.Value.Span, out _);

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        Guid id => id,
        string s when Guid.TryParse(s, out var id) => id,
        _ => throw new NotAUuid(),
    };

    public override bool CanParseValue(object? value) => value is null or Guid || value is string s && Guid.TryParse(s, out _);

    /// <summary>What a malformed id is answered with, when <paramref name="error"/> is GraphQL.NET's report of one; else null.</summary>
    public static ExecutionError? Refusal(ExecutionError error)
    {
        string? name = null;
        var element = false;
        // A variable, or a field of one: "Variable '$i.sessions[0].sessionId' is invalid. …"
        if (error is InvalidVariableError && error.InnerException is NotAUuid && VariablePath().Match(error.Message) is { Success: true } variable)
        {
            name = variable.Groups["path"].Value.Split('.')[^1];
            element = name.EndsWith(']');
            name = element ? name[..name.IndexOf('[')] : name;
        }
        // A literal of the document: "Argument 'input' has invalid value. In field 'siteId': [Expected type 'ID', found "x".]"
        else if (error is ArgumentsOfCorrectTypeError && LiteralPath().Match(error.Message) is { Success: true } literal)
        {
            name = literal.Groups["field"].Captures.LastOrDefault()?.Value ?? literal.Groups["argument"].Value;
            element = literal.Groups["step"].Captures.LastOrDefault()?.Value.StartsWith("In element", StringComparison.Ordinal) == true;
        }
        if (name is null)
            return null;
        // A list of ids names its items: "Every site must be a UUID."
        var refusal = new ExecutionError(element ? $"Every {name.TrimEnd('s')} must be a UUID." : $"{name} must be a UUID.")
        {
            Code = ErrorCodes.ValidationFailed,
            Data = { ["field"] = name },
        };
        foreach (var location in error.Locations ?? [])
            refusal.AddLocation(location);
        return refusal;
    }

    /// <summary>Thrown by the scalar; GraphQL.NET wraps it in its error for the variable, which <see cref="Refusal"/> reads.</summary>
    public sealed class NotAUuid() : FormatException("must be a UUID.");

    [GeneratedRegex(@"^Variable '\$(?<path>[_0-9A-Za-z.\[\]]+)' is invalid\.")]
    private static partial Regex VariablePath();

    // Exactly one problem in the argument, and it is an ID: the chain of fields and elements down to it.
    [GeneratedRegex(@"^Argument '(?<argument>[_0-9A-Za-z]+)' has invalid value\. (?<step>In field '(?<field>[_0-9A-Za-z]+)': \[|In element #\d+: \[)*Expected type 'ID', found [^\[\]]*\.\]*$")]
    private static partial Regex LiteralPath();
}

/// <summary>
/// Float literals of a document (and numbers of its JSON variables, GraphQLHttpEndpoint) are taken only as written
/// (TransportNumber.Parse): GraphQL.NET would read -1e-400 as 0.0 and 4.50000000000000001 as 4.5, values nobody sent
/// that every range check lets through.
/// </summary>
public sealed class ExactNumberLiterals : ValidationRuleBase
{
    private static readonly MatchingNodeVisitor<GraphQLFloatValue> Visitor = new((literal, context) =>
    {
        if (ReadsAsWritten(literal.Value.Span))
            return;
        var field = context.TypeInfo.GetAncestor(1) switch
        {
            GraphQLObjectField f => f.Name.StringValue,
            GraphQLArgument a => a.Name.StringValue,
            _ => null,
        };
        var error = new ValidationError(context.Document.Source, "5.6.1", $"{field ?? "A number"} {Unreadable}.", literal)
        {
            Code = ErrorCodes.ValidationFailed,
        };
        if (field is not null)
            error.Data["field"] = field;
        context.ReportError(error);
    });

    /// <summary>Why a number was not taken, after the field's name.</summary>
    public const string Unreadable = "cannot be read as written (it under- or overflows, or has more than 15 significant digits)";

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(Visitor);

    /// <summary>Whether a double carries the literal exactly as written and a decimal holds it.</summary>
    public static bool ReadsAsWritten(ReadOnlySpan<char> text) => TransportNumber.Parse(text) is not null;
}
