using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Access;

/// <summary>
/// A command about one episode. Its handler loads the episode anyway and checks there that the caller treats it
/// (<see cref="EpisodeScopeCheck"/>): the gate does not read it a second time.
/// </summary>
public interface IEpisodeCommand
{
    Guid EpisodeId { get; }
    Clinical.Access.Caller? Caller { get; }
}

/// <summary>An episode of another caller's caseload answers exactly as a missing one.</summary>
public static class EpisodeScopeCheck
{
    public static ClinicalRejection? Refusal(Caller? caller, Guid siteId, Guid therapistId) =>
        caller is not null && !AccessPolicy.MayTreat(caller, new EpisodeScope(siteId, therapistId))
            ? ClinicalRejection.NotFound("episodeId", "No such episode.")
            : null;
}

/// <summary>A command about one alert; the gate checks the caller works its site's alerts.</summary>
public interface IAlertCommand
{
    Guid AlertId { get; }
}

/// <summary>
/// The one door for commands from every transport (GraphQL mutations, REST ingestion): the caller's role may
/// call the operation, the rate limit allows it, the object is the caller's (or else it answers exactly as a
/// missing one would), and the handler runs in the caller's organization, so the store's tenancy keeps every
/// read and write inside it.
/// </summary>
public sealed class CommandGate(IMessageBus bus, IDocumentStore store, MutationRateLimiter limiter, CommandSlots slots)
{
    public const string Forbidden = "FORBIDDEN";
    public const string RateLimited = "RATE_LIMITED";

    public async Task<CommandOutcome> Run(Caller caller, ApiCommand command, CancellationToken ct)
    {
        var operation = command.Operation;
        if (!AccessPolicy.MayCall(caller, operation))
            return new CommandOutcome(Forbidden, null, $"A {caller.Role.ToString().ToLowerInvariant()} may not call {operation}.");
        if (!limiter.TryAcquire(caller))
            return new CommandOutcome(RateLimited, null, "Too many changes in a short time; try again in a few seconds.");
        if (await OutOfScope(caller, command, ct) is { } refusal)
            return CommandOutcome.Rejected(refusal);
        command = command with { Caller = caller };
        using (await slots.WaitForSlot(ct))
        {
            try
            {
                return await bus.InvokeForTenantAsync<CommandOutcome>(caller.Organization, command, ct);
            }
            catch (Exception e) when (command is People.InvitePerson && IsUniqueViolation(e, "uix_person_email"))
            {
                // Two invitations of one e-mail at the same moment: the one that commits second is told so.
                return CommandOutcome.Rejected(ClinicalRejection.Conflict("email", "A person with this e-mail is already in the organization."));
            }
        }
    }

    private static bool IsUniqueViolation(Exception? e, string index)
    {
        for (; e is not null; e = e.InnerException)
            if (e is Npgsql.PostgresException { SqlState: "23505" } pg && (pg.ConstraintName ?? "").Contains(index, StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>The same answers the directory gives for a site or therapist that does not exist.</summary>
    private static ClinicalRejection? NewEpisodeOutOfScope(Caller caller, Guid siteId, Guid therapistId)
    {
        if (!caller.Sites.Contains(siteId))
            return ClinicalRejection.NotFound("siteId", "No such active site.");
        if (!AccessPolicy.MayTreat(caller, new EpisodeScope(siteId, therapistId)))
            return ClinicalRejection.NotFound("therapistId", "No such active therapist.");
        return null;
    }

    private async Task<ClinicalRejection?> OutOfScope(Caller caller, ClinicCommand command, CancellationToken ct)
    {
        if (caller.Role == Role.Admin)
            return null;
        switch (command)
        {
            case OpenEpisode open:
                return NewEpisodeOutOfScope(caller, open.SiteId, open.TherapistId);
            case ImportEpisodeHistory import:
                // A new episode at the caller's site and therapist; sent again, the handler checks the episode it names.
                return NewEpisodeOutOfScope(caller, import.SiteId, import.TherapistId);
            case ClientFeedback.IFeedbackRequestCommand { RequestId: var requestId } when requestId != Guid.Empty:
            {
                await using var session = store.QuerySession(caller.Organization);
                var request = await session.LoadAsync<Clinical.FeedbackRequests.FeedbackRequest>(requestId, ct);
                return request is not null && !AccessPolicy.MayTreat(caller, new EpisodeScope(request.SiteId, request.TherapistId))
                    ? ClinicalRejection.NotFound("requestId", "No such feedback request.")
                    : null;
            }
            case IAlertCommand { AlertId: var alertId } when alertId != Guid.Empty:
            {
                await using var session = store.QuerySession(caller.Organization);
                var alert = await session.LoadAsync<Clinical.Alerts.AlertCase>(alertId, ct);
                return alert is not null && !AccessPolicy.MayWorkAlert(caller, alert.SiteId)
                    ? ClinicalRejection.NotFound("alertId", "No such alert.")
                    : null;
            }
            default:
                return null;
        }
    }
}
