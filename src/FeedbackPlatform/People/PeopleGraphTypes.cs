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

public sealed class InvitePersonInput : InputObjectGraphType<InvitePerson>
{
    public InvitePersonInput()
    {
        Field<NonNullGraphType<StringGraphType>>("email").Description("Unique within the organization, compared case-insensitively.");
        Field<NonNullGraphType<StringGraphType>>("displayName");
        Field<NonNullGraphType<RoleGraphType>>("role");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("sites");
        Field<IdGraphType>("therapistId").Description("A clinician's therapist id (only theirs).");
    }
}

public sealed class ChangePersonAccessInput : InputObjectGraphType<ChangePersonAccess>
{
    public ChangePersonAccessInput()
    {
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<RoleGraphType>>("role");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("sites");
        Field<IdGraphType>("therapistId");
    }
}

public sealed class DisablePersonInput : InputObjectGraphType<DisablePerson>
{
    public DisablePersonInput() => Field<NonNullGraphType<IdGraphType>>("personId");
}

public sealed class EnablePersonInput : InputObjectGraphType<EnablePerson>
{
    public EnablePersonInput() => Field<NonNullGraphType<IdGraphType>>("personId");
}

public sealed class ResetPersonSignInInput : InputObjectGraphType<ResetPersonSignIn>
{
    public ResetPersonSignInInput() => Field<NonNullGraphType<IdGraphType>>("personId");
}

public sealed class UpdateSecurityPolicyInput : InputObjectGraphType<UpdateSecurityPolicy>
{
    public UpdateSecurityPolicyInput()
    {
        Description = "Fields left out keep their value.";
        Field<BooleanGraphType>("requireSecondFactor");
        Field<IntGraphType>("lockoutAttempts").Description("1 to 100 (default 5).");
        Field<IntGraphType>("lockoutMinutes").Description("1 to 1440 (default 15).");
        Field<IntGraphType>("sessionIdleHours").Description("1 to 168 (default 12).");
    }
}

public sealed class CreateApiKeyInput : InputObjectGraphType<CreateApiKey>
{
    public CreateApiKeyInput()
    {
        Field<NonNullGraphType<StringGraphType>>("name").Description("What the key is for, e.g. the record system's name.");
        Field<NonNullGraphType<RoleGraphType>>("role").Description("DIRECTOR, INTEGRATOR or ADMIN.");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("sites");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("scope").Description("[\"free-text\"] lets an integrator's key read free text.");
    }
}

public sealed class RevokeApiKeyInput : InputObjectGraphType<RevokeApiKey>
{
    public RevokeApiKeyInput() => Field<NonNullGraphType<IdGraphType>>("apiKeyId");
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

public static class PeopleSchema
{
    public static string ClientAddress(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IHttpContextAccessor>().HttpContext?.ClientAddress() ?? "unknown";

    private static T Stamped<T>(IResolveFieldContext context, T command) where T : PeopleCommand =>
        command with { By = context.CallerName(), ClientAddress = context.ClientAddress() };

    private static string Link(IResolveFieldContext context, string token) =>
        context.RequestServices!.GetRequiredService<SignInSettings>().InvitationLink(token, context.RequestServices!.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request);

    /// <summary>People's root fields: the people, their sign-in policy, API keys and the security log, and the mutations that change them.</summary>
    public static void AddTo(ObjectGraphType query, ObjectGraphType mutation)
    {
        AddQueries(query);
        AddMutations(mutation);
    }

    private static void AddQueries(ObjectGraphType query)
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

    private static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<InvitedPersonGraphType>>(InvitePerson.OperationName)
            .Description("Invites someone to the organization; answers the invitation link, once.")
            .Argument<NonNullGraphType<InvitePersonInput>>("input")
            .ResolveAsync(async c =>
            {
                var token = Secrets.Token(c.Caller().Organization);
                var command = Stamped(c, c.GetArgument<InvitePerson>("input")!) with { PersonId = Guid.CreateVersion7(), InvitationHash = Secrets.Hash(token) };
                await c.Send(command);
                return new InvitedPerson((await c.Load<Person>(command.PersonId))!, Link(c, token));
            });
        mutation.Command<ChangePersonAccess, ChangePersonAccessInput, NonNullGraphType<PersonGraphType>>(ChangePersonAccess.OperationName,
            "Changes a person's role, sites or therapist; their sessions end.", (c, x) => Person(c, x.PersonId), Stamped);
        mutation.Command<DisablePerson, DisablePersonInput, NonNullGraphType<PersonGraphType>>(DisablePerson.OperationName,
            "Stops a person signing in; their sessions end at once.", (c, x) => Person(c, x.PersonId), Stamped);
        mutation.Command<EnablePerson, EnablePersonInput, NonNullGraphType<PersonGraphType>>(EnablePerson.OperationName,
            "Lets a disabled person sign in again.", (c, x) => Person(c, x.PersonId), Stamped);
        mutation.Field<NonNullGraphType<InvitedPersonGraphType>>(ResetPersonSignIn.OperationName)
            .Description("Clears a person's password and second factor and ends their sessions; answers a new invitation link, once.")
            .Argument<NonNullGraphType<ResetPersonSignInInput>>("input")
            .ResolveAsync(async c =>
            {
                var token = Secrets.Token(c.Caller().Organization);
                var command = Stamped(c, c.GetArgument<ResetPersonSignIn>("input")!) with { InvitationHash = Secrets.Hash(token) };
                await c.Send(command);
                return new InvitedPerson((await c.Load<Person>(command.PersonId))!, Link(c, token));
            });
        mutation.Field<NonNullGraphType<SecurityPolicyGraphType>>(UpdateSecurityPolicy.OperationName)
            .Description("Changes how the organization guards sign-in; fields left out keep their value.")
            .Argument<NonNullGraphType<UpdateSecurityPolicyInput>>("input")
            .ResolveAsync(async c =>
            {
                await c.Send(Stamped(c, c.GetArgument<UpdateSecurityPolicy>("input")!));
                await using var session = c.QuerySession();
                return await PeopleStore.PolicyInForce(session, c.CancellationToken);
            });
        mutation.Field<NonNullGraphType<CreatedApiKeyGraphType>>(CreateApiKey.OperationName)
            .Description("Makes an API key for an integrator or record system; answers the key, once.")
            .Argument<NonNullGraphType<CreateApiKeyInput>>("input")
            .ResolveAsync(async c =>
            {
                var key = ApiKeyHandler.NewKey(c.Caller().Organization);
                var command = Stamped(c, c.GetArgument<CreateApiKey>("input")!) with { ApiKeyId = Guid.CreateVersion7(), KeyHash = Secrets.Hash(key) };
                await c.Send(command);
                return new CreatedApiKey(key, (await c.Load<ApiKey>(command.ApiKeyId))!);
            });
        mutation.Command<RevokeApiKey, RevokeApiKeyInput, NonNullGraphType<ApiKeyGraphType>>(RevokeApiKey.OperationName,
            "Revokes an API key: refused from the next request on, on every node.", async (c, x) => await c.Load<ApiKey>(x.ApiKeyId), Stamped);
    }

    private static async Task<object?> Person(IResolveFieldContext context, Guid id) => await context.Load<Person>(id);
}
