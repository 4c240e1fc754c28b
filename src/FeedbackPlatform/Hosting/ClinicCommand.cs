using FeedbackPlatform.Clinical;

namespace FeedbackPlatform.Hosting;

/// <summary>
/// Base of every message the platform's handlers take: the commands callers send (<see cref="ApiCommand"/>, and a
/// client's answer through a feedback link), the follow-up checks and the notification messages (notices,
/// deliveries, digests). Wolverine logs a failed message with its ToString(): sealing it to the type name keeps
/// scores, goals and notes out of logs whatever fails.
/// </summary>
public abstract record ClinicCommand
{
    public sealed override string ToString() => GetType().Name;

    /// <summary>
    /// Who sent it, set by the command gate; null for the platform's own messages (follow-up checks, notices).
    /// Handlers that load the object anyway check the caller's scope on it (no second read); never serialized.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore, global::GraphQL.Ignore]
    public Clinical.Access.Caller? Caller { get; init; }
}

/// <summary>
/// A command a caller sends through the API (a GraphQL mutation, a REST route): it names its operation once, the
/// constant OperationName of its use case, by which the mutation field is registered and the access policy's table
/// is keyed. The command gate asks the policy for exactly this name.
/// </summary>
public abstract record ApiCommand : ClinicCommand
{
    [System.Text.Json.Serialization.JsonIgnore]
    public abstract string Operation { get; }
}

/// <summary>
/// What a command handler answers. A rejection is an answer to the caller, not a failure of the platform:
/// it is returned, so Wolverine neither retries it nor logs it as an error.
/// </summary>
public sealed record CommandOutcome(string? Code = null, string? Field = null, string? Message = null)
{
    public static readonly CommandOutcome Accepted = new();
    public bool IsAccepted => Code is null;
    public static CommandOutcome Rejected(ClinicalRejection r) => new(r.Code, r.Field, r.Message);
}
