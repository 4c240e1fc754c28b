using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Access;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.ClientFeedback;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Feedback;
using FeedbackPlatform.Goals;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.People;
using FeedbackPlatform.Privacy;
using GraphQL;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace FeedbackPlatform.GraphQL;

public sealed class FeedbackSchema : Schema
{
    public FeedbackSchema(IServiceProvider services, FeedbackQuery query, FeedbackMutation mutation, FeedbackSubscription subscription) : base(services)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        Description = "FeedbackPlatform: therapeutic alliance and outcome feedback, alliance-health read models and alerts.";
    }
}

public sealed class FeedbackQuery : ObjectGraphType
{
    public FeedbackQuery()
    {
        Name = "Query";
        Field<EpisodeGraphType>("episode")
            .Description("One episode of care with its alliance health, sessions, goals and alerts; null when unknown. " +
                         "With asOf, the episode as it stood at that instant, rebuilt from its events.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<InstantGraphType>("asOf")
            .ResolveAsync(async c => c.GetArgument<DateTimeOffset?>("asOf") is { } asOf
                ? await EpisodeHistory.AsOf(c, c.IdArgument(), asOf)
                : await c.Load<EpisodeAllianceHealth>(c.IdArgument()));
        Field<SiteGraphType>("site")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Load<Site>(c.IdArgument()));
        Field<TherapistGraphType>("therapist")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Load<Therapist>(c.IdArgument()));
        Field<NonNullGraphType<OrganizationGraphType>>("organization")
            .Description("The caller's organization: its summary, weekly series and sites.")
            .Resolve(c => new Organization(PlatformSettings.OrganizationIdOf(c.Caller().Organization), c.Caller().Organization));
        Field<NonNullGraphType<AlertConnectionGraphType>>("alerts")
            .Description("The directors' inbox: alerts, newest first, filtered by site, kind, status or severity.")
            .Argument<AlertFilterInput>("filter")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await AlertInbox.Page(c, c.GetArgument<AlertFilter>("filter"), c.GetArgument("first", 50), c.GetArgument<string>("after")));
        Field<AlertGraphType>("alert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Load<Clinical.Alerts.AlertCase>(c.IdArgument()));
        this.AddNotificationQueries();
        this.AddAccessLogQuery();
        this.AddPeopleQueries();
        this.AddClientFeedbackSettingsQuery();
        this.AddSimulation();
        Field<NonNullGraphType<AlertRuleSettingsGraphType>>("alertRules")
            .Description("The alert thresholds the organization works under now.")
            .ResolveAsync(async c =>
            {
                await using var session = c.QuerySession();
                return await EpisodeStream.RulesInForce(session, c.CancellationToken);
            });
    }
}

public sealed class FeedbackMutation : ObjectGraphType
{
    public FeedbackMutation()
    {
        Name = "Mutation";

        this.Command<RegisterSite, RegisterSiteInput, NonNullGraphType<SiteGraphType>>(RegisterSite.OperationName, "Registers a site of the organization.", (c, x) => Answer<Site>(c, x.SiteId));
        this.Command<RenameSite, RenameSiteInput, NonNullGraphType<SiteGraphType>>(RenameSite.OperationName, "Renames a site.", (c, x) => Answer<Site>(c, x.SiteId));
        this.Command<DeactivateSite, DeactivateSiteInput, NonNullGraphType<SiteGraphType>>(DeactivateSite.OperationName, "Deactivates a site: it takes no new episodes.", (c, x) => Answer<Site>(c, x.SiteId));
        this.Command<AssignClinicalDirector, AssignClinicalDirectorInput, NonNullGraphType<SiteGraphType>>(AssignClinicalDirector.OperationName, "Assigns a clinical director to a site.", (c, x) => Answer<Site>(c, x.SiteId));
        this.Command<RegisterTherapist, RegisterTherapistInput, NonNullGraphType<TherapistGraphType>>(RegisterTherapist.OperationName, "Registers a therapist at a site.", (c, x) => Answer<Therapist>(c, x.TherapistId));
        this.Command<RenameTherapist, RenameTherapistInput, NonNullGraphType<TherapistGraphType>>(RenameTherapist.OperationName, "Changes a therapist's display name.", (c, x) => Answer<Therapist>(c, x.TherapistId));
        this.Command<DeactivateTherapist, DeactivateTherapistInput, NonNullGraphType<TherapistGraphType>>(DeactivateTherapist.OperationName, "Deactivates a therapist: no new episodes.", (c, x) => Answer<Therapist>(c, x.TherapistId));

        this.Command<OpenEpisode, OpenEpisodeInput, NonNullGraphType<EpisodeGraphType>>(OpenEpisode.OperationName, "Opens an episode of care for a pseudonymous client.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<ImportEpisodeHistory, ImportEpisodeHistoryInput, NonNullGraphType<EpisodeGraphType>>(ImportEpisodeHistory.OperationName,
            "Records an episode's history from another record system in one transaction (opening, goals, sessions with SRS and ORS, closing).", (c, x) => Episode(c, x.EpisodeId));
        this.Command<ReassignTherapist, ReassignTherapistInput, NonNullGraphType<EpisodeGraphType>>(ReassignTherapist.OperationName, "Hands the episode to another therapist of its site.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<RecordSession, RecordSessionInput, NonNullGraphType<EpisodeGraphType>>(RecordSession.OperationName, "Records a session held; numbers are assigned in order.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<CancelSession, CancelSessionInput, NonNullGraphType<EpisodeGraphType>>(CancelSession.OperationName, "Marks a recorded session as not held.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<SubmitSessionRating, SubmitSessionRatingInput, NonNullGraphType<EpisodeGraphType>>(SubmitSessionRating.OperationName, "Submits the client's SRS for a session.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<SubmitOutcomeRating, SubmitOutcomeRatingInput, NonNullGraphType<EpisodeGraphType>>(SubmitOutcomeRating.OperationName, "Submits the client's ORS for a session.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<SubmitAllianceInventory, SubmitAllianceInventoryInput, NonNullGraphType<EpisodeGraphType>>(SubmitAllianceInventory.OperationName, "Submits a WAI-SR for a session.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<RecordGoalAgreement, RecordGoalAgreementInput, NonNullGraphType<EpisodeGraphType>>(RecordGoalAgreement.OperationName, "Records a goal and who agreed to it.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<ReviseGoal, ReviseGoalInput, NonNullGraphType<EpisodeGraphType>>(ReviseGoal.OperationName, "Revises a goal's wording and agreement.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<MarkGoalAchieved, MarkGoalAchievedInput, NonNullGraphType<EpisodeGraphType>>(MarkGoalAchieved.OperationName, "Marks a goal as achieved.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<NoteRupture, NoteRuptureInput, NonNullGraphType<EpisodeGraphType>>(NoteRupture.OperationName, "Records a clinician's observation of an alliance rupture.", (c, x) => Episode(c, x.EpisodeId));
        this.Command<CloseEpisode, CloseEpisodeInput, NonNullGraphType<EpisodeGraphType>>(CloseEpisode.OperationName, "Closes the episode; no further facts are taken.", (c, x) => Episode(c, x.EpisodeId));

        this.Command<AcknowledgeAlert, AcknowledgeAlertInput, NonNullGraphType<AlertGraphType>>(AcknowledgeAlert.OperationName,
            "Says someone is on the alert; stops its escalation clock.", (c, x) => Answer<Clinical.Alerts.AlertCase>(c, x.AlertId),
            (c, x) => x with { By = c.CallerName() });
        this.Command<ResolveAlert, ResolveAlertInput, NonNullGraphType<AlertGraphType>>(ResolveAlert.OperationName,
            "Closes the alert by hand (MANUAL), with a note.", (c, x) => Answer<Clinical.Alerts.AlertCase>(c, x.AlertId),
            (c, x) => x with { By = c.CallerName() });

        this.AddNotificationMutations();
        this.AddErasure();
        this.AddPeopleMutations();
        this.AddFeedbackRequestMutations();
        this.AddClientFeedbackSettingsMutation();

        Field<NonNullGraphType<AlertRuleSettingsGraphType>>(ChangeAlertRules.OperationName)
            .Description("Changes the organization's alert thresholds; they apply from the next fact on.")
            .Argument<NonNullGraphType<AlertRuleSettingsInput>>("input")
            .ResolveAsync(async c =>
            {
                var values = c.GetArgument<AlertRuleSettingsInput.Values>("input")!;
                await c.Send(new ChangeAlertRules { Settings = values.ToSettings(), ChangedBy = c.CallerName() });
                await using var session = c.QuerySession();
                return await EpisodeStream.RulesInForce(session, c.CancellationToken);
            });
    }

    private static async Task<object?> Answer<T>(IResolveFieldContext context, Guid id) where T : notnull => await context.Load<T>(id);

    private static Task<object?> Episode(IResolveFieldContext context, Guid id) => EpisodeHistory.AfterCommand(context, id);
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
