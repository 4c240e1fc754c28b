using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Episodes;

public sealed record OpenEpisode : ClinicCommand
{
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
    public static async Task<CommandOutcome> Handle(OpenEpisode command, IDocumentSession session, IMessageContext bus, TimeProvider clock, CancellationToken ct)
    {
        var site = await session.LoadAsync<Site>(command.SiteId, ct);
        var therapist = await session.LoadAsync<Therapist>(command.TherapistId, ct);
        var now = clock.GetUtcNow();
        var opened = new EpisodeOpened(command.EpisodeId, command.SiteId, command.TherapistId,
            command.ClientId?.Trim() ?? "", command.Population, command.OpenedAt ?? now, now);
        return await EpisodeStream.Decide(session, bus, command.EpisodeId, episode =>
        {
            DirectoryDecisions.EnsureCanTakeEpisode(site, therapist);
            return EpisodeDecisions.Open(episode, opened, now);
        }, ct);
    }
}
