using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeedbackPlatform.Ingestion;

/// <summary>
/// Numbers in REST bodies as GraphQL reads them: a JSON number, never a string ("9"), and one a double holds as
/// written. A literal that underflows (-1e-400 would be read as 0.0) or overflows is refused, not rounded.
/// </summary>
public sealed class NumberJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Thrown without a message, so that the serializer's message names the path (RestBodyRefusals reads the field from it).
        if (reader.TokenType != JsonTokenType.Number)
            throw new JsonException();
        var text = System.Text.Encoding.ASCII.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new JsonException();
        // Zero only when every digit before the exponent is zero: otherwise the literal underflowed.
        var mantissa = text.Split('e', 'E')[0];
        if (value == 0 && mantissa.Any(c => c is >= '1' and <= '9'))
            throw new JsonException();
        return value;
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
