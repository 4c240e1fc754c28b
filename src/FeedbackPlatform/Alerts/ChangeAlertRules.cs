using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Alerts;

/// <summary>An admin's new thresholds for the organization; they apply from the next fact on.</summary>
public sealed record ChangeAlertRules : ApiCommand
{
    public const string OperationName = "updateAlertRules";
    public override string Operation => OperationName;

    public required AlertRuleSettings Settings { get; init; }
    public string ChangedBy { get; init; } = "admin";
}

public static class ChangeAlertRulesHandler
{
    public static Task<(CommandOutcome, StreamFacts<OrganizationRules>)> Handle(ChangeAlertRules c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var organizationId = PlatformSettings.OrganizationIdOf(session.TenantId);
        return StreamDecisions.Decide<OrganizationRules>(session, organizationId,
            current => DirectoryDecisions.ChangeAlertRules(current, organizationId, c.Settings, c.ChangedBy, clock.GetUtcNow()), ct);
    }
}

/// <summary>Every threshold of the alert rules; an omitted field keeps the spec's default.</summary>
public sealed class AlertRuleSettingsInput : InputObjectGraphType<AlertRuleSettingsInput.Values>
{
    public sealed record Values
    {
        public double? SrsClinicalCutoff { get; init; }
        public bool? SrsCutoffInclusive { get; init; }
        public double? SrsItemFlagBelow { get; init; }
        public double? SrsDropPoints { get; init; }
        public double? OrsCutoffAdult { get; init; }
        public double? OrsCutoffAdolescent { get; init; }
        public double? OrsCutoffChild { get; init; }
        public double? OrsReliableChange { get; init; }
        public int? NotOnTrackFromOrs { get; init; }
        public int? GoalConsensusBySession { get; init; }
        public double? MissingFeedbackAfterHours { get; init; }
        public double? DisengagementAfterDays { get; init; }
        public double? EscalateUnacknowledgedAfterHours { get; init; }
        public int? MinimumEpisodesForComparison { get; init; }

        public AlertRuleSettings ToSettings()
        {
            var d = AlertRuleSettings.Defaults;
            return new AlertRuleSettings
            {
                SrsClinicalCutoff = Number(SrsClinicalCutoff, d.SrsClinicalCutoff),
                SrsCutoffInclusive = SrsCutoffInclusive ?? d.SrsCutoffInclusive,
                SrsItemFlagBelow = Number(SrsItemFlagBelow, d.SrsItemFlagBelow),
                SrsDropPoints = Number(SrsDropPoints, d.SrsDropPoints),
                OrsCutoffAdult = Number(OrsCutoffAdult, d.OrsCutoffAdult),
                OrsCutoffAdolescent = Number(OrsCutoffAdolescent, d.OrsCutoffAdolescent),
                OrsCutoffChild = Number(OrsCutoffChild, d.OrsCutoffChild),
                OrsReliableChange = Number(OrsReliableChange, d.OrsReliableChange),
                NotOnTrackFromOrs = NotOnTrackFromOrs ?? d.NotOnTrackFromOrs,
                GoalConsensusBySession = GoalConsensusBySession ?? d.GoalConsensusBySession,
                MissingFeedbackAfter = MissingFeedbackAfterHours is { } h ? Span(TimeSpan.TicksPerHour, h) : d.MissingFeedbackAfter,
                DisengagementAfter = DisengagementAfterDays is { } days ? Span(TimeSpan.TicksPerDay, days) : d.DisengagementAfter,
                EscalateUnacknowledgedAfter = EscalateUnacknowledgedAfterHours is { } e ? Span(TimeSpan.TicksPerHour, e) : d.EscalateUnacknowledgedAfter,
                MinimumEpisodesForComparison = MinimumEpisodesForComparison ?? d.MinimumEpisodesForComparison,
            };
        }

        // Out-of-range numbers, and numbers no decimal holds exactly (1e-300), become values the core's validation
        // refuses with the field named.
        private static decimal Number(double? value, decimal fallback) =>
            value is not { } v ? fallback : TransportNumber.AsDecimal(v) is { } d && Math.Abs(d) < 1e6m ? d : -1m;

        // A duration is taken only when a TimeSpan holds it exactly (to its 100 ns tick); anything else becomes zero,
        // which the core refuses with the field named.
        private static TimeSpan Span(long ticksPerUnit, double value) =>
            TransportNumber.AsDecimal(value) is { } d && d is > 0m and < 1e5m && d * ticksPerUnit is var ticks && ticks == decimal.Truncate(ticks)
                ? TimeSpan.FromTicks((long)ticks)
                : TimeSpan.Zero;
    }

    public AlertRuleSettingsInput()
    {
        Name = "AlertRuleSettingsInput";
        Field<FloatGraphType>("srsClinicalCutoff").Description("Default 36.0");
        Field<BooleanGraphType>("srsCutoffInclusive").Description("Default false: LOW_ALLIANCE is raised strictly under the cutoff");
        Field<FloatGraphType>("srsItemFlagBelow").Description("Default 9.0");
        Field<FloatGraphType>("srsDropPoints").Description("Default 1.0");
        Field<FloatGraphType>("orsCutoffAdult").Description("Default 25.0");
        Field<FloatGraphType>("orsCutoffAdolescent").Description("Default 28.0");
        Field<FloatGraphType>("orsCutoffChild").Description("Default 32.0");
        Field<FloatGraphType>("orsReliableChange").Description("Default 5.0");
        Field<IntGraphType>("notOnTrackFromOrs").Description("Default 3");
        Field<IntGraphType>("goalConsensusBySession").Description("Default 3");
        Field<FloatGraphType>("missingFeedbackAfterHours").Description("Default 24");
        Field<FloatGraphType>("disengagementAfterDays").Description("Default 21");
        Field<FloatGraphType>("escalateUnacknowledgedAfterHours").Description("Default 48");
        Field<IntGraphType>("minimumEpisodesForComparison").Description("Default 10: a therapist's outcome figures are withheld below this many measured episodes");
    }
}

public sealed class AlertRuleSettingsGraphType : ObjectGraphType<AlertRuleSettings>
{
    public AlertRuleSettingsGraphType()
    {
        Name = "AlertRuleSettings";
        Field<NonNullGraphType<FloatGraphType>>("srsClinicalCutoff").Resolve(c => (double)c.Source.SrsClinicalCutoff);
        Field<NonNullGraphType<BooleanGraphType>>("srsCutoffInclusive").Resolve(c => c.Source.SrsCutoffInclusive);
        Field<NonNullGraphType<FloatGraphType>>("srsItemFlagBelow").Resolve(c => (double)c.Source.SrsItemFlagBelow);
        Field<NonNullGraphType<FloatGraphType>>("srsDropPoints").Resolve(c => (double)c.Source.SrsDropPoints);
        Field<NonNullGraphType<FloatGraphType>>("orsCutoffAdult").Resolve(c => (double)c.Source.OrsCutoffAdult);
        Field<NonNullGraphType<FloatGraphType>>("orsCutoffAdolescent").Resolve(c => (double)c.Source.OrsCutoffAdolescent);
        Field<NonNullGraphType<FloatGraphType>>("orsCutoffChild").Resolve(c => (double)c.Source.OrsCutoffChild);
        Field<NonNullGraphType<FloatGraphType>>("orsReliableChange").Resolve(c => (double)c.Source.OrsReliableChange);
        Field<NonNullGraphType<IntGraphType>>("notOnTrackFromOrs").Resolve(c => c.Source.NotOnTrackFromOrs);
        Field<NonNullGraphType<IntGraphType>>("goalConsensusBySession").Resolve(c => c.Source.GoalConsensusBySession);
        Field<NonNullGraphType<FloatGraphType>>("missingFeedbackAfterHours").Resolve(c => c.Source.MissingFeedbackAfter.TotalHours);
        Field<NonNullGraphType<FloatGraphType>>("disengagementAfterDays").Resolve(c => c.Source.DisengagementAfter.TotalDays);
        Field<NonNullGraphType<FloatGraphType>>("escalateUnacknowledgedAfterHours").Resolve(c => c.Source.EscalateUnacknowledgedAfter.TotalHours);
        Field<NonNullGraphType<IntGraphType>>("minimumEpisodesForComparison").Resolve(c => c.Source.MinimumEpisodesForComparison);
    }
}

public sealed class ChangeAlertRulesMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<AlertRuleSettingsGraphType>>(ChangeAlertRules.OperationName)
            .Description("Changes the organization's alert thresholds; they apply from the next fact on.")
            .Argument<NonNullGraphType<AlertRuleSettingsInput>>("input")
            .ResolveAsync(async c =>
            {
                var values = c.GetArgument<AlertRuleSettingsInput.Values>("input")!;
                await c.Send(new ChangeAlertRules { Settings = values.ToSettings(), ChangedBy = c.CallerName() });
                await using var session = c.QuerySession();
                return await StreamDecisions.RulesInForce(session, c.CancellationToken);
            });
}

/// <summary>The alert rules' root fields: a simulation under other thresholds, the thresholds in force.</summary>
public static class AlertRuleFields
{
    public static void AddTo(ObjectGraphType query)
    {
        query.AddSimulation();
        query.Field<NonNullGraphType<AlertRuleSettingsGraphType>>("alertRules")
            .Description("The alert thresholds the organization works under now.")
            .ResolveAsync(async c =>
            {
                await using var session = c.QuerySession();
                return await StreamDecisions.RulesInForce(session, c.CancellationToken);
            });
    }
}
