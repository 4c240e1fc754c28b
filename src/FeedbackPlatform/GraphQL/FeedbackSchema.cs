using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Access;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.ClientFeedback;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Directory;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.People;
using GraphQL;
using GraphQL.Types;

namespace FeedbackPlatform.GraphQL;

public sealed class FeedbackSchema : Schema
{
    public FeedbackSchema(IServiceProvider services, FeedbackQuery query, FeedbackMutation mutation, FeedbackSubscription subscription) : base(services)
    {
        // Each capability adds its root query fields, in the contract's order (schema.graphql prints fields as they
        // are added): the dashboards' episode and organization around the directory, the alert rules last.
        query.AddEpisode();
        DirectoryFields.AddTo(query);
        query.AddOrganization();
        AlertFields.AddTo(query);
        NotificationFields.AddTo(query);
        AccessLogQueries.AddTo(query);
        PeopleFields.AddTo(query);
        ClientFeedbackFields.AddTo(query);
        AlertRuleFields.AddTo(query);
        // Each use case declares its own mutation field; they are found here and ordered as the contract lists them.
        foreach (var field in UseCaseMutations.InContractOrder())
            mutation.AddField(field);

        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        Description = "FeedbackPlatform: therapeutic alliance and outcome feedback, alliance-health read models and alerts.";
    }
}

public sealed class FeedbackQuery : ObjectGraphType
{
    public FeedbackQuery() => Name = "Query";

    // The dashboards' root fields (Dashboards/ is to take them).
    internal void AddEpisode() =>
        Field<EpisodeGraphType>("episode")
            .Description("One episode of care with its alliance health, sessions, goals and alerts; null when unknown. " +
                         "With asOf, the episode as it stood at that instant, rebuilt from its events.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<InstantGraphType>("asOf")
            .ResolveAsync(async c => c.GetArgument<DateTimeOffset?>("asOf") is { } asOf
                ? await EpisodeHistory.AsOf(c, c.IdArgument(), asOf)
                : await c.Load<EpisodeAllianceHealth>(c.IdArgument()));

    internal void AddOrganization() =>
        Field<NonNullGraphType<OrganizationGraphType>>("organization")
            .Description("The caller's organization: its summary, weekly series and sites.")
            .Resolve(c => new Organization(PlatformSettings.OrganizationIdOf(c.Caller().Organization), c.Caller().Organization));
}

public sealed class FeedbackMutation : ObjectGraphType
{
    public FeedbackMutation() => Name = "Mutation";
}

/// <summary>Live updates, over Server-Sent Events (graphql-sse, distinct connections).</summary>
public sealed class FeedbackSubscription : ObjectGraphType
{
    public FeedbackSubscription()
    {
        Name = "Subscription";
        Field<NonNullGraphType<AlertGraphType>>("alertRaised")
            .Description("Each alert as it is raised, for one site or for every site.")
            .Argument<IdGraphType>("siteId")
            .ResolveStream(c =>
            {
                var caller = c.Caller();
                // A stream's source is not a field resolver: the policy is asked here, once, before it starts.
                if (!AccessPolicy.MayCall(caller, "alertRaised"))
                    throw new ExecutionError($"A {caller.Role.ToString().ToLowerInvariant()} may not call alertRaised.") { Code = CommandGate.Forbidden };
                var siteId = c.OptionalIdArgument("siteId");
                // Each event passes the same policy as a read of that alert.
                return c.RequestServices!.GetRequiredService<AlertFeed>().Raised(caller.Organization,
                    alert => (siteId is null || alert.SiteId == siteId) && AccessPolicy.MaySeeAlert(caller, alert.SiteId));
            });
    }
}
