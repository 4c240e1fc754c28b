using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Episodes;

public sealed record ReassignTherapist : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "reassignTherapist";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid TherapistId { get; init; }
}

public static class ReassignTherapistHandler
{
    public static async Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(ReassignTherapist command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var therapist = await session.LoadAsync<Therapist>(command.TherapistId, ct);
        return await StreamDecisions.Decide(session, command, episode => EpisodeDecisions.ReassignTherapist(episode, therapist, clock.GetUtcNow()), ct);
    }
}

public sealed class ReassignTherapistInput : InputObjectGraphType<ReassignTherapist>
{
    public ReassignTherapistInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("therapistId");
    }
}

public sealed class ReassignTherapistMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<ReassignTherapist, ReassignTherapistInput, NonNullGraphType<EpisodeGraphType>>(ReassignTherapist.OperationName,
            "Hands the episode to another therapist of its site.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}
