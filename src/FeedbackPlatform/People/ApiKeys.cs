
namespace FeedbackPlatform.People;

/// <summary>
/// Keys for integrators and record systems: `fp_{organization}_{random}`, shown once, stored by their hash. A key
/// acts with the role, sites and scope it was made with; clinicians sign in themselves (a key has no therapist).
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "fp_";

    public static string NewKey(string organization) => Prefix + Secrets.Token(organization, '_');

    public static string? OrganizationOf(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) ? Secrets.OrganizationOf(key, Prefix.Length, '_') : null;
}
