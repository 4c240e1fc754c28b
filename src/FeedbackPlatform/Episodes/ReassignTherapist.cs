using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
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
    public static async Task<CommandOutcome> Handle(ReassignTherapist command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct)
    {
        var therapist = await session.LoadAsync<Therapist>(command.TherapistId, ct);
        return await EpisodeStream.Decide(session, bus, command, episode => EpisodeDecisions.ReassignTherapist(episode, therapist, clock.GetUtcNow()), ct);
    }
}
