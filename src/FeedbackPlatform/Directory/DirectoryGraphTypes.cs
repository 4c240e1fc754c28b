using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Directory;

public sealed class SiteGraphType : ObjectGraphType<Site>
{
    public SiteGraphType()
    {
        Name = "Site";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<StringGraphType>>("timeZone").Resolve(c => c.Source.TimeZone);
        Field<NonNullGraphType<BooleanGraphType>>("active").Resolve(c => c.Source.Active);
        this.SummaryFields(SummaryScope.Site, s => s.Id);
        this.OutcomeFields(Clinical.Outcomes.OutcomeScope.Site, s => s.Id);
        this.TherapistComparison();
        Field<NonNullGraphType<EpisodeConnectionGraphType>>("episodes")
            .Description("The site's episodes, newest first, optionally only open or closed ones, one therapist's, or those at risk.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .Argument<EpisodeStatusGraphType>("status")
            .Argument<IdGraphType>("therapistId")
            .Argument<BooleanGraphType>("atRiskOnly")
            .ResolveAsync(async c => await SiteEpisodes.Page(c, c.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TherapistGraphType>>>>("therapists").ResolveAsync(async c =>
        {
            await using var session = c.QuerySession();
            var therapists = await session.Query<Therapist>().Where(t => t.SiteId == c.Source.Id).ToListAsync(c.CancellationToken);
            return therapists.OrderBy(t => t.DisplayName).ToList();
        });
    }
}

public sealed class TherapistGraphType : ObjectGraphType<Therapist>
{
    public TherapistGraphType()
    {
        Name = "Therapist";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("displayName").Resolve(c => c.Source.DisplayName);
        Field<NonNullGraphType<BooleanGraphType>>("active").Resolve(c => c.Source.Active);
        Field<SiteGraphType>("site").Resolve(c => c.Batches().Load<Site>(c.Source.SiteId));
        this.SummaryFields(SummaryScope.Therapist, t => t.Id);
        this.OutcomeFields(Clinical.Outcomes.OutcomeScope.Therapist, t => t.Id);
    }
}

/// <summary>The directory's root fields: a site, a therapist.</summary>
public static class DirectoryFields
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<SiteGraphType>("site")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Load<Site>(c.IdArgument()));
        query.Field<TherapistGraphType>("therapist")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Load<Therapist>(c.IdArgument()));
    }
}
