using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Ingestion;
using GraphQL.Types;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace FeedbackPlatform.Episodes;

public sealed record OpenEpisode : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "openEpisode";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid SiteId { get; init; }
    public Guid TherapistId { get; init; }
    /// <summary>Pseudonymous: the clinic's record system maps it back to a person, we never do.</summary>
    public string? ClientId { get; init; }
    public Population Population { get; init; }
    public DateTimeOffset? OpenedAt { get; init; }
}

public static class OpenEpisodeHandler
{
    public static async Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(OpenEpisode command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var opening = await EpisodeOpening.Prepare(session, clock, command.EpisodeId, command.SiteId, command.TherapistId,
            command.ClientId, command.Population, command.OpenedAt, ct);
        return await StreamDecisions.Decide(session, command, episode => EpisodeDecisions.Open(episode, opening.AcceptedBySiteAndTherapist(), opening.Now), ct);
    }
}

/// <summary>
/// What opening an episode needs besides the episode: the opening fact and the directory's site and therapist as
/// they stand, which must be able to take it (checked inside the decision, so a refusal stores nothing).
/// </summary>
public sealed record EpisodeOpening(EpisodeOpened Opened, Site? Site, Therapist? Therapist, DateTimeOffset Now)
{
    public static async Task<EpisodeOpening> Prepare(IDocumentSession session, TimeProvider clock, Guid episodeId, Guid siteId, Guid therapistId,
        string? clientId, Population population, DateTimeOffset? openedAt, CancellationToken ct)
    {
        var site = await session.LoadAsync<Site>(siteId, ct);
        var therapist = await session.LoadAsync<Therapist>(therapistId, ct);
        var now = clock.GetUtcNow();
        return new EpisodeOpening(new EpisodeOpened(episodeId, siteId, therapistId, clientId?.Trim() ?? "", population, openedAt ?? now, now), site, therapist, now);
    }

    /// <summary>The opening fact, once the site and therapist are known to take new episodes.</summary>
    public EpisodeOpened AcceptedBySiteAndTherapist()
    {
        DirectoryDecisions.EnsureCanTakeEpisode(Site, Therapist);
        return Opened;
    }
}

public sealed class OpenEpisodeInput : InputObjectGraphType<OpenEpisode>
{
    public OpenEpisodeInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<IdGraphType>>("therapistId");
        Field<NonNullGraphType<StringGraphType>>("clientId").Description("Pseudonymous client id from the clinic's record system; never a name.");
        Field<NonNullGraphType<PopulationGraphType>>("population");
        Field<InstantGraphType>("openedAt").Description("Defaults to now.");
    }
}

public sealed class OpenEpisodeMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<OpenEpisode, OpenEpisodeInput, NonNullGraphType<EpisodeGraphType>>(OpenEpisode.OperationName,
            "Opens an episode of care for a pseudonymous client.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}

public static class OpenEpisodeEndpoint
{
    [WolverinePost("/api/episodes"), Tags(RestCommand.Tag), EndpointSummary("Open an episode of care for a pseudonymous client")]
    public static Task<IResult> Post(OpenEpisode command, HttpContext http, CommandGate gate, CancellationToken ct) => RestCommand.Send(http, gate, command, ct);
}
