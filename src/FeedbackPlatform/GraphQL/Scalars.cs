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
/// Float literals of a document (and numbers of its JSON variables, GraphQLHttpEndpoint) that no double or decimal
/// reads as written are refused: GraphQL.NET would read -1e-400 as 0.0, a value nobody sent that every range check
/// lets through.
/// </summary>
public sealed class ExactNumberLiterals : ValidationRuleBase
{
    private static readonly MatchingNodeVisitor<GraphQLFloatValue> Visitor = new((literal, context) =>
    {
        if (ReadsAsWritten(literal.Value.ToString()))
            return;
        var field = context.TypeInfo.GetAncestor(1) switch
        {
            GraphQLObjectField f => f.Name.StringValue,
            GraphQLArgument a => a.Name.StringValue,
            _ => null,
        };
        var error = new ValidationError(context.Document.Source, "5.6.1", $"{field ?? "A number"} cannot be read as written (it under- or overflows).", literal)
        {
            Code = ErrorCodes.ValidationFailed,
        };
        if (field is not null)
            error.Data["field"] = field;
        context.ReportError(error);
    });

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(Visitor);

    /// <summary>False for a number that overflows, or underflows to zero or below what a decimal holds (1e-28).</summary>
    public static bool ReadsAsWritten(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            return false;
        return value == 0 ? !text.Split('e', 'E')[0].Any(c => c is >= '1' and <= '9') : Math.Abs(value) >= 1e-28;
    }
}
