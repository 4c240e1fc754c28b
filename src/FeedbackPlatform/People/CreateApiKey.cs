using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>An admin makes a key for an integrator or record system; the resolver makes the key, the command carries its hash.</summary>
public sealed record CreateApiKey : PeopleCommand
{
    public const string OperationName = "createApiKey";
    public override string Operation => OperationName;

    public Guid ApiKeyId { get; init; }
    public string? Name { get; init; }
    public Role Role { get; init; }
    public Guid[]? Sites { get; init; }
    public string[]? Scope { get; init; }
    /// <summary>The hash of the key the resolver made (the key itself goes only to the caller).</summary>
    public string KeyHash { get; init; } = "";
}

public static class CreateApiKeyHandler
{
    public const int MaxNameLength = 200;

    public static async Task<CommandOutcome> Handle(CreateApiKey c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var name = c.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
            return CommandOutcome.Rejected(ClinicalRejection.Invalid("name", $"name must be 1 to {MaxNameLength} characters."));
        if (c.Role == Role.Clinician || !Enum.IsDefined(c.Role))
            return CommandOutcome.Rejected(ClinicalRejection.Invalid("role", "A key acts as a DIRECTOR, INTEGRATOR or ADMIN; clinicians sign in themselves."));
        var sites = (c.Sites ?? []).Distinct().ToList();
        if (sites.Count > Clinical.People.PeopleDecisions.MaxSites || sites.Contains(Guid.Empty))
            return CommandOutcome.Rejected(ClinicalRejection.Invalid("sites", $"At most {Clinical.People.PeopleDecisions.MaxSites} site UUIDs."));
        if (c.Role == Role.Director && sites.Count == 0)
            return CommandOutcome.Rejected(ClinicalRejection.Invalid("sites", "A director's key works at one site at least."));
        var scope = (c.Scope ?? []).Distinct().ToList();
        if (scope.Any(s => s != ClaimNames.FreeTextScope))
            return CommandOutcome.Rejected(ClinicalRejection.Invalid("scope", $"The only scope is {ClaimNames.FreeTextScope}."));
        if (c.KeyHash.Length != 64)
            throw new InvalidOperationException("A key needs its hash.");
        if (await session.LoadAsync<ApiKey>(c.ApiKeyId, ct) is not null)
            return CommandOutcome.Rejected(ClinicalRejection.Conflict("apiKeyId", "This key exists already."));
        var now = clock.GetUtcNow();
        session.Store(new ApiKey { Id = c.ApiKeyId, KeyHash = c.KeyHash, Name = name, Role = c.Role, Sites = sites, Scope = scope, CreatedBy = c.By, CreatedAt = now });
        session.Store(new ApiKeyHash { Id = c.KeyHash, ApiKeyId = c.ApiKeyId });
        session.Store(SecurityEvent.Of(SecurityEventKind.ApiKeyCreated, now, c.ClientAddress, apiKeyId: c.ApiKeyId, by: c.By));
        return CommandOutcome.Accepted;
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

public sealed class CreateApiKeyMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<CreatedApiKeyGraphType>>(CreateApiKey.OperationName)
            .Description("Makes an API key for an integrator or record system; answers the key, once.")
            .Argument<NonNullGraphType<CreateApiKeyInput>>("input")
            .ResolveAsync(async c =>
            {
                var key = ApiKeys.NewKey(c.Caller().Organization);
                var command = PeopleChanges.Stamped(c, c.GetArgument<CreateApiKey>("input")!) with { ApiKeyId = Guid.CreateVersion7(), KeyHash = Secrets.Hash(key) };
                await c.Send(command);
                return new CreatedApiKey(key, (await c.Load<ApiKey>(command.ApiKeyId))!);
            });
}
