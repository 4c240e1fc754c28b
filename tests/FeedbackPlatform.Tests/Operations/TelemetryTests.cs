using System.Diagnostics;
using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FeedbackPlatform.Tests.Operations;

public sealed class TelemetryFixture : PlatformFixture
{
    public List<Activity> Spans { get; } = [];
    public List<Metric> Metrics { get; } = [];

    protected override IEnumerable<(string Key, string Value)> Settings() => [("FEEDBACK_TRACING", "true")];

    protected override void Configure(IServiceCollection services) =>
        services.AddOpenTelemetry()
            .WithTracing(t => t.AddInMemoryExporter(Spans))
            .WithMetrics(m => m.AddInMemoryExporter(Metrics));

    public void Flush()
    {
        Host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Host.Services.GetRequiredService<MeterProvider>().ForceFlush();
    }
}

/// <summary>One submission, followed through its trace and its metrics with OpenTelemetry's in-memory exporters.</summary>
public sealed class TelemetryTests(TelemetryFixture platform) : IClassFixture<TelemetryFixture>
{
    [Fact]
    public async Task One_submission_is_traced_from_http_through_the_handler_and_sql_to_the_alert_and_counted()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var session = await clinic.RecordSession(episode);

        // Our own trace id on the request, so that this submission's spans can be told from everything else.
        var traceId = ActivityTraceId.CreateRandom();
        await platform.Host.Scenario(s =>
        {
            s.Post.Json(new
            {
                query = "mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { alerts { kind } } }",
                variables = new { i = new { episodeId = episode, sessionId = session, relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 } },
            }).ToUrl("/graphql");
            s.WithRequestHeader("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            s.StatusCodeShouldBe(200);
        });

        List<Activity> Trace()
        {
            platform.Flush();
            lock (platform.Spans)
                return platform.Spans.Where(a => a.TraceId == traceId).ToList();
        }
        string Names(IEnumerable<Activity> spans) => string.Join(", ", spans.Select(a => $"{a.Source.Name}:{a.DisplayName}"));

        // The alert's notice is handled after the commit, in the same trace.
        var spans = await Eventually.Get(() => Task.FromResult(Trace()), t => t.Any(a => a.DisplayName.Contains("AlertNotice", StringComparison.OrdinalIgnoreCase)), TimeSpan.FromSeconds(20));
        Assert.Contains(spans, a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server);
        Assert.Contains(spans, a => a.Source.Name == "FeedbackPlatform" && a.DisplayName == "graphql.execute" && (string?)a.GetTagItem("graphql.fields") == "submitSessionRating");
        Assert.Contains(spans, a => a.Source.Name == "Wolverine" && a.DisplayName.Contains("SubmitSessionRating", StringComparison.OrdinalIgnoreCase));
        var decide = Assert.Single(spans, a => a.DisplayName == "episode.decide");
        var raised = Assert.Single(decide.Events, e => e.Name == "alert.raised");
        Assert.Equal("LOW_ALLIANCE", raised.Tags.Single(t => t.Key == "alert.kind").Value);
        Assert.Contains(spans, a => a.Source.Name == "Npgsql");
        Assert.Contains(spans, a => a.Source.Name == global::GraphQL.Telemetry.GraphQLTelemetryProvider.SourceName);

        // Nothing about the client in any tag of the trace.
        var tags = spans.SelectMany(a => a.TagObjects.Select(t => t.Value?.ToString() ?? "")).Concat(spans.SelectMany(a => a.Events.SelectMany(e => e.Tags.Select(t => t.Value?.ToString() ?? "")))).ToList();
        Assert.DoesNotContain(tags, t => t.Contains("client-") || t.Contains(episode.ToString()) || t.Contains("20.0") || t.Contains("5.0"));
        Assert.True(spans.Count >= 5, Names(spans));

        // And the metrics of it.
        var metrics = await Eventually.Get(() =>
        {
            platform.Flush();
            lock (platform.Metrics)
                return Task.FromResult(platform.Metrics.ToList());
        }, m => m.Any(x => x.Name == "feedback.projection.lag") && m.Any(x => x.Name == "feedback.alert.latency") && m.Any(x => x.Name == "feedback.alerts.open"), TimeSpan.FromSeconds(20));
        double Sum(string name, string tag, string value) => metrics.Where(m => m.Name == name).SelectMany(Points)
            .Where(p => Tags(p).Any(t => t.Key == tag && t.Value?.ToString() == value)).Select(p => (double)p.GetSumLong()).DefaultIfEmpty(0).Max();
        Assert.True(Sum("feedback.received", "instrument", "SRS") >= 1);
        Assert.True(Sum("feedback.alerts.raised", "kind", "LOW_ALLIANCE") >= 1);
        Assert.True(metrics.Where(m => m.Name == "feedback.alert.latency").SelectMany(Points).Sum(p => p.GetHistogramCount()) >= 1);
        Assert.Contains(metrics, m => m.Name == "feedback.alerts.open");
        Assert.All(metrics.Where(m => m.MeterName == "FeedbackPlatform").SelectMany(Points).SelectMany(Tags),
            t => Assert.Contains(t.Key, new[] { "instrument", "kind", "severity", "outcome", "channel", "projection" }));
    }

    [Fact]
    public async Task A_client_s_link_reaches_no_span_and_no_metric()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var session = await clinic.RecordSession(episode);
        var link = (await platform.GraphQL("mutation($i: RequestFeedbackInput!) { requestFeedback(input: $i) { link } }",
            new { i = new { episodeId = episode, sessionId = session, instruments = new[] { "SRS" } } })).At("requestFeedback.link")!.GetValue<string>();
        var token = link[3..];
        var (page, submit) = (ActivityTraceId.CreateRandom(), ActivityTraceId.CreateRandom());
        await platform.Host.Scenario(s =>
        {
            s.Get.Url(link);
            s.WithRequestHeader("traceparent", $"00-{page}-{ActivitySpanId.CreateRandom()}-01");
            s.IgnoreStatusCode();
        });
        await platform.Host.Scenario(s =>
        {
            s.Post.Json(new { token, instrument = "SRS", items = new { relationship = 9.1, goalsAndTopics = 9.2, approachOrMethod = 9.3, overall = 9.4 } }).ToUrl("/client-feedback/submit");
            s.WithRequestHeader("traceparent", $"00-{submit}-{ActivitySpanId.CreateRandom()}-01");
            s.StatusCodeShouldBe(200);
        });

        List<Activity> All()
        {
            platform.Flush();
            lock (platform.Spans)
                return platform.Spans.ToList();
        }
        // The submission is traced like any command (so the search below has something to search)...
        var spans = await Eventually.Get(() => Task.FromResult(All()), t => t.Any(a => a.TraceId == submit && a.Source.Name == "Wolverine"), TimeSpan.FromSeconds(20));
        Assert.Contains(spans, a => a.TraceId == submit && a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server);
        // ...the page's request, whose path is the link, is not, and no span anywhere names the token.
        Assert.DoesNotContain(spans, a => a.TraceId == page && a.Source.Name == "Microsoft.AspNetCore");
        var texts = spans.SelectMany(a => a.TagObjects.Select(t => t.Value?.ToString() ?? "").Append(a.DisplayName)
            .Concat(a.Events.SelectMany(e => e.Tags.Select(t => t.Value?.ToString() ?? "")))).ToList();
        Assert.DoesNotContain(texts, t => t.Contains(token[^43..], StringComparison.Ordinal));
        lock (platform.Metrics)
            Assert.DoesNotContain(platform.Metrics.SelectMany(Points).SelectMany(Tags), t => (t.Value?.ToString() ?? "").Contains(token[^43..], StringComparison.Ordinal));
    }

    private static IEnumerable<MetricPoint> Points(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
            yield return point;
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
            tags.Add(tag);
        return tags;
    }
}
