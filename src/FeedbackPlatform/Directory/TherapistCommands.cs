using FeedbackPlatform.Hosting;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using Marten;

namespace FeedbackPlatform.Directory;

public sealed record RegisterTherapist : ApiCommand
{
    public const string OperationName = "registerTherapist";
    public override string Operation => OperationName;

    public Guid TherapistId { get; init; }
    public Guid SiteId { get; init; }
    public string? DisplayName { get; init; }
}

public sealed record RenameTherapist : ApiCommand
{
    public const string OperationName = "renameTherapist";
    public override string Operation => OperationName;

    public Guid TherapistId { get; init; }
    public string? DisplayName { get; init; }
}

public sealed record DeactivateTherapist : ApiCommand
{
    public const string OperationName = "deactivateTherapist";
    public override string Operation => OperationName;

    public Guid TherapistId { get; init; }
}

public static class TherapistHandler
{
    public static async Task<CommandOutcome> Handle(RegisterTherapist c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var site = await session.LoadAsync<Site>(c.SiteId, ct);
        return await EpisodeStream.Decide<Therapist>(session, c.TherapistId,
            therapist => DirectoryDecisions.RegisterTherapist(therapist, site, c.TherapistId, c.DisplayName, clock.GetUtcNow()), ct);
    }

    public static Task<CommandOutcome> Handle(RenameTherapist c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<Therapist>(session, c.TherapistId, t => DirectoryDecisions.RenameTherapist(t, c.DisplayName, clock.GetUtcNow()), ct);

    public static Task<CommandOutcome> Handle(DeactivateTherapist c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<Therapist>(session, c.TherapistId, t => DirectoryDecisions.DeactivateTherapist(t, clock.GetUtcNow()), ct);
}
