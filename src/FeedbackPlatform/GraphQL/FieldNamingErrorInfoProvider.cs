using System.Text.RegularExpressions;
using FeedbackPlatform.Clinical;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;

namespace FeedbackPlatform.GraphQL;

/// <summary>
/// Shapes every error to the API's contract: a stable `extensions.code` (VALIDATION_FAILED for anything wrong
/// with the request itself, with GraphQL.NET's specific code kept in `codes`) and `extensions.field` naming the
/// input field at fault where one can be named.
/// </summary>
public sealed partial class FieldNamingErrorInfoProvider : ErrorInfoProvider
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        executionError = UuidGraphType.Refusal(executionError) ?? executionError;
        var info = base.GetInfo(executionError);
        var extensions = info.Extensions ?? new Dictionary<string, object?>();
        var field = executionError.Data["field"] as string;
        if (executionError is ValidationError or SyntaxError or InvalidVariableError)
        {
            extensions["code"] = ErrorCodes.ValidationFailed;
            field ??= FieldIn(executionError.Message);
        }
        if (field is not null)
            extensions["field"] = field;
        extensions.Remove("data");
        info.Extensions = extensions;
        return info;
    }

    /// <summary>The innermost input field a GraphQL.NET validation message names.</summary>
    private static string? FieldIn(string message)
    {
        var named = FieldPattern().Matches(message);
        if (named.Count > 0)
            return named[^1].Groups["name"].Value;
        var variable = VariablePattern().Match(message);
        return variable.Success ? variable.Groups["path"].Value.Split('.')[^1] : null;
    }

    [GeneratedRegex("(?:In field|Missing required field|Argument) '(?<name>[_A-Za-z][_0-9A-Za-z]*)'")]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"Variable '\$(?<path>[_0-9A-Za-z.\[\]]+)'")]
    private static partial Regex VariablePattern();
}
