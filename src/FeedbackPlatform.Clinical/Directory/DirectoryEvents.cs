using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Alerts;

namespace FeedbackPlatform.Clinical.Directory;

// The organization (the tenant) has sites; a site has therapists and clinical directors.
// One stream per site, per therapist, and one for the organization's settings.

public sealed record SiteRegistered(Guid SiteId, string Name, string TimeZone, DateTimeOffset RegisteredAt);
public sealed record SiteRenamed(Guid SiteId, string Name, DateTimeOffset RenamedAt);
public sealed record SiteDeactivated(Guid SiteId, DateTimeOffset DeactivatedAt);
public sealed record ClinicalDirectorAssigned(Guid SiteId, Guid DirectorId, string DisplayName, DateTimeOffset AssignedAt);
public sealed record ClinicalDirectorUnassigned(Guid SiteId, Guid DirectorId, DateTimeOffset UnassignedAt);

public sealed record TherapistRegistered(Guid TherapistId, Guid SiteId, string DisplayName, DateTimeOffset RegisteredAt);
public sealed record TherapistRenamed(Guid TherapistId, string DisplayName, DateTimeOffset RenamedAt);
public sealed record TherapistDeactivated(Guid TherapistId, DateTimeOffset DeactivatedAt);

public sealed record AlertRulesChanged(Guid OrganizationId, AlertRuleSettings Settings, string ChangedBy, DateTimeOffset ChangedAt);

public sealed record ClinicalDirector(Guid DirectorId, string DisplayName);

public sealed record Site : ISiteScoped
{
    public Guid Id { get; init; }
    Guid ISiteScoped.SiteId => Id;
    public string Name { get; init; } = "";
    public string TimeZone { get; init; } = "UTC";
    public bool Active { get; init; } = true;
    public IReadOnlyList<ClinicalDirector> Directors { get; init; } = [];

    public static Site From(SiteRegistered e) => new() { Id = e.SiteId, Name = e.Name, TimeZone = e.TimeZone };

    public Site When(object fact) => fact switch
    {
        SiteRenamed e => this with { Name = e.Name },
        SiteDeactivated => this with { Active = false },
        ClinicalDirectorAssigned e => this with { Directors = [.. Directors.Where(d => d.DirectorId != e.DirectorId), new ClinicalDirector(e.DirectorId, e.DisplayName)] },
        ClinicalDirectorUnassigned e => this with { Directors = Directors.Where(d => d.DirectorId != e.DirectorId).ToList() },
        _ => this,
    };
}

public sealed record Therapist : ITherapistScoped
{
    public Guid Id { get; init; }
    Guid ITherapistScoped.TherapistId => Id;
    public Guid SiteId { get; init; }
    public string DisplayName { get; init; } = "";
    public bool Active { get; init; } = true;

    public static Therapist From(TherapistRegistered e) => new() { Id = e.TherapistId, SiteId = e.SiteId, DisplayName = e.DisplayName };

    public Therapist When(object fact) => fact switch
    {
        TherapistRenamed e => this with { DisplayName = e.DisplayName },
        TherapistDeactivated => this with { Active = false },
        _ => this,
    };
}

/// <summary>The rules an organization works under; the defaults until an admin changes them.</summary>
public sealed record OrganizationRules
{
    public Guid Id { get; init; }
    public AlertRuleSettings Settings { get; init; } = AlertRuleSettings.Defaults;
    public DateTimeOffset? ChangedAt { get; init; }

    public static OrganizationRules From(AlertRulesChanged e) => new() { Id = e.OrganizationId, Settings = e.Settings, ChangedAt = e.ChangedAt };

    public OrganizationRules When(object fact) => fact switch
    {
        AlertRulesChanged e => this with { Settings = e.Settings, ChangedAt = e.ChangedAt },
        _ => this,
    };
}
