using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;

namespace FeedbackPlatform.Alerts;

public sealed record KindComparison(AlertKind Kind, int Current, int Proposed);

public sealed record SimulationComparison(DateTimeOffset From, DateTimeOffset To, int Episodes, int Facts, IReadOnlyList<KindComparison> Kinds);

public sealed class KindComparisonGraphType : ObjectGraphType<KindComparison>
{
    public KindComparisonGraphType()
    {
        Name = "AlertKindComparison";
        Field<NonNullGraphType<AlertKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<IntGraphType>>("current").Description("Alerts raised under the settings in force.").Resolve(c => c.Source.Current);
        Field<NonNullGraphType<IntGraphType>>("proposed").Description("Alerts that would have been raised under the proposed settings.").Resolve(c => c.Source.Proposed);
        Field<NonNullGraphType<IntGraphType>>("difference").Resolve(c => c.Source.Proposed - c.Source.Current);
    }
}

public sealed class SimulationComparisonGraphType : ObjectGraphType<SimulationComparison>
{
    public SimulationComparisonGraphType()
    {
        Name = "AlertRuleSimulation";
        Field<NonNullGraphType<InstantGraphType>>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<InstantGraphType>>("to").Resolve(c => c.Source.To);
        Field<NonNullGraphType<IntGraphType>>("episodes").Resolve(c => c.Source.Episodes);
        Field<NonNullGraphType<IntGraphType>>("facts").Description("Clinical facts replayed.").Resolve(c => c.Source.Facts);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KindComparisonGraphType>>>>("kinds").Resolve(c => c.Source.Kinds);
        Field<NonNullGraphType<IntGraphType>>("totalCurrent").Resolve(c => c.Source.Kinds.Sum(k => k.Current));
        Field<NonNullGraphType<IntGraphType>>("totalProposed").Resolve(c => c.Source.Kinds.Sum(k => k.Proposed));
    }
}

/// <summary>
/// Replays the organization's (or one site's) history under proposed thresholds and under the ones in force. The history
/// is the compact timeline of the facts the rules read (<see cref="RuleFacts"/>), not the event store: one index read
/// of narrow rows instead of every event's JSON, and for a site replayed in the last minutes only the rows since
/// (<see cref="RuleFactCache"/>).
/// </summary>
public static class SimulateAlertRules
{
    public static void AddSimulation(this ObjectGraphType query) =>
        query.Field<NonNullGraphType<SimulationComparisonGraphType>>("simulateAlertRules")
            .Description("How many alerts of each kind the history from `from` to `to` (default: the last year) would have raised under other thresholds, beside the settings in force.")
            .Argument<NonNullGraphType<AlertRuleSettingsInput>>("settings")
            .Argument<InstantGraphType>("from")
            .Argument<InstantGraphType>("to")
            .Argument<IdGraphType>("siteId")
            .ResolveAsync(async c => await Run(c));

    private static async Task<SimulationComparison> Run(IResolveFieldContext context)
    {
        AlertRuleSettings proposed;
        try
        {
            proposed = context.GetArgument<AlertRuleSettingsInput.Values>("settings")!.ToSettings().Validated();
        }
        catch (ClinicalRejection rejection)
        {
            throw new ExecutionError(rejection.Message) { Code = rejection.Code, Data = { ["field"] = rejection.Field } };
        }
        var now = context.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow();
        var to = context.GetArgument<DateTimeOffset?>("to") ?? now;
        var from = context.GetArgument<DateTimeOffset?>("from") ?? to.AddYears(-1);
        if (from > to)
            throw new ExecutionError("from must be before to.") { Code = ErrorCodes.ValidationFailed, Data = { ["field"] = "from" } };

        var platform = context.RequestServices!.GetRequiredService<PlatformSettings>();
        AlertRuleSettings current;
        await using (var session = context.QuerySession())
            current = await StreamDecisions.RulesInForce(session, context.CancellationToken);
        // Every fact up to `to`, from the beginning of each episode: the state an alert of the period is decided on
        // starts before the period; only alerts raised in it are counted.
        // A site's, the question an admin asks again and again with other thresholds, come from the timelines just replayed.
        var organization = context.Caller().Organization;
        IReadOnlyList<RuleFact> facts = context.OptionalIdArgument("siteId") is { } siteId
            ? await context.RequestServices!.GetRequiredService<RuleFactCache>().Site(organization, siteId, context.CancellationToken)
            : await RuleFacts.Read(platform.ConnectionString, platform.Schema, organization, to, context.CancellationToken);

        // The two replays share nothing but the rows, so they run side by side.
        var replays = await Task.WhenAll(
            Task.Run(() => AlertSimulation.Run(RuleFacts.History(facts, to), current, from, to), context.CancellationToken),
            Task.Run(() => AlertSimulation.Run(RuleFacts.History(facts, to), proposed, from, to), context.CancellationToken));
        var (underCurrent, underProposed) = (replays[0], replays[1]);
        return new SimulationComparison(from, to, underProposed.Episodes, underProposed.Facts,
            Enum.GetValues<AlertKind>().Select(k => new KindComparison(k, underCurrent.Raised[k], underProposed.Raised[k])).ToList());
    }
}
