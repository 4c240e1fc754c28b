using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.People;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.People;

// Documents of the organization's tenant beside the people's events. Nothing secret is stored in the clear:
// tokens, session ids, keys and recovery codes by their SHA-256 hash, passwords by ASP.NET Core Identity's hasher.

/// <summary>An invitation link's token, by its hash: usable once, until it expires.</summary>
public sealed class Invitation
{
    /// <summary>SHA-256 of the token.</summary>
    public string Id { get; set; } = "";
    public Guid PersonId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    /// <summary>The second factor offered while the invitation is being accepted, until a code confirms it.</summary>
    public string? PendingSecondFactor { get; set; }
}

/// <summary>How a person proves who they are. Deleted when their sign-in is reset.</summary>
public sealed class SignInCredentials
{
    /// <summary>The person's id.</summary>
    public Guid Id { get; set; }
    public string PasswordHash { get; set; } = "";
    /// <summary>The TOTP key (base32); null until enrolled.</summary>
    public string? SecondFactor { get; set; }
    /// <summary>A key offered at sign-in to a person who must enrol, until a code confirms it.</summary>
    public string? PendingSecondFactor { get; set; }
    /// <summary>The last TOTP time step accepted: a code is good once.</summary>
    public long LastTimeStep { get; set; }
    public List<string> RecoveryCodeHashes { get; set; } = [];
    public int FailedAttempts { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
}

/// <summary>A browser session, by the hash of its cookie; what it grants is the person's access when it began.</summary>
public sealed class BrowserSession
{
    public string Id { get; set; } = "";
    public Guid PersonId { get; set; }
    public Role Role { get; set; }
    public List<Guid> Sites { get; set; } = [];
    public Guid? TherapistId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int IdleHours { get; set; }
}

/// <summary>An API key of an integrator or record system, by the hash of the key.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public string KeyHash { get; set; } = "";
    public string Name { get; set; } = "";
    public Role Role { get; set; }
    public List<Guid> Sites { get; set; } = [];
    public List<string> Scope { get; set; } = [];
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>The lookup of a key by its hash (the document above is listed by id).</summary>
public sealed class ApiKeyHash
{
    public string Id { get; set; } = "";
    public Guid ApiKeyId { get; set; }
}

public partial class PersonProjection : SingleStreamProjection<Person, Guid>
{
    public PersonProjection()
    {
        IncludeType<PersonInvited>();
        IncludeType<PersonAccessChanged>();
        IncludeType<PersonDisabled>();
        IncludeType<PersonEnabled>();
        IncludeType<PersonSignInReset>();
        IncludeType<PersonActivated>();
        IncludeType<SecondFactorEnrolled>();
    }

    public override Person? Evolve(Person? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is PersonInvited r ? Person.From(r) : null : snapshot.When(e.Data);
}

public partial class SecurityPolicyProjection : SingleStreamProjection<SecurityPolicy, Guid>
{
    public SecurityPolicyProjection() => IncludeType<SecurityPolicyChanged>();

    public override SecurityPolicy? Evolve(SecurityPolicy? snapshot, Guid id, IEvent e) =>
        snapshot is null ? e.Data is SecurityPolicyChanged c ? SecurityPolicy.From(c) : null : snapshot.When(e.Data);
}

public static class PeopleStore
{
    /// <summary>The organization's security policy stream (beside its rules' stream).</summary>
    public static Guid SecurityPolicyIdOf(string organization) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes("security-policy:" + organization)));

    public static async Task<SecurityPolicy> PolicyInForce(IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<SecurityPolicy>(SecurityPolicyIdOf(session.TenantId), ct) ?? SecurityPolicy.Defaults;

    public static void AddPeople(this StoreOptions opts)
    {
        opts.Projections.Add<PersonProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        opts.Projections.Add<SecurityPolicyProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        // One address, one person, within each organization.
        opts.Schema.For<Person>().UniqueIndex(Marten.Schema.UniqueIndexType.Computed, "uix_person_email", Marten.Schema.Indexing.Unique.TenancyScope.PerTenant, x => x.EmailKey);
        opts.Schema.For<Invitation>().Index(x => x.PersonId);
        opts.Schema.For<SignInCredentials>();
        opts.Schema.For<BrowserSession>().Index(x => x.PersonId);
        opts.Schema.For<ApiKey>();
        opts.Schema.For<ApiKeyHash>();
        opts.Schema.For<SecurityEvent>().Index(x => x.At);
    }

    /// <summary>How many people are active admins of the session's organization.</summary>
    public static Task<int> ActiveAdmins(IQuerySession session, CancellationToken ct) =>
        session.Query<Person>().CountAsync(p => p.Status == PersonStatus.Active && p.Role == Role.Admin, ct);

    /// <summary>Ends every browser session of a person, in the session's transaction.</summary>
    public static void EndSessionsOf(IDocumentSession session, Guid personId) => session.DeleteWhere<BrowserSession>(s => s.PersonId == personId);
}
