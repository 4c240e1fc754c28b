using System.Text.Json;
using System.Text.Json.Serialization;
using Wolverine.Http;

namespace FeedbackPlatform.Ingestion;

/// <summary>What the REST transport registers with the platform.</summary>
public static class IngestionConfiguration
{
    /// <summary>Wolverine HTTP endpoints, enums spelled as in GraphQL (ADULT, PLANNED), OpenAPI at /openapi/v1.json.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddWolverineHttp();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
            o.SerializerOptions.Converters.Add(new InstantJsonConverter());
            // Numbers as GraphQL reads them: never from a string, never an under- or overflowed literal.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new NumberJsonConverter());
        });
        services.AddOpenApi();
        return services;
    }
}
