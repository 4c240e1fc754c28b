using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;
using JasperFx.Events;
using Marten;
using Marten.Events;

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

/// <summary>Replays the organization's (or one site's) history under proposed thresholds and under the ones in force.</summary>
public static class SimulateAlertRules
{
    private static readonly Type[] ClinicalFacts =
    [
        typeof(EpisodeOpened), typeof(TherapistReassigned), typeof(SessionRecorded), typeof(SessionCancelled),
        typeof(SessionRatingSubmitted), typeof(OutcomeRatingSubmitted), typeof(GoalAgreementRecorded),
        typeof(GoalRevised), typeof(GoalAchieved), typeof(EpisodeClosed),
    ];

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

        await using var session = context.QuerySession();
        var current = await EpisodeStream.RulesInForce(session, context.CancellationToken);
        var events = session.Events.QueryAllRawEvents().Where(e => e.Timestamp <= to && e.EventTypesAre(ClinicalFacts));
        if (context.OptionalIdArgument("siteId") is { } siteId)
        {
            var episodes = (await session.Query<EpisodeAllianceHealth>().Where(e => e.SiteId == siteId).Select(e => e.Id).ToListAsync(context.CancellationToken)).ToArray();
            events = events.Where(e => e.StreamId.IsOneOf(episodes));
        }
        var history = (await events.OrderBy(e => e.Sequence).ToListAsync(context.CancellationToken)).Select(e => (e.Timestamp, e.Data)).ToList();

        var underCurrent = AlertSimulation.Run(history, current, from, to);
        var underProposed = AlertSimulation.Run(history, proposed, from, to);
        return new SimulationComparison(from, to, underProposed.Episodes, underProposed.Facts,
            Enum.GetValues<AlertKind>().Select(k => new KindComparison(k, underCurrent.Raised[k], underProposed.Raised[k])).ToList());
    }
}
