namespace FeedbackPlatform.Access;

/// <summary>The claims of our tokens, as they arrive (inbound claim mapping is off).</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Organization = "org";
    public const string Site = "site";
    public const string Therapist = "therapist";
    public const string Scope = "scope";
    /// <summary>The scope that lets an integrator read free text (goal descriptions, notes).</summary>
    public const string FreeTextScope = "free-text";
}
