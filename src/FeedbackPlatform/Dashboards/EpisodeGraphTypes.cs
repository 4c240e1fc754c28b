using FeedbackPlatform.Access;
using FeedbackPlatform.Alerts;
using FeedbackPlatform.ClientFeedback;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;
using FeedbackPlatform.Directory;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Resolvers;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Dashboards;

public sealed class PopulationGraphType : EnumerationGraphType<Population>
{
    public PopulationGraphType() => Name = "Population";
}

public sealed class EpisodeStatusGraphType : EnumerationGraphType<EpisodeStatus>
{
    public EpisodeStatusGraphType() => Name = "EpisodeStatus";
}

public sealed class EpisodeClosureGraphType : EnumerationGraphType<EpisodeClosure>
{
    public EpisodeClosureGraphType() => Name = "EpisodeClosure";
}

public sealed class OutcomeChangeGraphType : EnumerationGraphType<OutcomeChange>
{
    public OutcomeChangeGraphType() => Name = "OutcomeChange";
}

public sealed class AllianceHealthStatusGraphType : EnumerationGraphType<AllianceHealthStatus>
{
    public AllianceHealthStatusGraphType() => Name = "AllianceHealthStatus";
}

public sealed class ScorePointGraphType : ObjectGraphType<ScorePoint>
{
    public ScorePointGraphType()
    {
        Name = "ScorePoint";
        Description = "One total of a series, at the session it was given for.";
        Field<NonNullGraphType<IntGraphType>>("sessionNumber").Resolve(c => c.Source.SessionNumber);
        Field<NonNullGraphType<FloatGraphType>>("total").Resolve(c => (double)c.Source.Total);
        Field<NonNullGraphType<InstantGraphType>>("submittedAt").Resolve(c => c.Source.SubmittedAt);
    }
}

public sealed class SessionRatingGraphType : ObjectGraphType<SessionRating>
{
    public SessionRatingGraphType()
    {
        Name = "SessionRating";
        Description = "The four SRS items (0.0 to 10.0) and their total.";
        Field<NonNullGraphType<FloatGraphType>>("relationship").Resolve(c => (double)c.Source.Relationship);
        Field<NonNullGraphType<FloatGraphType>>("goalsAndTopics").Resolve(c => (double)c.Source.GoalsAndTopics);
        Field<NonNullGraphType<FloatGraphType>>("approachOrMethod").Resolve(c => (double)c.Source.ApproachOrMethod);
        Field<NonNullGraphType<FloatGraphType>>("overall").Resolve(c => (double)c.Source.Overall);
        Field<NonNullGraphType<FloatGraphType>>("total").Resolve(c => (double)c.Source.Total);
    }
}

public sealed class OutcomeRatingGraphType : ObjectGraphType<OutcomeRating>
{
    public OutcomeRatingGraphType()
    {
        Name = "OutcomeRating";
        Description = "The four ORS items (0.0 to 10.0) and their total.";
        Field<NonNullGraphType<FloatGraphType>>("individual").Resolve(c => (double)c.Source.Individual);
        Field<NonNullGraphType<FloatGraphType>>("interpersonal").Resolve(c => (double)c.Source.Interpersonal);
        Field<NonNullGraphType<FloatGraphType>>("social").Resolve(c => (double)c.Source.Social);
        Field<NonNullGraphType<FloatGraphType>>("overall").Resolve(c => (double)c.Source.Overall);
        Field<NonNullGraphType<FloatGraphType>>("total").Resolve(c => (double)c.Source.Total);
    }
}

public sealed class AllianceInventoryGraphType : ObjectGraphType<AllianceInventoryScores>
{
    public AllianceInventoryGraphType()
    {
        Name = "AllianceInventory";
        Description = "WAI-SR subscale sums (4 to 20) and item means (1 to 5).";
        Field<NonNullGraphType<IntGraphType>>("task").Resolve(c => c.Source.Task);
        Field<NonNullGraphType<IntGraphType>>("goal").Resolve(c => c.Source.Goal);
        Field<NonNullGraphType<IntGraphType>>("bond").Resolve(c => c.Source.Bond);
        Field<NonNullGraphType<IntGraphType>>("total").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<FloatGraphType>>("taskMean").Resolve(c => (double)c.Source.TaskMean);
        Field<NonNullGraphType<FloatGraphType>>("goalMean").Resolve(c => (double)c.Source.GoalMean);
        Field<NonNullGraphType<FloatGraphType>>("bondMean").Resolve(c => (double)c.Source.BondMean);
        Field<NonNullGraphType<FloatGraphType>>("mean").Resolve(c => (double)c.Source.Mean);
    }
}

public sealed class SessionGraphType : ObjectGraphType<EpisodeSession>
{
    public SessionGraphType()
    {
        Name = "Session";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IntGraphType>>("number").Resolve(c => c.Source.Number);
        Field<NonNullGraphType<InstantGraphType>>("heldAt").Resolve(c => c.Source.HeldAt);
        Field<NonNullGraphType<BooleanGraphType>>("cancelled").Resolve(c => c.Source.Cancelled);
        Field<NonNullGraphType<BooleanGraphType>>("hasSessionRating").Resolve(c => c.Source.SessionRating is not null);
        Field<NonNullGraphType<BooleanGraphType>>("hasOutcomeRating").Resolve(c => c.Source.OutcomeRating is not null);
        Field<NonNullGraphType<BooleanGraphType>>("hasAllianceInventory").Resolve(c => c.Source.AllianceInventory is not null);
        Field<SessionRatingGraphType>("sessionRating").Description("The client's SRS for this session.").Resolve(c => c.Source.SessionRating);
        Field<OutcomeRatingGraphType>("outcomeRating").Description("The client's ORS for this session.").Resolve(c => c.Source.OutcomeRating);
        Field<AllianceInventoryGraphType>("allianceInventory").Description("The WAI-SR of this session, scored.").Resolve(c => c.Source.AllianceInventory);
    }
}

public sealed class GoalGraphType : ObjectGraphType<EpisodeGoal>
{
    public GoalGraphType()
    {
        Name = "Goal";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<StringGraphType>("description").Description("Free text: null with a FORBIDDEN error for integrators without the free-text scope.")
            .FreeText().Resolve(c => c.Source.Description);
        Field<NonNullGraphType<BooleanGraphType>>("agreedByClient").Resolve(c => c.Source.AgreedByClient);
        Field<NonNullGraphType<BooleanGraphType>>("agreedByTherapist").Resolve(c => c.Source.AgreedByTherapist);
        Field<NonNullGraphType<BooleanGraphType>>("agreed").Description("Agreed by both client and therapist.").Resolve(c => c.Source.AgreedByBoth);
        Field<NonNullGraphType<BooleanGraphType>>("achieved").Resolve(c => c.Source.Achieved);
    }
}

public sealed class AllianceHealthGraphType : ObjectGraphType<EpisodeAllianceHealth>
{
    public AllianceHealthGraphType()
    {
        Name = "AllianceHealth";
        Description = "The live alliance and outcome picture of one episode.";
        Field<NonNullGraphType<AllianceHealthStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<FloatGraphType>("latestSrsTotal").Resolve(c => (double?)c.Source.LatestSrsTotal);
        Field<SessionRatingGraphType>("latestSessionRating").Resolve(c => c.Source.LatestSessionRating);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("srsFlaggedItems")
            .Description("Items of the latest SRS under the flag threshold, to talk through with the client.").Resolve(c => c.Source.SrsFlaggedItems);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ScorePointGraphType>>>>("srsSeries").Resolve(c => c.SessionsOfEpisode(EpisodeHistoryRows.SrsSeries));
        Field<FloatGraphType>("intakeOrsTotal").Resolve(c => (double?)c.Source.IntakeOrsTotal);
        Field<FloatGraphType>("latestOrsTotal").Resolve(c => (double?)c.Source.LatestOrsTotal);
        Field<OutcomeRatingGraphType>("latestOutcomeRating").Resolve(c => c.Source.LatestOutcomeRating);
        Field<OutcomeChangeGraphType>("orsChange").Resolve(c => c.Source.OrsChange);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ScorePointGraphType>>>>("orsSeries").Resolve(c => c.SessionsOfEpisode(EpisodeHistoryRows.OrsSeries));
        Field<AllianceInventoryGraphType>("latestAllianceInventory").Resolve(c => c.Source.LatestAllianceInventory);
        Field<NonNullGraphType<BooleanGraphType>>("hasAgreedGoal").Resolve(c => c.Source.HasAgreedGoal);
        Field<NonNullGraphType<IntGraphType>>("sessionsHeld").Resolve(c => c.Source.SessionsHeld);
        Field<NonNullGraphType<IntGraphType>>("sessionsWithSrs").Resolve(c => c.Source.SessionsWithSrs);
        Field<FloatGraphType>("feedbackCompletion").Description("Sessions with an SRS over sessions held.").Resolve(c => (double?)c.Source.FeedbackCompletion);
        Field<InstantGraphType>("lastSessionAt").Resolve(c => c.Source.LastSessionAt);
        Field<NonNullGraphType<IntGraphType>>("openAlerts").Resolve(c => c.Source.OpenAlerts.Count);
        Field<NonNullGraphType<IntGraphType>>("rupturesNoted").Resolve(c => c.Source.RupturesNoted);
    }
}

public sealed class EpisodeGraphType : ObjectGraphType<EpisodeAllianceHealth>
{
    public EpisodeGraphType()
    {
        Name = "Episode";
        // An alert's `episode { id }` yields an EpisodeReference (BatchLoader.LoadReference): the id reads either.
        IsTypeOf = value => value is EpisodeAllianceHealth or EpisodeReference;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(new FuncFieldResolver<object>(c => c.Source switch
        {
            EpisodeAllianceHealth episode => episode.Id,
            EpisodeReference reference => reference.Id,
            _ => null,
        }));
        Field<NonNullGraphType<StringGraphType>>("clientId").Description("The clinic's pseudonymous client id.").Resolve(c => c.Source.ClientId);
        Field<NonNullGraphType<PopulationGraphType>>("population").Resolve(c => c.Source.Population);
        Field<NonNullGraphType<EpisodeStatusGraphType>>("status").Resolve(c => c.Source.EpisodeStatus);
        Field<EpisodeClosureGraphType>("closedAs").Resolve(c => c.Source.ClosedAs);
        Field<NonNullGraphType<InstantGraphType>>("openedAt").Resolve(c => c.Source.OpenedAt);
        Field<InstantGraphType>("closedAt").Resolve(c => c.Source.ClosedAt);
        Field<SiteGraphType>("site").Resolve(c => c.Batches().Load<Site>(c.Source.SiteId));
        Field<TherapistGraphType>("therapist").Resolve(c => c.Batches().Load<Therapist>(c.Source.TherapistId));
        Field<NonNullGraphType<AllianceHealthGraphType>>("allianceHealth").Resolve(c => c.Source);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SessionGraphType>>>>("sessions").Resolve(c => c.SessionsOfEpisode(sessions => sessions));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GoalGraphType>>>>("goals").Resolve(c => c.Source.History is { } past
            ? BatchLoader.Deferred<IReadOnlyList<EpisodeGoal>>(_ => Task.FromResult(past.GoalRows))
            : c.Batches().GoalsOf(c.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Alerts.AlertGraphType>>>>("alerts")
            .Description("Every alert of the episode, newest first, as directors work them.")
            .Resolve(c => c.Source.AsOf is { } asOf
                ? BatchLoader.Deferred(_ => EpisodeHistory.AlertsAsOf(c, c.Source.Id, asOf))
                : c.Batches().AlertsOf(c.Source.Id));
        this.AddFeedbackRequests();
    }
}

public static class EpisodeHistoryFields
{
    /// <summary>
    /// What a field shows of the episode's sessions: the rows of a time-travelled episode as they stood then, else
    /// the stored rows, loaded for every episode the level asks for in one query.
    /// </summary>
    public static IDataLoaderResult<T> SessionsOfEpisode<T>(this IResolveFieldContext<EpisodeAllianceHealth> context, Func<IReadOnlyList<EpisodeSession>, T> show)
    {
        if (context.Source.History is { } past)
            return BatchLoader.Deferred(_ => Task.FromResult(show(past.SessionRows)));
        var rows = context.Batches().SessionsOf(context.Source.Id);
        return BatchLoader.Deferred(async ct => show(await rows.GetResultAsync(ct)));
    }
}
