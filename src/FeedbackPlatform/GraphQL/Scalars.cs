using System.Globalization;
using GraphQL.Types;
using FeedbackPlatform.Clinical;
using GraphQL.Validation;
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
