using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace FeedbackPlatform.Tests.Operations;

/// <summary>
/// The compose stack cannot run on these machines (no Docker engine), so its files are checked for what would
/// break it: every service, dependency, mount, port and pipeline refers to something that exists, and the
/// dashboard asks for metrics the platform emits.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Root = PlatformProcess.RepositoryRoot;

    private static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, path));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode? At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map)
                return null;
            var found = Entries(map).FirstOrDefault(e => e.Key == key);
            if (found.Value is null)
                return null;
            node = found.Value;
        }
        return node;
    }

    /// <summary>A mapping's entries with YAML merge keys (`&lt;&lt;: *anchor`) resolved, as Compose reads them.</summary>
    private static List<KeyValuePair<string, YamlNode>> Entries(YamlMappingNode map)
    {
        var entries = new List<KeyValuePair<string, YamlNode>>();
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name == "<<" && value is YamlMappingNode merged)
                entries.AddRange(Entries(merged).Where(m => !map.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == m.Key)));
            else
                entries.Add(new(name, value));
        }
        return entries;
    }

    private static string Text(YamlNode? node) => (node as YamlScalarNode)?.Value ?? "";

    [Fact]
    public void The_compose_stack_runs_api_and_worker_from_one_image_after_the_migration_with_health_checks_and_start_order()
    {
        var compose = Yaml("docker-compose.yml");
        var services = (YamlMappingNode)At(compose, "services")!;
        var names = Entries(services).Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "postgres", "migrate", "api", "worker", "otel-collector", "jaeger", "prometheus", "grafana" }, names);

        Assert.Equal("ops/Dockerfile", Text(At(services, "migrate", "build", "dockerfile")));
        Assert.True(File.Exists(Path.Combine(Root, "ops", "Dockerfile")));
        Assert.Equal(Text(At(services, "migrate", "image")), Text(At(services, "api", "image")));
        Assert.Equal(Text(At(services, "migrate", "image")), Text(At(services, "worker", "image")));
        Assert.Equal("api", Text(At(services, "api", "environment", "FEEDBACK_ROLE")));
        Assert.Equal("worker", Text(At(services, "worker", "environment", "FEEDBACK_ROLE")));
        Assert.Contains("resources setup", string.Join(' ', ((YamlSequenceNode)At(services, "migrate", "command")!).Children.Select(Text)));

        // Start order: the database healthy, then the migration done, then the platform.
        Assert.Equal("service_healthy", Text(At(services, "migrate", "depends_on", "postgres", "condition")));
        foreach (var role in new[] { "api", "worker" })
        {
            Assert.Equal("service_completed_successfully", Text(At(services, role, "depends_on", "migrate", "condition")));
            Assert.Contains("healthcheck", string.Join(' ', ((YamlSequenceNode)At(services, role, "healthcheck", "test")!).Children.Select(Text)));
        }
        Assert.NotNull(At(services, "postgres", "healthcheck", "test"));
        foreach (var (service, definition) in Entries(services))
            if (At(definition, "depends_on") is YamlMappingNode dependencies)
                Assert.All(Entries(dependencies), d => Assert.Contains(d.Key, names));

        // Every file mounted from the repository exists.
        foreach (var (service, definition) in Entries(services))
            if (At(definition, "volumes") is YamlSequenceNode volumes)
                foreach (var mount in volumes.Children.Select(Text).Where(v => v.StartsWith("./")))
                {
                    var source = mount.Split(':')[0];
                    Assert.True(File.Exists(Path.Combine(Root, source)) || System.IO.Directory.Exists(Path.Combine(Root, source)), $"{service} mounts missing {source}");
                }

        // Every setting the platform gets is one it reads and the README documents.
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        foreach (var role in new[] { "migrate", "api", "worker" })
            foreach (var (key, _) in Entries((YamlMappingNode)At(services, role, "environment")!))
                Assert.True(readme.Contains($"`{key}`") || key.StartsWith("OTEL_") || key == "ASPNETCORE_ENVIRONMENT", $"{key} is not documented in the README");
        Assert.StartsWith("http://otel-collector:4317", Text(At(services, "api", "environment", "OTEL_EXPORTER_OTLP_ENDPOINT")));
    }

    [Fact]
    public void The_image_builds_the_web_app_in_a_node_stage_and_serves_it_beside_the_app()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "ops", "Dockerfile")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = lines.Select((line, index) => (line, index)).Where(l => l.line.StartsWith("FROM ")).ToList();
        var web = Assert.Single(stages, s => s.line.StartsWith("FROM node:") && s.line.EndsWith(" AS web"));
        var webStage = lines.Skip(web.index).TakeWhile((l, i) => i == 0 || !l.StartsWith("FROM ")).ToList();
        // npm ci (the lock file decides) before the build, from the web app's own package files.
        Assert.Contains("COPY web/package.json web/package-lock.json ./", webStage);
        var ci = webStage.FindIndex(l => l.StartsWith("RUN npm ci"));
        var build = webStage.FindIndex(l => l == "RUN npm run build");
        Assert.True(ci > 0 && build > ci, "the web stage runs npm ci, then npm run build");
        var workdir = webStage.Single(l => l.StartsWith("WORKDIR ")).Split(' ')[1];

        // The runtime stage puts the built files in web/ beside FeedbackPlatform.dll, where Hosting/WebApp looks first.
        var runtime = lines.Skip(stages[^1].index).ToList();
        Assert.Contains("WORKDIR /app", runtime);
        Assert.Contains($"COPY --from=web {workdir}/dist ./web", runtime);
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "web", "package.json")))!;
        Assert.NotNull(package["scripts"]?["build"]);
        Assert.True(File.Exists(Path.Combine(Root, "web", "package-lock.json")));

        // What this machine installed or built never goes into the image (a host's node_modules would replace npm ci's).
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).ToList();
        Assert.Contains("**/node_modules/", ignored);
        Assert.Contains("web/dist/", ignored);

        // Browsers and notifications use the api's published address.
        var services = (YamlMappingNode)At(Yaml("docker-compose.yml"), "services")!;
        var published = Text(((YamlSequenceNode)At(services, "api", "ports")!).Children[0]).Split(':')[0];
        foreach (var role in new[] { "api", "worker" })
            Assert.Equal($"${{FEEDBACK_PUBLIC_URL:-http://localhost:{published}}}", Text(At(services, role, "environment", "FEEDBACK_PUBLIC_URL")));
    }

    [Fact]
    public void The_collector_sends_traces_to_jaeger_and_serves_metrics_where_prometheus_scrapes()
    {
        var collector = Yaml("ops/otel-collector.yaml");
        var compose = (YamlMappingNode)At(Yaml("docker-compose.yml"), "services")!;
        foreach (var (pipeline, definition) in Entries((YamlMappingNode)At(collector, "service", "pipelines")!))
            foreach (var part in new[] { "receivers", "processors", "exporters" })
                foreach (var component in ((YamlSequenceNode)At(definition, part)!).Children.Select(Text))
                    Assert.True(At(collector, part, component) is not null, $"{pipeline} uses undefined {part} {component}");
        Assert.Contains("otlp/jaeger", ((YamlSequenceNode)At(collector, "service", "pipelines", "traces", "exporters")!).Children.Select(Text));
        Assert.Contains("prometheus", ((YamlSequenceNode)At(collector, "service", "pipelines", "metrics", "exporters")!).Children.Select(Text));
        Assert.Equal("0.0.0.0:4317", Text(At(collector, "receivers", "otlp", "protocols", "grpc", "endpoint")));

        var jaeger = Text(At(collector, "exporters", "otlp/jaeger", "endpoint")).Split(':')[0];
        Assert.NotNull(At(compose, jaeger));
        var metricsPort = Text(At(collector, "exporters", "prometheus", "endpoint")).Split(':')[1];
        var scraped = ((YamlSequenceNode)At((YamlSequenceNode)At(Yaml("ops/prometheus.yml"), "scrape_configs")! is var configs ? configs.Children[0] : null!, "static_configs")!)
            .Children.SelectMany(c => ((YamlSequenceNode)At(c, "targets")!).Children.Select(Text)).ToList();
        Assert.Contains($"otel-collector:{metricsPort}", scraped);
    }

    [GeneratedRegex(@"\b(feedback_[a-z_]+|http_server_request_duration_seconds_bucket)\b")]
    private static partial Regex MetricPattern();

    [Fact]
    public void Grafana_is_provisioned_with_a_dashboard_of_the_metrics_the_platform_emits()
    {
        var compose = (YamlMappingNode)At(Yaml("docker-compose.yml"), "services")!;
        var datasource = (YamlSequenceNode)At(Yaml("ops/grafana/provisioning/datasources/prometheus.yaml"), "datasources")!;
        Assert.Equal("http://prometheus:9090", Text(At(datasource.Children[0], "url")));
        var provider = (YamlSequenceNode)At(Yaml("ops/grafana/provisioning/dashboards/feedback-platform.yaml"), "providers")!;
        var dashboardsPath = Text(At(provider.Children[0], "options", "path"));
        Assert.Contains(((YamlSequenceNode)At(compose, "grafana", "volumes")!).Children.Select(Text), v => v == "./ops/grafana/dashboards:" + dashboardsPath + ":ro");

        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "ops", "grafana", "dashboards", "feedback-platform.json")))!;
        var panels = dashboard["panels"]!.AsArray();
        var titles = string.Join(" | ", panels.Select(p => p!["title"]!.GetValue<string>()));
        foreach (var wanted in new[] { "Feedback received", "Alerts raised", "Open alerts", "Alert latency", "Projection lag", "Notification failures", "Request latency" })
            Assert.Contains(wanted, titles);

        // Prometheus names of our instruments: dots become underscores, counters end in _total, the latency histogram in _milliseconds_bucket.
        var emitted = Telemetry.InstrumentNames.Select(n => n.Replace('.', '_')).ToList();
        foreach (var expr in panels.SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>()))
        {
            var metrics = MetricPattern().Matches(expr).Select(m => m.Value).ToList();
            Assert.NotEmpty(metrics);
            foreach (var metric in metrics.Where(m => m.StartsWith("feedback_")))
            {
                var instrument = Regex.Replace(metric, "(_milliseconds_bucket|_total)$", "");
                Assert.True(emitted.Contains(instrument), $"{metric} in the dashboard is not a metric of the platform ({string.Join(", ", emitted)})");
            }
        }
    }
}
