using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical.Episodes;
using Marten;

namespace FeedbackPlatform.Episodes;

public sealed record CloseEpisode : ClinicCommand
{
    public Guid EpisodeId { get; init; }
    public EpisodeClosure Reason { get; init; }
}

public static class CloseEpisodeHandler
{
    public static Task<CommandOutcome> Handle(CloseEpisode command, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide(session, command.EpisodeId, episode => EpisodeDecisions.Close(episode, command.Reason, clock.GetUtcNow()), ct);
}
