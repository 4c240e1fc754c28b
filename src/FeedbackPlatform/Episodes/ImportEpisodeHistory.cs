using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Feedback;
using FeedbackPlatform.Goals;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Episodes;

/// <summary>
/// An episode's history from another record system (or a paper archive) in one request and one transaction:
/// its opening, agreed goals, the sessions held with their SRS and ORS, and optionally its closing. Ids are the
/// caller's, so a retried import records everything once.
/// </summary>
public sealed record ImportEpisodeHistory : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "importEpisodeHistory";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid SiteId { get; init; }
    public Guid TherapistId { get; init; }
    /// <summary>Pseudonymous, as for openEpisode.</summary>
    public string? ClientId { get; init; }
    public Population Population { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public IReadOnlyList<ImportedGoal>? Goals { get; init; }
    public IReadOnlyList<ImportedSession>? Sessions { get; init; }
    public EpisodeClosure? ClosedAs { get; init; }
}

public sealed record ImportedGoal
{
    public Guid GoalId { get; init; }
    public string? Description { get; init; }
    public bool AgreedByClient { get; init; }
    public bool AgreedByTherapist { get; init; }
}

public sealed record ImportedSession
{
    public Guid SessionId { get; init; }
    public DateTimeOffset HeldAt { get; init; }
    public ImportedSessionRating? SessionRating { get; init; }
    public ImportedOutcomeRating? OutcomeRating { get; init; }
}

public sealed record ImportedSessionRating
{
    public double? Relationship { get; init; }
    public double? GoalsAndTopics { get; init; }
    public double? ApproachOrMethod { get; init; }
    public double? Overall { get; init; }
}

public sealed record ImportedOutcomeRating
{
    public double? Individual { get; init; }
    public double? Interpersonal { get; init; }
    public double? Social { get; init; }
    public double? Overall { get; init; }
}

public static class ImportEpisodeHistoryHandler
{
    public static async Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(ImportEpisodeHistory command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var opening = await EpisodeOpening.Prepare(session, clock, command.EpisodeId, command.SiteId, command.TherapistId,
            command.ClientId, command.Population, command.OpenedAt, ct);
        return await StreamDecisions.Decide(session, command, (episode, rules) =>
        {
            var opened = opening.AcceptedBySiteAndTherapist();
            EpisodeDecisions.EnsureImportable(command.Goals?.Count ?? 0, command.Sessions?.Count ?? 0);
            var goals = (command.Goals ?? []).Select(g => new GoalHistory(g.GoalId, g.Description, g.AgreedByClient, g.AgreedByTherapist)).ToList();
            var sessions = (command.Sessions ?? []).Select((s, i) => new SessionHistory(s.SessionId, s.HeldAt,
                s.SessionRating is { } srs
                    ? ClinicalRejection.NamingPath($"sessions[{i}].sessionRating", () => SessionRating.Read(srs.Relationship, srs.GoalsAndTopics, srs.ApproachOrMethod, srs.Overall))
                    : null,
                s.OutcomeRating is { } ors
                    ? ClinicalRejection.NamingPath($"sessions[{i}].outcomeRating", () => OutcomeRating.Read(ors.Individual, ors.Interpersonal, ors.Social, ors.Overall))
                    : null)).ToList();
            return EpisodeDecisions.ImportHistory(episode, opened, goals, sessions, command.ClosedAs, opening.Now, rules);
        }, ct);
    }
}

public sealed class ImportEpisodeHistoryInput : InputObjectGraphType<ImportEpisodeHistory>
{
    public ImportEpisodeHistoryInput()
    {
        Description = "An episode's history from another record system, recorded in one transaction: the same rules as the single mutations, " +
                      "applied in order as if each fact arrived now (alerts included; no clock starts in the past).";
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<IdGraphType>>("therapistId");
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
        Field<NonNullGraphType<IdGraphType>>("goalId");
        this.GoalAgreementFields();
    }
}

public sealed class ImportedSessionInput : InputObjectGraphType<ImportedSession>
{
    public ImportedSessionInput()
    {
        Field<NonNullGraphType<IdGraphType>>("sessionId");
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

public sealed class ImportEpisodeHistoryMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<ImportEpisodeHistory, ImportEpisodeHistoryInput, NonNullGraphType<EpisodeGraphType>>(ImportEpisodeHistory.OperationName,
            "Records an episode's history from another record system in one transaction (opening, goals, sessions with SRS and ORS, closing).",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}
