using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FeedbackPlatform.Hosting;

/// <summary>The platform's own activity source and meter. Tags carry kinds and outcomes, never people or scores.</summary>
public static class Telemetry
{
    public const string Name = "FeedbackPlatform";
    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static WebApplicationBuilder AddPlatformTelemetry(this WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("feedback-platform"))
            .WithTracing(t => t
                .AddSource(Name, "Marten", "Wolverine")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(Name, "Marten", "Wolverine", "Wolverine:*", "Npgsql")
                .AddAspNetCoreInstrumentation());

        // Exported over OTLP only when a collector is configured (standard OTEL_* variables).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();
        return builder;
    }
}
