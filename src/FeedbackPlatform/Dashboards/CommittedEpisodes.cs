using Marten;
using Marten.Services;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// The episode read models a mutation's own commit stored: its answer is the document the inline projection just
/// wrote, not a second read of it. A mutation watches for the length of its command (an AsyncLocal, so the command's
/// handler, which runs inline in the same flow, reports to it); a command that changed nothing leaves it empty and
/// the answer reads the episode as before.
/// </summary>
public sealed class CommittedEpisodes : DocumentSessionListenerBase
{
    private static readonly AsyncLocal<Dictionary<Guid, EpisodeAllianceHealth>?> Watching = new();

    /// <summary>Starts watching this flow's commits; ends when the returned scope is disposed.</summary>
    public static IDisposable Watch()
    {
        var outer = Watching.Value;
        Watching.Value = [];
        return new Scope(outer);
    }

    /// <summary>The episode as this flow's last commit stored it, if a watched commit stored it.</summary>
    public static EpisodeAllianceHealth? Stored(Guid episodeId) =>
        Watching.Value is { } stored && stored.TryGetValue(episodeId, out var episode) ? episode : null;

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (Watching.Value is { } stored)
            foreach (var document in commit.Updated.Concat(commit.Inserted))
                if (document is EpisodeAllianceHealth episode)
                    stored[episode.Id] = episode;
        return Task.CompletedTask;
    }

    private sealed class Scope(Dictionary<Guid, EpisodeAllianceHealth>? outer) : IDisposable
    {
        public void Dispose() => Watching.Value = outer;
    }
}
