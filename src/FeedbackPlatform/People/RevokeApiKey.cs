using FeedbackPlatform.Clinical;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>An admin revokes a key: refused from the next request on, on every node (its hash is deleted).</summary>
public sealed record RevokeApiKey : PeopleCommand
{
    public const string OperationName = "revokeApiKey";
    public override string Operation => OperationName;

    public Guid ApiKeyId { get; init; }
}

public static class RevokeApiKeyHandler
{
    public static async Task<CommandOutcome> Handle(RevokeApiKey c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var key = await session.LoadAsync<ApiKey>(c.ApiKeyId, ct);
        if (key is null)
            return CommandOutcome.Rejected(ClinicalRejection.NotFound("apiKeyId", "No such API key."));
        if (key.RevokedAt is not null)
            return CommandOutcome.Accepted;
        var now = clock.GetUtcNow();
        key.RevokedAt = now;
        session.Store(key);
        // Every node looks the key up by its hash on each request: without the lookup, the key opens nothing.
        session.Delete<ApiKeyHash>(key.KeyHash);
        session.Store(SecurityEvent.Of(SecurityEventKind.ApiKeyRevoked, now, c.ClientAddress, apiKeyId: key.Id, by: c.By));
        return CommandOutcome.Accepted;
    }
}

public sealed class RevokeApiKeyInput : InputObjectGraphType<RevokeApiKey>
{
    public RevokeApiKeyInput() => Field<NonNullGraphType<IdGraphType>>("apiKeyId");
}

public sealed class RevokeApiKeyMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RevokeApiKey, RevokeApiKeyInput, NonNullGraphType<ApiKeyGraphType>>(RevokeApiKey.OperationName,
            "Revokes an API key: refused from the next request on, on every node.", async (c, x) => await c.Load<ApiKey>(x.ApiKeyId), PeopleChanges.Stamped);
}
