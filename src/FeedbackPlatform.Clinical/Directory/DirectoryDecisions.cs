namespace FeedbackPlatform.Clinical.Directory;

/// <summary>Decisions on the directory: idempotent on retries, CONFLICT when an id is reused for something else.</summary>
public static class DirectoryDecisions
{
    public const int MaxNameLength = 200;

    public static IReadOnlyList<object> RegisterSite(Site? existing, Guid siteId, string? name, string? timeZone, DateTimeOffset now)
    {
        var clean = Name("name", name);
        var zone = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            throw ClinicalRejection.Invalid("timeZone", $"Unknown time zone '{zone}'; use an IANA name such as Europe/Berlin.");
        if (existing is null)
            return [new SiteRegistered(siteId, clean, zone, now)];
        return existing.Name == clean && existing.TimeZone == zone
            ? []
            : throw ClinicalRejection.Conflict("siteId", "A site with this id is already registered with other details.");
    }

    public static IReadOnlyList<object> RenameSite(Site? site, string? name, DateTimeOffset now)
    {
        var clean = Name("name", name);
        var s = site ?? throw ClinicalRejection.NotFound("siteId", "No such site.");
        return s.Name == clean ? [] : [new SiteRenamed(s.Id, clean, now)];
    }

    public static IReadOnlyList<object> DeactivateSite(Site? site, DateTimeOffset now)
    {
        var s = site ?? throw ClinicalRejection.NotFound("siteId", "No such site.");
        return s.Active ? [new SiteDeactivated(s.Id, now)] : [];
    }

    public static IReadOnlyList<object> AssignDirector(Site? site, Guid directorId, string? displayName, DateTimeOffset now)
    {
        var clean = Name("displayName", displayName);
        if (directorId == Guid.Empty)
            throw ClinicalRejection.Invalid("directorId", "directorId is required (a UUID).");
        var s = ActiveSite(site);
        return s.Directors.Any(d => d.DirectorId == directorId && d.DisplayName == clean)
            ? []
            : [new ClinicalDirectorAssigned(s.Id, directorId, clean, now)];
    }

    public static IReadOnlyList<object> UnassignDirector(Site? site, Guid directorId, DateTimeOffset now)
    {
        var s = site ?? throw ClinicalRejection.NotFound("siteId", "No such site.");
        return s.Directors.Any(d => d.DirectorId == directorId) ? [new ClinicalDirectorUnassigned(s.Id, directorId, now)] : [];
    }

    public static IReadOnlyList<object> RegisterTherapist(Therapist? existing, Site? site, Guid therapistId, string? displayName, DateTimeOffset now)
    {
        var clean = Name("displayName", displayName);
        var s = ActiveSite(site);
        if (existing is null)
            return [new TherapistRegistered(therapistId, s.Id, clean, now)];
        return existing.SiteId == s.Id && existing.DisplayName == clean
            ? []
            : throw ClinicalRejection.Conflict("therapistId", "A therapist with this id is already registered with other details.");
    }

    public static IReadOnlyList<object> RenameTherapist(Therapist? therapist, string? displayName, DateTimeOffset now)
    {
        var clean = Name("displayName", displayName);
        var t = therapist ?? throw ClinicalRejection.NotFound("therapistId", "No such therapist.");
        return t.DisplayName == clean ? [] : [new TherapistRenamed(t.Id, clean, now)];
    }

    public static IReadOnlyList<object> DeactivateTherapist(Therapist? therapist, DateTimeOffset now)
    {
        var t = therapist ?? throw ClinicalRejection.NotFound("therapistId", "No such therapist.");
        return t.Active ? [new TherapistDeactivated(t.Id, now)] : [];
    }

    /// <summary>A new episode needs an active site and an active therapist who works there.</summary>
    public static void EnsureCanTakeEpisode(Site? site, Therapist? therapist)
    {
        ActiveSite(site);
        if (therapist is null || !therapist.Active)
            throw ClinicalRejection.NotFound("therapistId", "No such active therapist.");
        if (therapist.SiteId != site!.Id)
            throw ClinicalRejection.Invalid("therapistId", "The therapist does not work at this site.");
    }

    public static IReadOnlyList<object> ChangeAlertRules(OrganizationRules? current, Guid organizationId, Alerts.AlertRuleSettings settings, string changedBy, DateTimeOffset now)
    {
        var valid = settings.Validated();
        return current?.Settings == valid ? [] : [new AlertRulesChanged(organizationId, valid, changedBy, now)];
    }

    private static Site ActiveSite(Site? site)
    {
        if (site is null || !site.Active)
            throw ClinicalRejection.NotFound("siteId", "No such active site.");
        return site;
    }

    private static string Name(string field, string? value)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
            throw ClinicalRejection.Invalid(field, $"{field} is required.");
        if (trimmed.Length > MaxNameLength)
            throw ClinicalRejection.Invalid(field, $"{field} is longer than {MaxNameLength} characters.");
        return trimmed;
    }
}
