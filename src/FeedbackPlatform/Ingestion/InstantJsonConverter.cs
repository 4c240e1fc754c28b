using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeedbackPlatform.Ingestion;

/// <summary>Instants in REST bodies must carry their offset ("Z" or "+01:00"), as in GraphQL: a local time means nothing across sites.</summary>
public sealed class InstantJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        var hasOffset = text is { Length: >= 20 } && (text.EndsWith('Z') || text.EndsWith('z') || (text[^6] is '+' or '-' && text[^3] == ':'));
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            throw new JsonException("Expected an ISO-8601 date and time with a UTC offset, e.g. 2026-11-25T09:30:00Z.");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
}
