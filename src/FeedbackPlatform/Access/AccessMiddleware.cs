using System.Collections;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Instrumentation;
using GraphQL.Types;
using GraphQLParser.AST;

namespace FeedbackPlatform.Access;

/// <summary>
/// The policy applied to every GraphQL field: a root field (query, mutation, subscription) the caller's role may
/// not call is refused with FORBIDDEN; every object a field yields (episode, alert, site, therapist, summary) is
/// checked against the policy and, when the caller may not see it, answered as missing (null, or left out of a
/// list; outcome figures of a scope the caller may not see are FORBIDDEN); free text is withheld from callers without the right to it; every episode-level object served is
/// recorded in the access log.
/// </summary>
public sealed class AccessMiddleware : IFieldMiddleware
{
    public const string FreeTextKey = "feedback.freeText";
    public const string SummaryKey = "feedback.summary";

    public async ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        var name = context.FieldDefinition.Name;
        // Introspection describes the contract, not anyone's data.
        if (name.StartsWith("__", StringComparison.Ordinal) || context.ParentType.Name.StartsWith("__", StringComparison.Ordinal))
            return await next(context);
        if (IsRoot(context) && context.Caller() is var caller && !AccessPolicy.MayCall(caller, name))
            throw new ExecutionError($"A {caller.Role.ToString().ToLowerInvariant()} may not call {name}.") { Code = CommandGate.Forbidden };
        if (context.FieldDefinition.GetMetadata(FreeTextKey, false) && !AccessPolicy.MayReadFreeText(context.Caller()))
        {
            context.Errors.Add(new ExecutionError($"{name} is free text; it needs the {ClaimNames.FreeTextScope} scope.") { Code = CommandGate.Forbidden, Data = { ["field"] = name } });
            return null;
        }
        // Figures of a scope the caller may not see: a list is empty, a nullable object null, and a non-null object
        // (the outcome figures) a FORBIDDEN error naming the field.
        if (context.FieldDefinition.GetMetadata(SummaryKey, false) && !MaySeeSummaryOf(context.Caller(), context.Source))
            return context.FieldDefinition.ResolvedType switch
            {
                NonNullGraphType { ResolvedType: ListGraphType } => Array.Empty<object>(),
                NonNullGraphType => throw new ExecutionError($"{name} are not among the figures a {context.Caller().Role.ToString().ToLowerInvariant()} may see.")
                    { Code = CommandGate.Forbidden, Data = { ["field"] = name } },
                _ => null,
            };

        var result = await next(context);
        // Most fields are scalars (text, numbers, enums, instants), which hold nothing the policy guards: only
        // objects, lists and pending batch loads are looked at.
        return result is null or string or ValueType ? result : Guard(context, context.Caller(), result);
    }

    private static bool IsRoot(IResolveFieldContext context) =>
        context.ParentType == context.Schema.Query || context.ParentType == context.Schema.Mutation || context.ParentType == context.Schema.Subscription;

    private static bool MaySeeSummaryOf(Caller caller, object? scope) => scope switch
    {
        Organization => AccessPolicy.MaySeeOrganizationSummary(caller),
        ISiteScoped site => AccessPolicy.MaySeeSiteSummary(caller, site.SiteId),
        ITherapistScoped therapist => AccessPolicy.MaySeeTherapistSummary(caller, therapist.SiteId, therapist.TherapistId),
        _ => false,
    };

    // Every object is guarded by what it declares it belongs to (Clinical/Access/AccessScopes), never by its type.
    private static object? Guard(IResolveFieldContext context, Caller caller, object? value) => value switch
    {
        null or string => value,
        IDataLoaderResult pending => new Guarded(pending, resolved => Guard(context, caller, resolved)),
        IEpisodeRecord episode => Seen(context, caller, episode.EpisodeId, AccessPolicy.MaySeeEpisode(caller, new EpisodeScope(episode.SiteId, episode.TherapistId))) ? episode : null,
        // A feedback request is part of its episode (it holds no token and no address).
        IEpisodeScoped part => AccessPolicy.MaySeeEpisode(caller, new EpisodeScope(part.SiteId, part.TherapistId)) ? part : null,
        // An alert reached through an episode the caller may see is part of that episode.
        IAlertScoped alert => Seen(context, caller, alert.EpisodeId, context.Source is IEpisodeRecord || AccessPolicy.MaySeeAlert(caller, alert.SiteId)) ? alert : null,
        ISiteScoped site => AccessPolicy.MaySeeSite(caller, site.SiteId) ? site : null,
        ITherapistScoped therapist => AccessPolicy.MaySeeTherapist(caller, therapist.SiteId, therapist.TherapistId) ? therapist : null,
        // A therapist's figures beside their colleagues': the summaries' rule, row by row.
        ITherapistFigures row => AccessPolicy.MaySeeTherapistSummary(caller, row.SiteId, row.TherapistId) ? row : null,
        IEnumerable<IAccessScoped> items => GuardList(context, caller, items),
        _ => value,
    };

    private static object GuardList(IResolveFieldContext context, Caller caller, IEnumerable items)
    {
        var kept = new List<object?>();
        foreach (var item in items)
        {
            var guarded = Guard(context, caller, item);
            if (guarded is not null || item is null)
                kept.Add(guarded);
        }
        return kept;
    }

    /// <summary>Records an episode-level read that is allowed; says whether it is.</summary>
    private static bool Seen(IResolveFieldContext context, Caller caller, Guid episodeId, bool allowed)
    {
        if (allowed)
            context.RequestServices!.GetRequiredService<AccessLog>().Record(caller, episodeId, OperationOf(context));
        return allowed;
    }

    /// <summary>"query episode", "mutation submitSessionRating": the operation type and the root field being served.</summary>
    private static string OperationOf(IResolveFieldContext context)
    {
        var type = context.Operation.Operation.ToString().ToLowerInvariant();
        var alias = context.Path.FirstOrDefault()?.ToString();
        var root = context.Operation.SelectionSet.Selections.OfType<GraphQLField>()
            .FirstOrDefault(f => (f.Alias?.Name ?? f.Name).StringValue == alias)?.Name.StringValue ?? alias;
        return $"{type} {root}";
    }

    private sealed class Guarded(IDataLoaderResult inner, Func<object?, object?> guard) : IDataLoaderResult
    {
        public async Task<object?> GetResultAsync(CancellationToken cancellationToken = default) => guard(await inner.GetResultAsync(cancellationToken));
    }
}

public static class AccessFieldExtensions
{
    /// <summary>Marks a field as free text people wrote: withheld from integrators without the free-text scope.</summary>
    public static global::GraphQL.Builders.FieldBuilder<TSource, TReturn> FreeText<TSource, TReturn>(this global::GraphQL.Builders.FieldBuilder<TSource, TReturn> builder)
    {
        return builder.Configure(field => field.WithMetadata(AccessMiddleware.FreeTextKey, true));
    }
}
