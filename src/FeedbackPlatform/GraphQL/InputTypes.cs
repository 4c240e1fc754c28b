using FeedbackPlatform.Clinical;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Feedback;
using FeedbackPlatform.Goals;
using GraphQL.Types;

namespace FeedbackPlatform.GraphQL;

// The `input:` types of the mutations: each binds straight onto the Wolverine command it names.

/// <summary>The items of the two instruments, the same wherever a rating is taken (one session, or a history).</summary>
internal static class RatingItemFields
{
    public static void SessionRatingItems<T>(this InputObjectGraphType<T> type)
    {
        foreach (var item in new[] { "relationship", "goalsAndTopics", "approachOrMethod", "overall" })
            type.Field<NonNullGraphType<FloatGraphType>>(item);
    }

    public static void OutcomeRatingItems<T>(this InputObjectGraphType<T> type)
    {
        foreach (var item in new[] { "individual", "interpersonal", "social", "overall" })
            type.Field<NonNullGraphType<FloatGraphType>>(item);
    }
}

public sealed class RegisterSiteInput : InputObjectGraphType<RegisterSite>
{
    public RegisterSiteInput()
    {
        this.UuidField("siteId");
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<StringGraphType>("timeZone").Description("IANA time zone, e.g. Europe/Berlin (default UTC).");
    }
}

public sealed class RenameSiteInput : InputObjectGraphType<RenameSite>
{
    public RenameSiteInput()
    {
        this.UuidField("siteId");
        Field<NonNullGraphType<StringGraphType>>("name");
    }
}

public sealed class DeactivateSiteInput : InputObjectGraphType<DeactivateSite>
{
    public DeactivateSiteInput() => this.UuidField("siteId");
}

public sealed class AssignClinicalDirectorInput : InputObjectGraphType<AssignClinicalDirector>
{
    public AssignClinicalDirectorInput()
    {
        this.UuidField("siteId");
        this.UuidField("directorId");
        Field<NonNullGraphType<StringGraphType>>("displayName");
    }
}

public sealed class RegisterTherapistInput : InputObjectGraphType<RegisterTherapist>
{
    public RegisterTherapistInput()
    {
        this.UuidField("therapistId");
        this.UuidField("siteId");
        Field<NonNullGraphType<StringGraphType>>("displayName");
    }
}

public sealed class RenameTherapistInput : InputObjectGraphType<RenameTherapist>
{
    public RenameTherapistInput()
    {
        this.UuidField("therapistId");
        Field<NonNullGraphType<StringGraphType>>("displayName");
    }
}

public sealed class DeactivateTherapistInput : InputObjectGraphType<DeactivateTherapist>
{
    public DeactivateTherapistInput() => this.UuidField("therapistId");
}

public sealed class OpenEpisodeInput : InputObjectGraphType<OpenEpisode>
{
    public OpenEpisodeInput()
    {
        this.UuidField("episodeId");
        this.UuidField("siteId");
        this.UuidField("therapistId");
        Field<NonNullGraphType<StringGraphType>>("clientId").Description("Pseudonymous client id from the clinic's record system; never a name.");
        Field<NonNullGraphType<PopulationGraphType>>("population");
        Field<InstantGraphType>("openedAt").Description("Defaults to now.");
    }
}

public sealed class ImportEpisodeHistoryInput : InputObjectGraphType<ImportEpisodeHistory>
{
    public ImportEpisodeHistoryInput()
    {
        Description = "An episode's history from another record system, recorded in one transaction: the same rules as the single mutations, " +
                      "applied in order as if each fact arrived now (alerts included; no clock starts in the past).";
        this.UuidField("episodeId");
        this.UuidField("siteId");
        this.UuidField("therapistId");
        Field<NonNullGraphType<StringGraphType>>("clientId").Description("Pseudonymous client id from the clinic's record system; never a name.");
        Field<NonNullGraphType<PopulationGraphType>>("population");
        Field<NonNullGraphType<InstantGraphType>>("openedAt");
        Field<ListGraphType<NonNullGraphType<ImportedGoalInput>>>("goals").Description("At most 20.");
        Field<ListGraphType<NonNullGraphType<ImportedSessionInput>>>("sessions").Description("In the order held; at most 200.");
        Field<EpisodeClosureGraphType>("closedAs").Description("Closes the episode after its history, when it has ended.");
    }
}

public sealed class ImportedGoalInput : InputObjectGraphType<ImportedGoal>
{
    public ImportedGoalInput()
    {
        this.UuidField("goalId");
        Field<NonNullGraphType<StringGraphType>>("description");
        Field<NonNullGraphType<BooleanGraphType>>("agreedByClient");
        Field<NonNullGraphType<BooleanGraphType>>("agreedByTherapist");
    }
}

public sealed class ImportedSessionInput : InputObjectGraphType<ImportedSession>
{
    public ImportedSessionInput()
    {
        this.UuidField("sessionId");
        Field<NonNullGraphType<InstantGraphType>>("heldAt");
        Field<SessionRatingItemsInput>("sessionRating");
        Field<OutcomeRatingItemsInput>("outcomeRating");
    }
}

public sealed class SessionRatingItemsInput : InputObjectGraphType<ImportedSessionRating>
{
    public SessionRatingItemsInput()
    {
        Description = "The SRS items, 0.0 to 10.0, one decimal.";
        this.SessionRatingItems();
    }
}

public sealed class OutcomeRatingItemsInput : InputObjectGraphType<ImportedOutcomeRating>
{
    public OutcomeRatingItemsInput()
    {
        Description = "The ORS items, 0.0 to 10.0, one decimal.";
        this.OutcomeRatingItems();
    }
}

public sealed class ReassignTherapistInput : InputObjectGraphType<ReassignTherapist>
{
    public ReassignTherapistInput()
    {
        this.UuidField("episodeId");
        this.UuidField("therapistId");
    }
}

public sealed class CloseEpisodeInput : InputObjectGraphType<CloseEpisode>
{
    public CloseEpisodeInput()
    {
        this.UuidField("episodeId");
        Field<NonNullGraphType<EpisodeClosureGraphType>>("reason");
    }
}

public sealed class RecordSessionInput : InputObjectGraphType<RecordSession>
{
    public RecordSessionInput()
    {
        this.UuidField("episodeId");
        this.UuidField("sessionId");
        Field<NonNullGraphType<InstantGraphType>>("heldAt");
    }
}

public sealed class CancelSessionInput : InputObjectGraphType<CancelSession>
{
    public CancelSessionInput()
    {
        this.UuidField("episodeId");
        this.UuidField("sessionId");
    }
}

public sealed class SubmitSessionRatingInput : InputObjectGraphType<SubmitSessionRating>
{
    public SubmitSessionRatingInput()
    {
        Description = "The client's Session Rating Scale: four items from 0.0 to 10.0, one decimal.";
        this.UuidField("episodeId");
        this.UuidField("sessionId");
        this.SessionRatingItems();
    }
}

public sealed class SubmitOutcomeRatingInput : InputObjectGraphType<SubmitOutcomeRating>
{
    public SubmitOutcomeRatingInput()
    {
        Description = "The client's Outcome Rating Scale: four items from 0.0 to 10.0, one decimal.";
        this.UuidField("episodeId");
        this.UuidField("sessionId");
        this.OutcomeRatingItems();
    }
}

public sealed class SubmitAllianceInventoryInput : InputObjectGraphType<SubmitAllianceInventory>
{
    public SubmitAllianceInventoryInput()
    {
        Description = "The WAI-SR: 12 answers from 1 (seldom) to 5 (always), in the instrument's order.";
        this.UuidField("episodeId");
        this.UuidField("sessionId");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("items");
    }
}

public sealed class RecordGoalAgreementInput : InputObjectGraphType<RecordGoalAgreement>
{
    public RecordGoalAgreementInput()
    {
        this.UuidField("episodeId");
        this.UuidField("goalId");
        Field<NonNullGraphType<StringGraphType>>("description");
        Field<NonNullGraphType<BooleanGraphType>>("agreedByClient");
        Field<NonNullGraphType<BooleanGraphType>>("agreedByTherapist");
    }
}

public sealed class ReviseGoalInput : InputObjectGraphType<ReviseGoal>
{
    public ReviseGoalInput()
    {
        this.UuidField("episodeId");
        this.UuidField("goalId");
        Field<NonNullGraphType<StringGraphType>>("description");
        Field<NonNullGraphType<BooleanGraphType>>("agreedByClient");
        Field<NonNullGraphType<BooleanGraphType>>("agreedByTherapist");
    }
}

public sealed class MarkGoalAchievedInput : InputObjectGraphType<MarkGoalAchieved>
{
    public MarkGoalAchievedInput()
    {
        this.UuidField("episodeId");
        this.UuidField("goalId");
    }
}

public sealed class NoteRuptureInput : InputObjectGraphType<NoteRupture>
{
    public NoteRuptureInput()
    {
        this.UuidField("episodeId");
        this.UuidField("sessionId", required: false);
        Field<NonNullGraphType<StringGraphType>>("note");
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
