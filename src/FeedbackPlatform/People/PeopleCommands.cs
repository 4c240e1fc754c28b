using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>What every change to people carries beside its input: who asked, and from where (for the security log).</summary>
public abstract record PeopleCommand : ApiCommand
{
    public string By { get; init; } = "";
    public string? ClientAddress { get; init; }
}

public sealed record InvitePerson : PeopleCommand
{
    public const string OperationName = "invitePerson";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
    public string? Email { get; init; }
    public string? DisplayName { get; init; }
    public Role Role { get; init; }
    public Guid[]? Sites { get; init; }
    public Guid? TherapistId { get; init; }
    /// <summary>The hash of the invitation token the resolver made (the token itself goes only to the caller).</summary>
    public string InvitationHash { get; init; } = "";
}

public sealed record ChangePersonAccess : PeopleCommand
{
    public const string OperationName = "changePersonAccess";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
    public Role Role { get; init; }
    public Guid[]? Sites { get; init; }
    public Guid? TherapistId { get; init; }
}

public sealed record DisablePerson : PeopleCommand
{
    public const string OperationName = "disablePerson";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
}

public sealed record EnablePerson : PeopleCommand
{
    public const string OperationName = "enablePerson";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
}

public sealed record ResetPersonSignIn : PeopleCommand
{
    public const string OperationName = "resetPersonSignIn";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
    public string InvitationHash { get; init; } = "";
}

public sealed record UpdateSecurityPolicy : PeopleCommand
{
    public const string OperationName = "updateSecurityPolicy";
    public override string Operation => OperationName;

    public bool? RequireSecondFactor { get; init; }
    public int? LockoutAttempts { get; init; }
    public int? LockoutMinutes { get; init; }
    public int? SessionIdleHours { get; init; }
}

public static class PeopleHandler
{
    public static async Task<CommandOutcome> Handle(InvitePerson c, IDocumentSession session, TimeProvider clock, SignInSettings settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var key = c.Email is null ? "" : PeopleDecisions.EmailKey(c.Email);
        var taken = key.Length > 0 && await session.Query<Person>().AnyAsync(p => p.EmailKey == key, ct);
        var outcome = await EpisodeStream.Decide<Person>(session, c.PersonId,
            existing => PeopleDecisions.Invite(existing, taken, c.PersonId, c.Email, c.DisplayName, c.Role, c.Sites, c.TherapistId, c.By, now), ct);
        if (outcome.IsAccepted)
            Invite(session, c.PersonId, c.InvitationHash, now, settings, c.By, c.ClientAddress);
        return outcome;
    }

    public static async Task<CommandOutcome> Handle(ChangePersonAccess c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var admins = await PeopleStore.ActiveAdmins(session, ct);
        return await ChangePerson(session, c, c.PersonId, person => PeopleDecisions.ChangeAccess(person, admins, c.Role, c.Sites, c.TherapistId, c.By, clock.GetUtcNow()),
            SecurityEventKind.AccessChanged, endsSessions: true, clock, ct);
    }

    public static async Task<CommandOutcome> Handle(DisablePerson c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var admins = await PeopleStore.ActiveAdmins(session, ct);
        return await ChangePerson(session, c, c.PersonId, person => PeopleDecisions.Disable(person, admins, c.By, clock.GetUtcNow()),
            SecurityEventKind.PersonDisabled, endsSessions: true, clock, ct);
    }

    public static Task<CommandOutcome> Handle(EnablePerson c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        ChangePerson(session, c, c.PersonId, person => PeopleDecisions.Enable(person, c.By, clock.GetUtcNow()),
            SecurityEventKind.PersonEnabled, endsSessions: false, clock, ct);

    /// <summary>A decided change of a person; when it changed anything it is logged, and, where it changes what a session grants, ends their sessions.</summary>
    private static async Task<CommandOutcome> ChangePerson(IDocumentSession session, PeopleCommand c, Guid personId, Func<Person?, IReadOnlyList<object>> decide,
        SecurityEventKind logged, bool endsSessions, TimeProvider clock, CancellationToken ct)
    {
        var changed = false;
        var outcome = await EpisodeStream.Decide<Person>(session, personId, person =>
        {
            var events = decide(person);
            changed = events.Count > 0;
            return events;
        }, ct);
        if (outcome.IsAccepted && changed)
        {
            // What a session grants was the person's access when it began: a change ends them all.
            if (endsSessions)
                PeopleStore.EndSessionsOf(session, personId);
            session.Store(SecurityEvent.Of(logged, clock.GetUtcNow(), c.ClientAddress, personId, by: c.By));
        }
        return outcome;
    }

    public static async Task<CommandOutcome> Handle(ResetPersonSignIn c, IDocumentSession session, TimeProvider clock, SignInSettings settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var outcome = await EpisodeStream.Decide<Person>(session, c.PersonId, person => PeopleDecisions.ResetSignIn(person, c.By, now), ct);
        if (!outcome.IsAccepted)
            return outcome;
        // The password, the second factor, every earlier invitation and every session go; a new invitation comes.
        session.Delete<SignInCredentials>(c.PersonId);
        session.DeleteWhere<Invitation>(i => i.PersonId == c.PersonId);
        PeopleStore.EndSessionsOf(session, c.PersonId);
        session.Store(SecurityEvent.Of(SecurityEventKind.SignInReset, now, c.ClientAddress, c.PersonId, by: c.By));
        Invite(session, c.PersonId, c.InvitationHash, now, settings, c.By, c.ClientAddress);
        return outcome;
    }

    public static async Task<CommandOutcome> Handle(UpdateSecurityPolicy c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var organizationId = PeopleStore.SecurityPolicyIdOf(session.TenantId);
        var current = await PeopleStore.PolicyInForce(session, ct);
        var changed = false;
        var outcome = await EpisodeStream.Decide<SecurityPolicy>(session, organizationId, _ =>
        {
            var events = PeopleDecisions.ChangeSecurityPolicy(current, organizationId, c.RequireSecondFactor, c.LockoutAttempts, c.LockoutMinutes, c.SessionIdleHours, c.By, clock.GetUtcNow());
            changed = events.Count > 0;
            return events;
        }, ct);
        if (outcome.IsAccepted && changed)
            session.Store(SecurityEvent.Of(SecurityEventKind.SecurityPolicyChanged, clock.GetUtcNow(), c.ClientAddress, by: c.By));
        return outcome;
    }

    private static void Invite(IDocumentSession session, Guid personId, string invitationHash, DateTimeOffset now, SignInSettings settings, string by, string? clientAddress)
    {
        if (invitationHash.Length != 64)
            throw new InvalidOperationException("An invitation needs the hash of its token.");
        session.Store(new Invitation { Id = invitationHash, PersonId = personId, CreatedAt = now, ExpiresAt = now + settings.InvitationLifetime });
        session.Store(SecurityEvent.Of(SecurityEventKind.InvitationSent, now, clientAddress, personId, by: by));
    }
}
