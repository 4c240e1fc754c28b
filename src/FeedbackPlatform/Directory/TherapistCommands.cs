using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using Marten;

namespace FeedbackPlatform.Directory;

public sealed record RegisterTherapist
{
    public Guid TherapistId { get; init; }
    public Guid SiteId { get; init; }
    public string? DisplayName { get; init; }
}

public sealed record RenameTherapist
{
    public Guid TherapistId { get; init; }
    public string? DisplayName { get; init; }
}

public sealed record DeactivateTherapist
{
    public Guid TherapistId { get; init; }
}

public static class TherapistHandler
{
    public static async Task Handle(RegisterTherapist c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var site = await session.LoadAsync<Site>(c.SiteId, ct);
        await EpisodeStream.Decide<Therapist>(session, c.TherapistId,
            therapist => DirectoryDecisions.RegisterTherapist(therapist, site, c.TherapistId, c.DisplayName, clock.GetUtcNow()), ct);
    }

    public static Task Handle(RenameTherapist c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<Therapist>(session, c.TherapistId, t => DirectoryDecisions.RenameTherapist(t, c.DisplayName, clock.GetUtcNow()), ct);

    public static Task Handle(DeactivateTherapist c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<Therapist>(session, c.TherapistId, t => DirectoryDecisions.DeactivateTherapist(t, clock.GetUtcNow()), ct);
}
