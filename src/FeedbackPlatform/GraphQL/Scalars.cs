using System.Globalization;
using GraphQL.Types;
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
