using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

public sealed class RoleGraphType : EnumerationGraphType<Role>
{
    public RoleGraphType() => Name = "Role";
}

public sealed class PersonStatusGraphType : EnumerationGraphType<PersonStatus>
{
    public PersonStatusGraphType() => Name = "PersonStatus";
}

public sealed class PersonGraphType : ObjectGraphType<Person>
{
    public PersonGraphType()
    {
        Name = "Person";
        Description = "Someone of the organization who signs in: their role, sites and, for a clinician, their therapist id.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("email").Resolve(c => c.Source.Email);
        Field<NonNullGraphType<StringGraphType>>("displayName").Resolve(c => c.Source.DisplayName);
        Field<NonNullGraphType<RoleGraphType>>("role").Resolve(c => c.Source.Role);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("sites").Resolve(c => c.Source.Sites);
        Field<IdGraphType>("therapistId").Resolve(c => c.Source.TherapistId);
        Field<NonNullGraphType<PersonStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<BooleanGraphType>>("secondFactor").Description("Whether they enrolled a second factor.").Resolve(c => c.Source.SecondFactor);
        Field<NonNullGraphType<InstantGraphType>>("invitedAt").Resolve(c => c.Source.InvitedAt);
    }
}

public sealed class PersonEdgeGraphType() : EdgeGraphType<PersonGraphType, Person>("PersonEdge");

public sealed class PersonConnectionGraphType() : ConnectionGraphType<PersonGraphType, PersonEdgeGraphType, Person>("PersonConnection");

/// <summary>A person and the invitation link made for them, which is shown only here.</summary>
public sealed record InvitedPerson(Person Person, string InvitationLink);

public sealed class InvitedPersonGraphType : ObjectGraphType<InvitedPerson>
{
    public InvitedPersonGraphType()
    {
        Name = "InvitedPerson";
        Field<NonNullGraphType<PersonGraphType>>("person").Resolve(c => c.Source.Person);
        Field<NonNullGraphType<StringGraphType>>("invitationLink")
            .Description("`<platform>/invitation#<token>`: send it to the person; valid once, for 72 hours by default. Shown only here.")
            .Resolve(c => c.Source.InvitationLink);
    }
}

public sealed class SecurityPolicyGraphType : ObjectGraphType<SecurityPolicy>
{
    public SecurityPolicyGraphType()
    {
        Name = "SecurityPolicy";
        Field<NonNullGraphType<BooleanGraphType>>("requireSecondFactor").Resolve(c => c.Source.RequireSecondFactor);
        Field<NonNullGraphType<IntGraphType>>("lockoutAttempts").Description("Failed sign-ins in a row that lock an account.").Resolve(c => c.Source.LockoutAttempts);
        Field<NonNullGraphType<IntGraphType>>("lockoutMinutes").Resolve(c => c.Source.LockoutMinutes);
        Field<NonNullGraphType<IntGraphType>>("sessionIdleHours").Description("A browser session ends after this long without a request.").Resolve(c => c.Source.SessionIdleHours);
    }
}

public sealed class ApiKeyGraphType : ObjectGraphType<ApiKey>
{
    public ApiKeyGraphType()
    {
        Name = "ApiKey";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<RoleGraphType>>("role").Resolve(c => c.Source.Role);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("sites").Resolve(c => c.Source.Sites);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("scope").Resolve(c => c.Source.Scope);
        Field<NonNullGraphType<InstantGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<InstantGraphType>("lastUsedAt").Description("To the minute.").Resolve(c => c.Source.LastUsedAt);
        Field<InstantGraphType>("revokedAt").Resolve(c => c.Source.RevokedAt);
    }
}

public sealed record CreatedApiKey(string Key, ApiKey ApiKey);

public sealed class CreatedApiKeyGraphType : ObjectGraphType<CreatedApiKey>
{
    public CreatedApiKeyGraphType()
    {
        Name = "CreatedApiKey";
        Field<NonNullGraphType<StringGraphType>>("key").Description("`fp_...`: send it as `Authorization: Bearer fp_...`. Shown only here.").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<ApiKeyGraphType>>("apiKey").Resolve(c => c.Source.ApiKey);
    }
}

public sealed record PeopleFilter(PersonStatus? Status, Role? Role, Guid? SiteId);

public sealed class PeopleFilterInput : InputObjectGraphType<PeopleFilter>
{
    public PeopleFilterInput()
    {
        Name = "PeopleFilter";
        Field<PersonStatusGraphType>("status");
        Field<RoleGraphType>("role");
        Field<IdGraphType>("siteId");
    }
}

/// <summary>People's root query fields: the people, their sign-in policy, API keys and the security log.</summary>
public static class PeopleFields
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<PersonConnectionGraphType>>("people")
            .Description("The people of the organization, newest invitation first (admins).")
            .Argument<PeopleFilterInput>("filter")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument("first", 50);
                Paging.CheckFirst(first);
                var cursor = Paging.Decode(c.GetArgument<string>("after"));
                var filter = c.GetArgument<PeopleFilter>("filter");
                await using var session = c.QuerySession();
                IQueryable<Person> people = session.Query<Person>();
                if (filter?.Status is { } status) people = people.Where(p => p.Status == status);
                if (filter?.Role is { } role) people = people.Where(p => p.Role == role);
                if (filter?.SiteId is { } site) people = people.Where(p => p.Sites.Contains(site));
                if (cursor is { } at) people = people.Where(p => p.InvitedAt <= at.At);
                var rows = await people.OrderByDescending(p => p.InvitedAt).Take(first + 1 + 16).ToListAsync(c.CancellationToken);
                return Paging.Cut(rows, p => p.InvitedAt, p => p.Id, cursor, first);
            });
        query.Field<PersonGraphType>("person")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Load<Person>(c.IdArgument()));
        query.Field<NonNullGraphType<SecurityPolicyGraphType>>("securityPolicy")
            .Description("How the organization guards sign-in (admins).")
            .ResolveAsync(async c =>
            {
                await using var session = c.QuerySession();
                return await PeopleStore.PolicyInForce(session, c.CancellationToken);
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ApiKeyGraphType>>>>("apiKeys")
            .Description("The organization's API keys, newest first, revoked ones included (admins).")
            .ResolveAsync(async c =>
            {
                await using var session = c.QuerySession();
                return await session.Query<ApiKey>().OrderByDescending(k => k.CreatedAt).Take(500).ToListAsync(c.CancellationToken);
            });
        query.AddSecurityLogQuery();
    }
}
