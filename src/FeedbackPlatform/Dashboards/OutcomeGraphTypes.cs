using FeedbackPlatform.Alerts;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Outcomes;
using FeedbackPlatform.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Dashboards;

public sealed class OutcomeFiguresGraphType : ObjectGraphType<OutcomeFigures>
{
    public OutcomeFiguresGraphType()
    {
        Name = "OutcomeFigures";
        Description = "Whether clients get better and how they engage, for a period [from, to) (docs/clinical-rules.md). Rates are shares from 0 to 1; " +
                      "each figure comes with the count it was computed on. Kept by the projection daemon.";
        Field<NonNullGraphType<InstantGraphType>>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<InstantGraphType>>("to").Description("The end of the period, not included.").Resolve(c => c.Source.To);
        Field<NonNullGraphType<BooleanGraphType>>("withheld")
            .Description("A therapist with fewer measured episodes than the organization's minimumEpisodesForComparison: the outcome figures are null, the counts shown.")
            .Resolve(c => c.Source.Withheld);
        Field<NonNullGraphType<IntGraphType>>("measuredEpisodes").Description("Episodes with an intake and a later ORS, the latest submitted within the period.").Resolve(c => c.Source.MeasuredEpisodes);
        Field<FloatGraphType>("reliableImprovementRate").Description("Share of measured episodes whose change is at least the reliable change index.").Resolve(c => (double?)c.Source.ReliableImprovementRate);
        Field<FloatGraphType>("reliableDeteriorationRate").Description("Share of measured episodes whose change is at most minus the reliable change index.").Resolve(c => (double?)c.Source.ReliableDeteriorationRate);
        Field<FloatGraphType>("recoveryRate").Description("Of those that started in the clinical range: share ending at or over the cutoff with a reliable improvement (Jacobson-Truax).").Resolve(c => (double?)c.Source.RecoveryRate);
        Field<NonNullGraphType<IntGraphType>>("startedInClinicalRange").Description("Measured episodes whose intake was under their population's cutoff: the recovery rate's count.").Resolve(c => c.Source.StartedInClinicalRange);
        Field<FloatGraphType>("meanChange").Description("Mean of final minus intake ORS total.").Resolve(c => (double?)c.Source.MeanChange);
        Field<FloatGraphType>("effectSize").Description("Pre-post effect size: mean change over the sample standard deviation of the intakes.").Resolve(c => (double?)c.Source.EffectSize);
        Field<NonNullGraphType<IntGraphType>>("closedEpisodes").Description("Episodes closed within the period.").Resolve(c => c.Source.ClosedEpisodes);
        Field<FloatGraphType>("dropoutRate").Description("Share of the closed episodes closed as DROPOUT.").Resolve(c => (double?)c.Source.DropoutRate);
        Field<FloatGraphType>("meanSessionsPerClosedEpisode").Description("Mean sessions held (not cancelled) by the closed episodes.").Resolve(c => (double?)c.Source.MeanSessionsPerClosedEpisode);
        Field<NonNullGraphType<IntGraphType>>("sessionsHeld").Description("Sessions held within the period: the feedback completion's count.").Resolve(c => c.Source.SessionsHeld);
        Field<FloatGraphType>("feedbackCompletion").Description("Share of the sessions held within the period that have an SRS.").Resolve(c => (double?)c.Source.FeedbackCompletion);
        Field<NonNullGraphType<IntGraphType>>("srsCount").Description("SRS submitted within the period: the count of meanSrs and srsBelowCutoffRate.").Resolve(c => c.Source.SrsCount);
        Field<FloatGraphType>("meanSrs").Description("Mean of the SRS totals submitted within the period.").Resolve(c => (double?)c.Source.MeanSrs);
        Field<FloatGraphType>("srsBelowCutoffRate").Description("Share of those SRS under the organization's SRS cutoff.").Resolve(c => (double?)c.Source.SrsBelowCutoffRate);
    }
}

/// <summary>One row of a site's therapist comparison.</summary>
public sealed record TherapistOutcomes(Therapist Therapist, OutcomeFigures Outcomes) : ITherapistFigures
{
    Guid ITherapistFigures.SiteId => Therapist.SiteId;
    Guid ITherapistFigures.TherapistId => Therapist.Id;
}

public sealed class TherapistOutcomesGraphType : ObjectGraphType<TherapistOutcomes>
{
    public TherapistOutcomesGraphType()
    {
        Name = "TherapistOutcomes";
        Field<NonNullGraphType<TherapistGraphType>>("therapist").Resolve(c => c.Source.Therapist);
        Field<NonNullGraphType<OutcomeFiguresGraphType>>("outcomes").Resolve(c => c.Source.Outcomes);
    }
}

public static class OutcomeFieldExtensions
{
    /// <summary>`outcomes(from:, to:)` on the organization, a site or a therapist; who may see it is the summaries' rule.</summary>
    public static void OutcomeFields<T>(this ObjectGraphType<T> type, OutcomeScope scope, Func<T, Guid> idOf)
    {
        type.Field<NonNullGraphType<OutcomeFiguresGraphType>>("outcomes")
            .Description("Outcome and engagement figures of the period [from, to) (default: the 365 days before now); FORBIDDEN for a caller who may not see this scope's figures.")
            .Configure(f => f.WithMetadata(Access.AccessMiddleware.SummaryKey, true))
            .Argument<InstantGraphType>("from")
            .Argument<InstantGraphType>("to")
            .ResolveAsync(async c =>
            {
                var period = PeriodOf(c);
                var reads = c.RequestServices!.GetRequiredService<OutcomeReads>();
                var tallies = await reads.Tallies(scope, idOf(c.Source), period, c.CancellationToken);
                return OutcomeFigures.Finish(tallies, await reads.Settings(c.CancellationToken), period, scope);
            });
    }

    /// <summary>`therapistComparison(from:, to:)` on a site: every therapist of the site by name, each with their figures.</summary>
    public static void TherapistComparison(this ObjectGraphType<Site> type)
    {
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TherapistOutcomesGraphType>>>>("therapistComparison")
            .Description("Every therapist of the site, by name, with their outcome figures side by side (those the caller may see: a clinician their own).")
            .Argument<InstantGraphType>("from")
            .Argument<InstantGraphType>("to")
            .ResolveAsync(async c =>
            {
                var period = PeriodOf(c);
                var reads = c.RequestServices!.GetRequiredService<OutcomeReads>();
                // The therapists while the tallies are read: both at once, then the figures.
                var therapists = reads.TherapistsOf(c.Source.Id, c.CancellationToken);
                var tallies = await reads.ByTherapist(c.Source.Id, period, c.CancellationToken);
                var settings = await reads.Settings(c.CancellationToken);
                return (await therapists).OrderBy(t => t.DisplayName, StringComparer.Ordinal).ThenBy(t => t.Id)
                    .Select(t => new TherapistOutcomes(t, OutcomeFigures.Finish(tallies.GetValueOrDefault(t.Id) ?? OutcomeTallies.None, settings, period, OutcomeScope.Therapist)))
                    .ToList();
            });
    }

    /// <summary>The period of `from` and `to` (by default the 365 days before the request); an empty or backward one is a VALIDATION_FAILED naming `from`.</summary>
    private static OutcomePeriod PeriodOf(IResolveFieldContext context)
    {
        try
        {
            var now = context.RequestServices!.GetRequiredService<OutcomeReads>().Now;
            return OutcomePeriod.Of(context.GetArgument<DateTimeOffset?>("from"), context.GetArgument<DateTimeOffset?>("to"), now);
        }
        catch (ClinicalRejection rejection)
        {
            throw new ExecutionError(rejection.Message) { Code = rejection.Code, Data = { ["field"] = rejection.Field } };
        }
    }
}
