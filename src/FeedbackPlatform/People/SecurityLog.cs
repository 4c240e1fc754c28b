using FeedbackPlatform.Clinical;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

public enum SecurityEventKind
{
    SignedIn,
    SignInFailed,
    LockedOut,
    SignedOut,
    InvitationSent,
    InvitationAccepted,
    SecondFactorEnrolled,
    RecoveryCodeUsed,
    AccessChanged,
    PersonDisabled,
    PersonEnabled,
    SignInReset,
    SecurityPolicyChanged,
    ApiKeyCreated,
    ApiKeyFirstUsed,
    ApiKeyRevoked,
    /// <summary>Signed in through the organization's identity provider (single sign-on).</summary>
    SsoSignedIn,
    /// <summary>A single sign-on that was refused: nobody invited or active with that address, a disabled person, a token or claims not accepted.</summary>
    SsoRefused,
}

/// <summary>
/// One entry of the organization's security log: what happened, to whom (the person or key), by whom, from which
/// client address, when. Never a password, code, token or e-mail address.
/// </summary>
public sealed class SecurityEvent
{
    public Guid Id { get; set; }
    public SecurityEventKind Kind { get; set; }
    public Guid? PersonId { get; set; }
    public Guid? ApiKeyId { get; set; }
    /// <summary>Who did it: the subject of the caller (an admin, the person themself), or null for an anonymous attempt.</summary>
    public string? By { get; set; }
    public string? ClientAddress { get; set; }
    public DateTimeOffset At { get; set; }

    public static SecurityEvent Of(SecurityEventKind kind, DateTimeOffset at, string? clientAddress, Guid? personId = null, Guid? apiKeyId = null, string? by = null) => new()
    {
        Id = Guid.CreateVersion7(at), Kind = kind, PersonId = personId, ApiKeyId = apiKeyId, By = by, ClientAddress = clientAddress, At = at,
    };
}

public sealed class SecurityEventKindGraphType : EnumerationGraphType<SecurityEventKind>
{
    public SecurityEventKindGraphType() => Name = "SecurityEventKind";
}

public sealed class SecurityEventGraphType : ObjectGraphType<SecurityEvent>
{
    public SecurityEventGraphType()
    {
        Name = "SecurityEvent";
        Description = "One entry of the organization's security log.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<SecurityEventKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<IdGraphType>("personId").Description("The person it is about, when one is known.").Resolve(c => c.Source.PersonId);
        Field<IdGraphType>("apiKeyId").Resolve(c => c.Source.ApiKeyId);
        Field<StringGraphType>("by").Description("Who did it (the caller's subject); null for an anonymous attempt.").Resolve(c => c.Source.By);
        Field<StringGraphType>("clientAddress").Resolve(c => c.Source.ClientAddress);
        Field<NonNullGraphType<InstantGraphType>>("at").Resolve(c => c.Source.At);
    }
}

public sealed class SecurityEventEdgeGraphType() : EdgeGraphType<SecurityEventGraphType, SecurityEvent>("SecurityEventEdge");

public sealed class SecurityEventConnectionGraphType() : ConnectionGraphType<SecurityEventGraphType, SecurityEventEdgeGraphType, SecurityEvent>("SecurityEventConnection");

public static class SecurityLogQueries
{
    /// <summary>`securityLog(first, after)`: admins read sign-ins, failures, lockouts, invitations, access changes and keys, newest first.</summary>
    public static void AddSecurityLogQuery(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<SecurityEventConnectionGraphType>>("securityLog")
            .Description("The organization's security log, newest first (admins).")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument("first", 50);
                Paging.CheckFirst(first);
                var cursor = Paging.Decode(c.GetArgument<string>("after"));
                await using var session = c.QuerySession();
                IQueryable<SecurityEvent> events = session.Query<SecurityEvent>();
                if (cursor is { } at)
                    events = events.Where(e => e.At <= at.At);
                var rows = await events.OrderByDescending(e => e.At).Take(first + 1 + 16).ToListAsync(c.CancellationToken);
                return Paging.Cut(rows, e => e.At, e => e.Id, cursor, first);
            });
    }
}
