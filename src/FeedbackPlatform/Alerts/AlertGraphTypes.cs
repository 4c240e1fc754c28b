using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Directory;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Alerts;

public sealed class AlertKindGraphType : EnumerationGraphType<AlertKind>
{
    public AlertKindGraphType() => Name = "AlertKind";
}

public sealed class AlertSeverityGraphType : EnumerationGraphType<AlertSeverity>
{
    public AlertSeverityGraphType() => Name = "AlertSeverity";
}

public sealed class AlertStatusGraphType : EnumerationGraphType<Clinical.Alerts.AlertStatus>
{
    public AlertStatusGraphType() => Name = "AlertStatus";
}

public sealed class AlertResolutionGraphType : EnumerationGraphType<AlertResolution>
{
    public AlertResolutionGraphType() => Name = "AlertResolution";
}


public sealed class AlertGraphType : ObjectGraphType<AlertCase>
{
    public AlertGraphType()
    {
        Name = "Alert";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<AlertKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<AlertSeverityGraphType>>("severity").Resolve(c => c.Source.Severity);
        Field<NonNullGraphType<AlertStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<AlertResolutionGraphType>("resolution").Resolve(c => c.Source.Resolution);
        Field<NonNullGraphType<IntGraphType>>("occurrences").Resolve(c => c.Source.Occurrences);
        Field<IntGraphType>("sessionNumber").Description("The session at which the alert was raised (null for DISENGAGEMENT_RISK).").Resolve(c => c.Source.SessionNumber);
        Field<NonNullGraphType<StringGraphType>>("evidence").Description("Why the rules raised it, in numbers.").Resolve(c => c.Source.Evidence);
        Field<NonNullGraphType<InstantGraphType>>("raisedAt").Resolve(c => c.Source.RaisedAt);
        Field<InstantGraphType>("acknowledgedAt").Resolve(c => c.Source.AcknowledgedAt);
        Field<StringGraphType>("acknowledgedBy").Resolve(c => c.Source.AcknowledgedBy);
        Field<InstantGraphType>("escalatedAt").Resolve(c => c.Source.EscalatedAt);
        Field<InstantGraphType>("resolvedAt").Resolve(c => c.Source.ResolvedAt);
        Field<StringGraphType>("resolvedBy").Resolve(c => c.Source.ResolvedBy);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("notes").Description("Notes of the people who worked the alert (free text).")
            .FreeText().Resolve(c => c.Source.Notes);
        // An inbox that links each alert to its episode asks only for the episode's id: only the reference (id, site,
        // therapist, what the access policy needs) is loaded for it, as a type of its own.
        Field<EpisodeGraphType>("episode").Resolve(c => AsksOnlyForId(c)
            ? c.Batches().LoadReference(c.Source.EpisodeId)
            : c.Batches().Load<EpisodeAllianceHealth>(c.Source.EpisodeId));
        Field<NonNullGraphType<SiteGraphType>>("site").Resolve(c => c.Batches().Load<Site>(c.Source.SiteId));
    }

    private static bool AsksOnlyForId(IResolveFieldContext context) =>
        context.SubFields is { Count: > 0 } fields && fields.Values.All(f => f.FieldType.Name is "id" or "__typename");
}

public sealed class AlertFilter
{
    public Guid? SiteId { get; init; }
    public Guid? EpisodeId { get; init; }
    public AlertKind? Kind { get; init; }
    public AlertStatus? Status { get; init; }
    public AlertSeverity? Severity { get; init; }
    /// <summary>Only alerts not yet resolved (OPEN, ACKNOWLEDGED or ESCALATED).</summary>
    public bool? Unresolved { get; init; }
}

public sealed class AlertFilterInput : InputObjectGraphType<AlertFilter>
{
    public AlertFilterInput()
    {
        Name = "AlertFilter";
        Field<IdGraphType>("siteId");
        Field<IdGraphType>("episodeId");
        Field<AlertKindGraphType>("kind");
        Field<AlertStatusGraphType>("status");
        Field<AlertSeverityGraphType>("severity");
        Field<BooleanGraphType>("unresolved").Description("Only alerts not yet resolved.");
    }
}

public sealed class AlertEdgeGraphType() : EdgeGraphType<AlertGraphType, AlertCase>("AlertEdge");

public sealed class AlertConnectionGraphType() : ConnectionGraphType<AlertGraphType, AlertEdgeGraphType, AlertCase>("AlertConnection");

/// <summary>The directors' inbox: filtered, newest first, paged by a cursor that stays put as new alerts arrive.</summary>
public static class AlertInbox
{
    public static async Task<Page<AlertCase>> Page(IResolveFieldContext context, AlertFilter? filter, int first, string? after)
    {
        Paging.CheckFirst(first);
        var cursor = Paging.Decode(after);
        await using var session = context.QuerySession();
        IQueryable<AlertCase> query = session.Query<AlertCase>();
        // The caller's slice is part of the query, so every page is full and nothing outside it is read.
        if (AccessPolicy.AlertList(context.Caller()) is { Sites: { } mine })
        {
            var siteIds = mine.ToArray();
            query = query.Where(a => a.SiteId.IsOneOf(siteIds));
        }
        if (filter?.SiteId is { } site) query = query.Where(a => a.SiteId == site);
        if (filter?.EpisodeId is { } episode) query = query.Where(a => a.EpisodeId == episode);
        if (filter?.Kind is { } kind) query = query.Where(a => a.Kind == kind);
        if (filter?.Status is { } status) query = query.Where(a => a.Status == status);
        if (filter?.Severity is { } severity) query = query.Where(a => a.Severity == severity);
        if (filter?.Unresolved == true) query = query.Where(a => a.Status != AlertStatus.Resolved);
        if (cursor is { } c) query = query.Where(a => a.RaisedAt <= c.At);
        var rows = await query.OrderByDescending(a => a.RaisedAt).Take(first + 1 + 16).ToListAsync(context.CancellationToken);
        return Paging.Cut(rows, a => a.RaisedAt, a => a.Id, cursor, first);
    }
}

/// <summary>The alert inbox's root fields: the inbox and one alert.</summary>
public static class AlertFields
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<AlertConnectionGraphType>>("alerts")
            .Description("The directors' inbox: alerts, newest first, filtered by site, kind, status or severity.")
            .Argument<AlertFilterInput>("filter")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await AlertInbox.Page(c, c.GetArgument<AlertFilter>("filter"), c.GetArgument("first", 50), c.GetArgument<string>("after")));
        query.Field<AlertGraphType>("alert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Load<AlertCase>(c.IdArgument()));
    }
}
