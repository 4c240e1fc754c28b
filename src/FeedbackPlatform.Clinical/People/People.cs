using FeedbackPlatform.Clinical.Access;

namespace FeedbackPlatform.Clinical.People;

// The people of an organization: who they are, what they may do (role, sites, therapist) and whether they may sign
// in. One stream per person; the organization's security policy is a stream of its own. No credential, token or
// code is ever part of an event: those are documents of the host, kept hashed.

public enum PersonStatus
{
    Invited,
    Active,
    Disabled,
}

public sealed record PersonInvited(Guid PersonId, string Email, string DisplayName, Role Role, IReadOnlyList<Guid> Sites, Guid? TherapistId, string InvitedBy, DateTimeOffset InvitedAt);
public sealed record PersonAccessChanged(Guid PersonId, Role Role, IReadOnlyList<Guid> Sites, Guid? TherapistId, string ChangedBy, DateTimeOffset ChangedAt);
public sealed record PersonDisabled(Guid PersonId, string DisabledBy, DateTimeOffset DisabledAt);
public sealed record PersonEnabled(Guid PersonId, string EnabledBy, DateTimeOffset EnabledAt);
/// <summary>Password and second factor cleared: the person signs in again through a new invitation.</summary>
public sealed record PersonSignInReset(Guid PersonId, string ResetBy, DateTimeOffset ResetAt);
/// <summary>The invitation was accepted: the person chose a password (and enrolled a second factor when required).</summary>
public sealed record PersonActivated(Guid PersonId, bool WithSecondFactor, DateTimeOffset ActivatedAt);
public sealed record SecondFactorEnrolled(Guid PersonId, DateTimeOffset EnrolledAt);

public sealed record SecurityPolicyChanged(Guid OrganizationId, bool RequireSecondFactor, int LockoutAttempts, int LockoutMinutes, int SessionIdleHours, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>A person of the organization, as the people's events leave them (the read model admins list).</summary>
public sealed record Person
{
    public Guid Id { get; init; }
    public string Email { get; init; } = "";
    /// <summary>The e-mail as compared: lower case, so one address is one person whatever its spelling.</summary>
    public string EmailKey { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public Role Role { get; init; }
    public IReadOnlyList<Guid> Sites { get; init; } = [];
    public Guid? TherapistId { get; init; }
    public PersonStatus Status { get; init; }
    public bool SecondFactor { get; init; }
    public DateTimeOffset InvitedAt { get; init; }
    public DateTimeOffset ChangedAt { get; init; }

    public static Person From(PersonInvited e) => new()
    {
        Id = e.PersonId, Email = e.Email, EmailKey = PeopleDecisions.EmailKey(e.Email), DisplayName = e.DisplayName, Role = e.Role, Sites = e.Sites,
        TherapistId = e.TherapistId, Status = PersonStatus.Invited, InvitedAt = e.InvitedAt, ChangedAt = e.InvitedAt,
    };

    public Person When(object fact) => fact switch
    {
        PersonAccessChanged e => this with { Role = e.Role, Sites = e.Sites, TherapistId = e.TherapistId, ChangedAt = e.ChangedAt },
        PersonDisabled e => this with { Status = PersonStatus.Disabled, ChangedAt = e.DisabledAt },
        // Enabled again: active if they had signed in before, else still waiting for their invitation.
        PersonEnabled e => this with { Status = ActivatedOnce ? PersonStatus.Active : PersonStatus.Invited, ChangedAt = e.EnabledAt },
        PersonSignInReset e => this with { Status = Status == PersonStatus.Disabled ? PersonStatus.Disabled : PersonStatus.Invited, SecondFactor = false, ActivatedOnce = false, ChangedAt = e.ResetAt },
        PersonActivated e => this with { Status = PersonStatus.Active, SecondFactor = e.WithSecondFactor, ActivatedOnce = true, ChangedAt = e.ActivatedAt },
        SecondFactorEnrolled e => this with { SecondFactor = true, ChangedAt = e.EnrolledAt },
        _ => this,
    };

    /// <summary>Whether the person has a password (accepted an invitation since the last reset).</summary>
    public bool ActivatedOnce { get; init; }

    public bool IsActiveAdmin => Status == PersonStatus.Active && Role == Role.Admin;
}

/// <summary>How the organization guards sign-in; the defaults (second factor required) until an admin changes them.</summary>
public sealed record SecurityPolicy
{
    public const int DefaultLockoutAttempts = 5;
    public const int DefaultLockoutMinutes = 15;
    public const int DefaultSessionIdleHours = 12;

    public Guid Id { get; init; }
    public bool RequireSecondFactor { get; init; } = true;
    public int LockoutAttempts { get; init; } = DefaultLockoutAttempts;
    public int LockoutMinutes { get; init; } = DefaultLockoutMinutes;
    public int SessionIdleHours { get; init; } = DefaultSessionIdleHours;
    public DateTimeOffset? ChangedAt { get; init; }

    public static readonly SecurityPolicy Defaults = new();

    public static SecurityPolicy From(SecurityPolicyChanged e) => new SecurityPolicy { Id = e.OrganizationId }.When(e);

    public SecurityPolicy When(object fact) => fact switch
    {
        SecurityPolicyChanged e => this with
        {
            RequireSecondFactor = e.RequireSecondFactor, LockoutAttempts = e.LockoutAttempts, LockoutMinutes = e.LockoutMinutes,
            SessionIdleHours = e.SessionIdleHours, ChangedAt = e.ChangedAt,
        },
        _ => this,
    };
}

/// <summary>What admins may do to the people of their organization.</summary>
public static class PeopleDecisions
{
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 200;
    public const int MaxSites = 100;

    public static string EmailKey(string email) => email.Trim().ToLowerInvariant();

    /// <summary>A plausible address: one @, something on both sides, a dot in the domain, no spaces or controls.</summary>
    public static string ValidEmail(string? email)
    {
        var e = email?.Trim() ?? "";
        var at = e.IndexOf('@');
        if (e.Length is 0 or > MaxEmailLength || at < 1 || at != e.LastIndexOf('@') || at == e.Length - 1
            || !e[(at + 1)..].Contains('.') || e.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)))
            throw ClinicalRejection.Invalid("email", $"email must be an e-mail address of at most {MaxEmailLength} characters.");
        return e;
    }

    public static string ValidDisplayName(string? name)
    {
        var n = name?.Trim() ?? "";
        if (n.Length is 0 or > MaxDisplayNameLength || n.Any(char.IsControl))
            throw ClinicalRejection.Invalid("displayName", $"displayName must be 1 to {MaxDisplayNameLength} characters.");
        return n;
    }

    /// <summary>Role, sites and therapist that fit together: a clinician is a therapist at one or more sites, a director directs some.</summary>
    public static (IReadOnlyList<Guid> Sites, Guid? TherapistId) ValidAccess(Role role, IReadOnlyList<Guid>? sites, Guid? therapistId)
    {
        if (!Enum.IsDefined(role))
            throw ClinicalRejection.Invalid("role", "role must be CLINICIAN, DIRECTOR, INTEGRATOR or ADMIN.");
        var distinct = (sites ?? []).Distinct().ToList();
        if (distinct.Count > MaxSites)
            throw ClinicalRejection.Invalid("sites", $"At most {MaxSites} sites.");
        if (distinct.Contains(Guid.Empty))
            throw ClinicalRejection.Invalid("sites", "Every site must be a UUID.");
        if (role == Role.Clinician && (therapistId is null || therapistId == Guid.Empty))
            throw ClinicalRejection.Invalid("therapistId", "A clinician needs their therapist id.");
        if (role != Role.Clinician && therapistId is not null)
            throw ClinicalRejection.Invalid("therapistId", "Only a clinician has a therapist id.");
        if (role is Role.Clinician or Role.Director && distinct.Count == 0)
            throw ClinicalRejection.Invalid("sites", "A clinician or director works at one site at least.");
        return (distinct, therapistId);
    }

    public static IReadOnlyList<object> Invite(Person? existing, bool emailTaken, Guid personId, string? email, string? displayName, Role role,
        IReadOnlyList<Guid>? sites, Guid? therapistId, string by, DateTimeOffset now)
    {
        var address = ValidEmail(email);
        var name = ValidDisplayName(displayName);
        var (validSites, therapist) = ValidAccess(role, sites, therapistId);
        if (existing is not null)
            throw ClinicalRejection.Conflict("personId", "This person exists already.");
        if (emailTaken)
            throw ClinicalRejection.Conflict("email", "Someone of the organization has this e-mail address already.");
        return [new PersonInvited(personId, address, name, role, validSites, therapist, by, now)];
    }

    /// <summary>The last active admin keeps the organization governable: they cannot be demoted or disabled.</summary>
    private static void NotTheLastAdmin(Person person, int activeAdmins, string field)
    {
        if (person.IsActiveAdmin && activeAdmins <= 1)
            throw ClinicalRejection.Conflict(field, "The organization's last active admin cannot be disabled or demoted.");
    }

    private static Person Existing(Person? person) => person ?? throw ClinicalRejection.NotFound("personId", "No such person.");

    public static IReadOnlyList<object> ChangeAccess(Person? person, int activeAdmins, Role role, IReadOnlyList<Guid>? sites, Guid? therapistId, string by, DateTimeOffset now)
    {
        var p = Existing(person);
        var (validSites, therapist) = ValidAccess(role, sites, therapistId);
        if (role != Role.Admin)
            NotTheLastAdmin(p, activeAdmins, "role");
        if (p.Role == role && p.Sites.Order().SequenceEqual(validSites.Order()) && p.TherapistId == therapist)
            return [];
        return [new PersonAccessChanged(p.Id, role, validSites, therapist, by, now)];
    }

    public static IReadOnlyList<object> Disable(Person? person, int activeAdmins, string by, DateTimeOffset now)
    {
        var p = Existing(person);
        if (p.Status == PersonStatus.Disabled)
            return [];
        NotTheLastAdmin(p, activeAdmins, "personId");
        return [new PersonDisabled(p.Id, by, now)];
    }

    public static IReadOnlyList<object> Enable(Person? person, string by, DateTimeOffset now) =>
        Existing(person).Status == PersonStatus.Disabled ? [new PersonEnabled(person!.Id, by, now)] : [];

    /// <summary>Always a new reset (and a new invitation): the old link and credentials stop working.</summary>
    public static IReadOnlyList<object> ResetSignIn(Person? person, string by, DateTimeOffset now)
    {
        var p = Existing(person);
        if (p.Status == PersonStatus.Disabled)
            throw ClinicalRejection.Conflict("personId", "Enable the person before resetting their sign-in.");
        return [new PersonSignInReset(p.Id, by, now)];
    }

    public static IReadOnlyList<object> ChangeSecurityPolicy(SecurityPolicy current, Guid organizationId, bool? requireSecondFactor, int? lockoutAttempts,
        int? lockoutMinutes, int? sessionIdleHours, string by, DateTimeOffset now)
    {
        var attempts = lockoutAttempts ?? current.LockoutAttempts;
        var minutes = lockoutMinutes ?? current.LockoutMinutes;
        var idle = sessionIdleHours ?? current.SessionIdleHours;
        if (attempts is < 1 or > 100)
            throw ClinicalRejection.Invalid("lockoutAttempts", "lockoutAttempts must be from 1 to 100.");
        if (minutes is < 1 or > 24 * 60)
            throw ClinicalRejection.Invalid("lockoutMinutes", "lockoutMinutes must be from 1 to 1440.");
        if (idle is < 1 or > 24 * 7)
            throw ClinicalRejection.Invalid("sessionIdleHours", "sessionIdleHours must be from 1 to 168.");
        var second = requireSecondFactor ?? current.RequireSecondFactor;
        if (current.ChangedAt is not null && second == current.RequireSecondFactor && attempts == current.LockoutAttempts && minutes == current.LockoutMinutes && idle == current.SessionIdleHours)
            return [];
        return [new SecurityPolicyChanged(organizationId, second, attempts, minutes, idle, by, now)];
    }
}
