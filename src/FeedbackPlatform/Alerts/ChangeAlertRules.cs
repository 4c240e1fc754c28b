using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;

namespace FeedbackPlatform.Alerts;

/// <summary>An admin's new thresholds for the organization; they apply from the next fact on.</summary>
public sealed record ChangeAlertRules : ClinicCommand
{
    public required AlertRuleSettings Settings { get; init; }
    public string ChangedBy { get; init; } = "admin";
}

public static class ChangeAlertRulesHandler
{
    public static Task<CommandOutcome> Handle(ChangeAlertRules c, IDocumentSession session, PlatformSettings platform, TimeProvider clock, CancellationToken ct) =>
        EpisodeStream.Decide<OrganizationRules>(session, platform.OrganizationId,
            current => DirectoryDecisions.ChangeAlertRules(current, platform.OrganizationId, c.Settings, c.ChangedBy, clock.GetUtcNow()), ct);
}
