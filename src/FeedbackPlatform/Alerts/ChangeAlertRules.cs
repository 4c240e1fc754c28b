using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;

namespace FeedbackPlatform.Alerts;

/// <summary>An admin's new thresholds for the organization; they apply from the next fact on.</summary>
public sealed record ChangeAlertRules : ApiCommand
{
    public const string OperationName = "updateAlertRules";
    public override string Operation => OperationName;

    public required AlertRuleSettings Settings { get; init; }
    public string ChangedBy { get; init; } = "admin";
}

public static class ChangeAlertRulesHandler
{
    public static Task<CommandOutcome> Handle(ChangeAlertRules c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var organizationId = PlatformSettings.OrganizationIdOf(session.TenantId);
        return EpisodeStream.Decide<OrganizationRules>(session, organizationId,
            current => DirectoryDecisions.ChangeAlertRules(current, organizationId, c.Settings, c.ChangedBy, clock.GetUtcNow()), ct);
    }
}
