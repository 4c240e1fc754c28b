using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FeedbackPlatform.Clinical;

namespace FeedbackPlatform.Ingestion;

/// <summary>
/// Numbers in REST bodies as GraphQL reads them: a JSON number, never a string ("9"), taken only as written
/// (TransportNumber.Parse). A literal that underflows (-1e-400 would be read as 0.0), overflows, or has more digits than
/// a double carries (4.50000000000000001 would be read as 4.5) is refused, not rounded.
/// </summary>
public sealed class NumberJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Thrown without a message, so that the serializer's message names the path (RestBodyRefusals reads the field from it).
        if (reader.TokenType != JsonTokenType.Number)
            throw new JsonException();
        var text = System.Text.Encoding.ASCII.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
        if (TransportNumber.Parse(text) is null)
            throw new JsonException();
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
