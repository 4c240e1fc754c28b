namespace FeedbackPlatform.Clinical;

/// <summary>Stable error codes shared by every transport (GraphQL extensions.code, REST problem type).</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
}

/// <summary>
/// A fact the clinic sent that the rules refuse. It names the offending input field so that a
/// form or an integrator can point at it; nothing is stored when one is thrown.
/// </summary>
public sealed class ClinicalRejection(string code, string field, string message) : Exception(message)
{
    public string Code { get; } = code;
    public string Field { get; } = field;

    /// <summary>
    /// The same rejection about an item of a larger input: `sessions[2]` + `heldAt` is `sessions[2].heldAt`. The
    /// episode itself (and an empty path) stays as it is.
    /// </summary>
    public ClinicalRejection UnderPath(string path) =>
        path.Length == 0 || Field == "episodeId" ? this : new ClinicalRejection(Code, $"{path}.{Field}", Message);

    /// <summary>Reads part of a larger input; a rejection of it names the part.</summary>
    public static T NamingPath<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ClinicalRejection rejection)
        {
            throw rejection.UnderPath(path);
        }
    }

    public static ClinicalRejection Invalid(string field, string message) => new(ErrorCodes.ValidationFailed, field, message);
    public static ClinicalRejection NotFound(string field, string message) => new(ErrorCodes.NotFound, field, message);
    public static ClinicalRejection Conflict(string field, string message) => new(ErrorCodes.Conflict, field, message);
}
