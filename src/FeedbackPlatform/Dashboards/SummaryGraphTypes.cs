using FeedbackPlatform.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Directory;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Dashboards;

public sealed class AlertCountGraphType : ObjectGraphType<KeyValuePair<string, int>>
{
    public AlertCountGraphType()
    {
        Name = "AlertCount";
        Field<NonNullGraphType<AlertKindGraphType>>("kind").Resolve(c => Enum.Parse<Clinical.Alerts.AlertKind>(c.Source.Key));
        Field<NonNullGraphType<IntGraphType>>("open").Resolve(c => c.Source.Value);
    }
}

public sealed class AllianceSummaryGraphType : ObjectGraphType<AllianceSummary>
{
    public AllianceSummaryGraphType()
    {
        Name = "AllianceSummary";
        Description = "The alliance picture of the active episodes of a therapist, a site or the organization (kept by the projection daemon).";
        Field<NonNullGraphType<IntGraphType>>("activeEpisodes").Resolve(c => c.Source.ActiveEpisodes);
        Field<NonNullGraphType<IntGraphType>>("episodesAtRisk").Resolve(c => c.Source.EpisodesAtRisk);
        Field<FloatGraphType>("shareAtRisk").Resolve(c => (double?)c.Source.ShareAtRisk);
        Field<FloatGraphType>("meanLatestSrs").Resolve(c => (double?)c.Source.MeanLatestSrs);
        Field<FloatGraphType>("meanLatestOrs").Resolve(c => (double?)c.Source.MeanLatestOrs);
        Field<FloatGraphType>("feedbackCompletion").Resolve(c => (double?)c.Source.FeedbackCompletion);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertCountGraphType>>>>("openAlertsByKind")
            .Resolve(c => c.Source.OpenAlertsByKind.OrderBy(k => k.Key));
        Field<NonNullGraphType<IntGraphType>>("openAlerts").Resolve(c => c.Source.OpenAlertsByKind.Values.Sum());
        Field<NonNullGraphType<InstantGraphType>>("asOf").Description("Time of the latest fact included.").Resolve(c => c.Source.UpdatedAt);
    }
}

public sealed class WeekGraphType : ObjectGraphType<WeeklyFigures>
{
    public WeekGraphType()
    {
        Name = "Week";
        Field<NonNullGraphType<DateOnlyGraphType>>("weekStart").Description("Monday of the week, in the site's time zone.").Resolve(c => c.Source.WeekStart);
        Field<FloatGraphType>("meanSrs").Resolve(c => (double?)c.Source.MeanSrs);
        Field<NonNullGraphType<IntGraphType>>("srsCount").Resolve(c => c.Source.SrsCount);
        Field<FloatGraphType>("meanOrs").Resolve(c => (double?)c.Source.MeanOrs);
        Field<NonNullGraphType<IntGraphType>>("orsCount").Resolve(c => c.Source.OrsCount);
        Field<NonNullGraphType<IntGraphType>>("alertsRaised").Resolve(c => c.Source.AlertsRaised);
        Field<NonNullGraphType<IntGraphType>>("alertsResolved").Resolve(c => c.Source.AlertsResolved);
    }
}

public sealed record Organization(Guid Id, string Key);

public sealed class OrganizationGraphType : ObjectGraphType<Organization>
{
    public OrganizationGraphType()
    {
        Name = "Organization";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Key);
        this.SummaryFields(SummaryScope.Organization, o => o.Id);
        this.OutcomeFields(Clinical.Outcomes.OutcomeScope.Organization, o => o.Id);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiteGraphType>>>>("sites").ResolveAsync(async c =>
        {
            await using var session = c.QuerySession();
            return (await session.Query<Site>().ToListAsync(c.CancellationToken)).OrderBy(s => s.Name).ToList();
        });
    }
}

public static class SummaryFieldExtensions
{
    public const int MaxWeeks = 104;

    /// <summary>`summary` and `weeklySeries(weeks:)` on a therapist, a site or the organization.</summary>
    public static void SummaryFields<T>(this ObjectGraphType<T> type, SummaryScope scope, Func<T, Guid> idOf)
    {
        // Who may see a summary depends on its scope (Access.AccessMiddleware reads this mark).
        type.Field<AllianceSummaryGraphType>("summary")
            .Description("Null until the projection daemon has seen a fact of this scope, or when the caller may not see it.")
            .Configure(f => f.WithMetadata(Access.AccessMiddleware.SummaryKey, true))
            .ResolveAsync(async c =>
            {
                await using var session = c.QuerySession();
                return await session.LoadAsync<AllianceSummary>(AllianceSummary.IdFor(scope, idOf(c.Source)), c.CancellationToken);
            });
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<WeekGraphType>>>>("weeklySeries")
            .Description("The latest weeks with any feedback or alert, oldest first; empty when the caller may not see this scope's figures.")
            .Configure(f => f.WithMetadata(Access.AccessMiddleware.SummaryKey, true))
            .Argument<IntGraphType>("weeks", a => a.DefaultValue = 12)
            .ResolveAsync(async c =>
            {
                var weeks = c.GetArgument("weeks", 12);
                if (weeks is < 1 or > MaxWeeks)
                    throw new ExecutionError($"weeks must be from 1 to {MaxWeeks}.") { Code = Clinical.ErrorCodes.ValidationFailed, Data = { ["field"] = "weeks" } };
                var id = idOf(c.Source);
                await using var session = c.QuerySession();
                var rows = await session.Query<WeeklyFigures>()
                    .Where(w => w.ScopeId == id && w.Scope == scope)
                    .OrderByDescending(w => w.WeekStart).Take(weeks).ToListAsync(c.CancellationToken);
                return rows.OrderBy(w => w.WeekStart).ToList();
            });
    }
}
