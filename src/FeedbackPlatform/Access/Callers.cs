using System.Security.Claims;
using FeedbackPlatform.Clinical.Access;

namespace FeedbackPlatform.Access;

/// <summary>Reads the caller out of a validated token.</summary>
public static class Callers
{
    private const string ItemKey = "FeedbackPlatform.Caller";

    public static Caller? Read(ClaimsPrincipal principal, out string? problem)
    {
        problem = null;
        var subject = principal.FindFirst(ClaimNames.Subject)?.Value;
        var organization = principal.FindFirst(ClaimNames.Organization)?.Value;
        var roleText = principal.FindFirst(ClaimNames.Role)?.Value;
        if (string.IsNullOrWhiteSpace(subject) || string.IsNullOrWhiteSpace(organization))
        {
            problem = "The token must carry sub and org.";
            return null;
        }
        // The organization is the tenant id in the store: a short key, not free text.
        if (!IsOrganizationKey(organization))
        {
            problem = "The org claim must be a key of at most 64 letters, digits, '-', '_' or '.'.";
            return null;
        }
        if (!Enum.TryParse<Role>(roleText, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(roleText, out _))
        {
            problem = "The token's role must be clinician, director, integrator or admin.";
            return null;
        }
        var sites = new HashSet<Guid>();
        foreach (var site in principal.FindAll(ClaimNames.Site))
        {
            if (!Guid.TryParse(site.Value, out var id))
            {
                problem = "Every site claim must be a UUID.";
                return null;
            }
            sites.Add(id);
        }
        Guid? therapist = null;
        if (principal.FindFirst(ClaimNames.Therapist)?.Value is { } t)
        {
            if (!Guid.TryParse(t, out var id))
            {
                problem = "The therapist claim must be a UUID.";
                return null;
            }
            therapist = id;
        }
        if (role == Role.Clinician && therapist is null)
        {
            problem = "A clinician's token must carry their therapist id.";
            return null;
        }
        var freeText = principal.FindAll(ClaimNames.Scope).SelectMany(s => s.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(ClaimNames.FreeTextScope);
        return new Caller(subject, role, organization, sites, therapist, freeText);
    }

    /// <summary>An organization's key (the tenant id): at most 64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsOrganizationKey(string? organization) =>
        organization is { Length: > 0 and <= 64 } && organization.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.');

    /// <summary>The authenticated caller of this request (the endpoints require one).</summary>
    public static Caller Caller(this HttpContext http)
    {
        if (http.Items[ItemKey] is Caller known)
            return known;
        var caller = Read(http.User, out _) ?? throw new InvalidOperationException("The request has no authenticated caller.");
        http.Items[ItemKey] = caller;
        return caller;
    }
}
