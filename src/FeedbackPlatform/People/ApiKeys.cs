using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Hosting;
using Marten;

namespace FeedbackPlatform.People;

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

public sealed record RevokeApiKey : PeopleCommand
{
    public const string OperationName = "revokeApiKey";
    public override string Operation => OperationName;

    public Guid ApiKeyId { get; init; }
}

/// <summary>
/// Keys for integrators and record systems: `fp_{organization}_{random}`, shown once, stored by their hash. A key
/// acts with the role, sites and scope it was made with; clinicians sign in themselves (a key has no therapist).
/// </summary>
public static class ApiKeyHandler
{
    public const string Prefix = "fp_";
    public const int MaxNameLength = 200;

    public static string NewKey(string organization) => Prefix + Secrets.Token(organization, '_');

    public static string? OrganizationOf(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) ? Secrets.OrganizationOf(key, Prefix.Length, '_') : null;

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
