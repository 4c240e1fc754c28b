using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackPlatform.Tests.GraphQL;

public sealed class QualityOfServiceFixture : PlatformFixture;

public sealed class QualityOfServiceTests(QualityOfServiceFixture platform) : IClassFixture<QualityOfServiceFixture>
{
    [Fact]
    public async Task A_page_of_100_episodes_with_site_therapist_and_alerts_costs_a_bounded_number_of_statements()
    {
        var clinic = await new Clinic(platform).Register();
        for (var i = 0; i < 100; i++)
        {
            var episode = await clinic.OpenEpisode();
            (await clinic.SubmitSrs(episode, await clinic.RecordSession(episode), 8, 8, 8, 8)).At("submitSessionRating");
        }
        var counter = platform.Host.Services.GetRequiredService<PrivateMartenLogger>();
        const string query = "query($id: ID!) { site(id: $id) { name episodes(first: 100) { nodes { id site { name } therapist { displayName } alerts { kind status } } } } }";

        // Let the background work of the alerts just raised (notices, summaries) finish before counting.
        var quiet = counter.Statements;
        for (var settled = 0; settled < 10; quiet = counter.Statements)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            settled = counter.Statements == quiet ? settled + 1 : 0;
        }
        var before = counter.Statements;
        var response = await platform.GraphQL(query, new { id = clinic.SiteId });
        var statements = counter.Statements - before;

        var nodes = response.At("site.episodes.nodes")!.AsArray();
        Assert.Equal(100, nodes.Count);
        Assert.All(nodes, n => Assert.Equal("LOW_ALLIANCE", n!["alerts"]![0]!["kind"]!.GetValue<string>()));
        // site, the page, one batch of sites, one of therapists, one of alerts: not 300 lookups.
        Assert.True(statements <= 8, $"{statements} SQL statements for one page");
    }

    [Fact]
    public async Task A_document_nested_too_deep_is_refused_before_it_runs()
    {
        // site { therapists { site { therapists { ... } } } }: depth grows by two each round.
        var inner = "displayName";
        for (var i = 0; i < 12; i++)
            inner = $"site {{ therapists {{ {inner} }} }} displayName";
        var deep = $"{{ organization {{ sites {{ therapists {{ {inner} }} }} }} }}";
        var response = await platform.GraphQL(deep, expectedStatus: 400);
        Assert.Equal("VALIDATION_FAILED", response.FirstCode);
        Assert.Contains("depth", response.Errors[0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_document_too_heavy_is_refused_before_it_runs()
    {
        var heavy = "{ alerts(first: 200) { nodes { episode { sessions { id } goals { id } alerts { id notes episode { sessions { id number heldAt } goals { id description } } } } } } }";
        var response = await platform.GraphQL(heavy, expectedStatus: 400);
        Assert.Equal("VALIDATION_FAILED", response.FirstCode);
        Assert.Contains("complexity", response.Errors[0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_cached_document_is_weighed_again_with_each_request_s_variables()
    {
        const string heavy = "query HeavyWithVariables($n: Int!) { alerts(first: $n) { nodes { episode { sessions { id } goals { id } alerts { id notes episode { sessions { id number heldAt } goals { id description } } } } } } }";
        (await platform.GraphQL(heavy, new { n = 1 })).At("alerts.nodes");
        Assert.True(platform.Host.Services.GetRequiredService<DocumentCache>().TryGet(heavy, out _));
        var response = await platform.GraphQL(heavy, new { n = 200 }, expectedStatus: 400);
        Assert.Equal("VALIDATION_FAILED", response.FirstCode);
        Assert.Contains("complexity", response.Errors[0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_cached_document_still_checks_each_request_s_variables()
    {
        const string query = "query FirstAlerts($n: Int!) { alerts(first: $n) { nodes { id } } }";
        (await platform.GraphQL(query, new { n = 1 })).At("alerts.nodes");
        Assert.True(platform.Host.Services.GetRequiredService<DocumentCache>().TryGet(query, out _));
        var response = await platform.GraphQL(query, new { n = "one" }, expectedStatus: 400);
        Assert.Equal("VALIDATION_FAILED", response.FirstCode);
        Assert.Contains("$n", response.Errors[0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_oversized_document_is_refused_with_a_clear_error()
    {
        var huge = "{ alertRules { " + string.Concat(Enumerable.Repeat("srsClinicalCutoff ", 8000)) + "} }";
        var response = await platform.GraphQL(huge, expectedStatus: 400);
        Assert.Equal("VALIDATION_FAILED", response.FirstCode);
        Assert.Contains("longer than", response.Errors[0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_repeated_operation_is_parsed_once()
    {
        var cache = platform.Host.Services.GetRequiredService<DocumentCache>();
        const string query = "query RepeatedForTheCache { alertRules { srsClinicalCutoff orsReliableChange } }";
        (await platform.GraphQL(query)).At("alertRules");
        var afterFirst = cache.Count;
        Assert.True(cache.TryGet(query, out _));
        for (var i = 0; i < 5; i++)
            Assert.Equal(36.0, (await platform.GraphQL(query)).At("alertRules.srsClinicalCutoff")!.GetValue<double>());
        Assert.Equal(afterFirst, cache.Count);
    }
}
