using System.Text;
using System.Text.Json;
using FeedbackPlatform.Clinical;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FeedbackPlatform.GraphQL;

/// <summary>
/// GraphQL over HTTP as the GraphQL-over-HTTP specification words it: POST with application/json, GET for
/// queries only, content negotiation between application/graphql-response+json and application/json with
/// the status codes the specification gives for each, and the preflight header against CSRF on requests a
/// browser could send cross-site without asking.
/// </summary>
public static class GraphQLHttpEndpoint
{
    public const string GraphQLResponse = "application/graphql-response+json";
    public const string Json = "application/json";
    public const string PreflightHeader = "GraphQL-Require-Preflight";
    public const int MaxDocumentLength = 100_000;

    /// <summary>Why a request is answered without running it: the status, the error's code and message, and the methods to offer.</summary>
    private sealed record Refusal(int Status, string Code, string Message, string? Field = null, string? Allow = null);

    public static async Task Handle(HttpContext http, IDocumentExecuter executer, ISchema schema, IGraphQLTextSerializer serializer)
    {
        var eventStream = ServerSentEvents.Wanted(http.Request);
        var mediaType = eventStream ? Json : Negotiate(http.Request.Headers.Accept);
        if (mediaType is null)
        {
            await Refuse(http, serializer, Json, new Refusal(StatusCodes.Status406NotAcceptable, "NOT_ACCEPTABLE",
                $"Accept must allow {GraphQLResponse} or {Json}."));
            return;
        }
        var (request, refusal) = await ReadRequest(http, serializer, eventStream);
        if (refusal is not null)
        {
            await Refuse(http, serializer, mediaType, refusal);
            return;
        }

        // Authentication ran before this endpoint (it requires an authenticated caller); everything below asks the policy about this one.
        var caller = Access.Callers.Caller(http);
        http.RequestServices.GetRequiredService<Access.RequestCaller>().Current = caller;
        using var activity = Hosting.Telemetry.Source.StartActivity("graphql.execute");
        var result = await Execute(http, executer, schema, request!, caller);
        if (activity is not null && result.Operation is { } operation)
        {
            // The operation type and the root fields the schema defines: not the client's names or values.
            activity.SetTag("graphql.operation.type", operation.Operation.ToString().ToLowerInvariant());
            activity.SetTag("graphql.fields", string.Join(',', operation.SelectionSet.Selections.OfType<GraphQLField>().Select(f => f.Name.StringValue).Distinct()));
            activity.SetTag("graphql.errors", result.Errors?.Count ?? 0);
        }
        await Answer(http, serializer, mediaType, eventStream, result);
    }

    /// <summary>
    /// The request as the method carries it: GET in the query string (queries only, and only with the preflight
    /// header), POST in a JSON body; anything else is refused.
    /// </summary>
    private static async Task<(GraphQLRequest? Request, Refusal? Refusal)> ReadRequest(HttpContext http, IGraphQLTextSerializer serializer, bool eventStream)
    {
        if (HttpMethods.IsGet(http.Request.Method))
        {
            if (StringValues.IsNullOrEmpty(http.Request.Headers[PreflightHeader]))
                return (null, new Refusal(StatusCodes.Status400BadRequest, "CSRF_PREFLIGHT_REQUIRED",
                    $"GET requests need a non-empty {PreflightHeader} header (CSRF protection)."));
            var request = ReadQueryString(http.Request.Query, serializer, out var problem);
            if (request is null)
                return (null, new Refusal(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, problem!));
            if (!eventStream && !IsQueryOperation(request.Query!, request.OperationName))
                return (null, new Refusal(StatusCodes.Status405MethodNotAllowed, "METHOD_NOT_ALLOWED", "Mutations and subscriptions need POST.", Allow: "POST"));
            return (request, null);
        }
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!IsJson(http.Request.ContentType))
                return (null, new Refusal(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", $"POST bodies must be {Json}."));
            var (request, problem, field) = await ReadBody(http, serializer);
            return request is null
                ? (null, new Refusal(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, problem!, field))
                : (request, null);
        }
        return (null, new Refusal(StatusCodes.Status405MethodNotAllowed, "METHOD_NOT_ALLOWED", "Use POST, or GET for queries.", Allow: "GET, POST"));
    }

    private static Task<ExecutionResult> Execute(HttpContext http, IDocumentExecuter executer, ISchema schema, GraphQLRequest request, Clinical.Access.Caller caller) =>
        executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = schema,
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            RequestServices = http.RequestServices,
            User = http.User,
            UserContext = new CallerContext(caller),
            CancellationToken = http.RequestAborted,
        });

    /// <summary>The executed request's answer: a database outage as a whole, then (once what was read is on record) the stream or the result.</summary>
    private static async Task Answer(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, bool eventStream, ExecutionResult result)
    {
        // A field that failed because the database is down fails the request as a whole: 503, send it again.
        if (result.Errors?.Any(e => Hosting.DatabaseOutage.IsOutage(e.InnerException)) == true && !eventStream)
        {
            await Hosting.DatabaseOutage.Answer(http);
            return;
        }
        // What was read is on record before the answer leaves.
        await http.RequestServices.GetRequiredService<Access.AccessLog>().Flush(http.RequestAborted);

        if (eventStream && result.Executed)
        {
            await ServerSentEvents.Stream(http, result, serializer);
            return;
        }
        if (!eventStream && result.Streams is { Count: > 0 })
        {
            await Refuse(http, serializer, mediaType, new Refusal(StatusCodes.Status406NotAcceptable, "NOT_ACCEPTABLE",
                $"Subscriptions are served as Server-Sent Events: send Accept: {ServerSentEvents.MediaType}."));
            return;
        }

        // application/graphql-response+json: a request that never executed (syntax, validation, variable
        // coercion) is a 400; application/json: any well-formed GraphQL response is a 200.
        http.Response.StatusCode = mediaType == GraphQLResponse && !result.Executed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    /// <summary>Picks the response media type; null when the client accepts neither GraphQL media type.</summary>
    public static string? Negotiate(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept))
            return Json;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges))
            return Json;
        string? best = null;
        double bestQuality = 0;
        foreach (var range in ranges)
        {
            var quality = range.Quality ?? 1.0;
            if (quality <= 0)
                continue;
            string? candidate = range.MediaType.Value?.ToLowerInvariant() switch
            {
                GraphQLResponse => GraphQLResponse,
                Json => Json,
                // A client that accepts anything may predate graphql-response+json: answer in plain JSON.
                "application/*" or "*/*" => Json,
                _ => null,
            };
            if (candidate is null)
                continue;
            if (quality > bestQuality || (quality == bestQuality && candidate == GraphQLResponse))
            {
                best = candidate;
                bestQuality = quality;
            }
        }
        return best;
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && string.Equals(parsed.MediaType.Value, Json, StringComparison.OrdinalIgnoreCase)
        && (parsed.Charset.Value is null || string.Equals(parsed.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase));

    private static GraphQLRequest? ReadQueryString(IQueryCollection query, IGraphQLTextSerializer serializer, out string? problem)
    {
        problem = null;
        var text = query["query"].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "The query parameter is required.";
            return null;
        }
        try
        {
            return new GraphQLRequest
            {
                Query = text,
                OperationName = query["operationName"] is { Count: > 0 } op && op.ToString().Length > 0 ? op.ToString() : null,
                Variables = query["variables"] is { Count: > 0 } v && v.ToString().Length > 0 ? serializer.Deserialize<Inputs>(v.ToString()) : null,
                Extensions = query["extensions"] is { Count: > 0 } e && e.ToString().Length > 0 ? serializer.Deserialize<Inputs>(e.ToString()) : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            problem = "variables and extensions must be JSON objects.";
            return null;
        }
    }

    private static async Task<(GraphQLRequest?, string?, string?)> ReadBody(HttpContext http, IGraphQLTextSerializer serializer)
    {
        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync(http.RequestAborted);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, "The body must be a JSON object with a query.", null);
            if (!root.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(query.GetString()))
                return (null, "query is required and must be a string.", null);
            if (query.GetString()!.Length > MaxDocumentLength)
                return (null, $"The GraphQL document is longer than {MaxDocumentLength} characters.", null);
            foreach (var (name, kinds) in new[] { ("variables", JsonValueKind.Object), ("extensions", JsonValueKind.Object), ("operationName", JsonValueKind.String) })
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind != kinds && value.ValueKind != JsonValueKind.Null)
                    return (null, $"{name} must be {(kinds == JsonValueKind.String ? "a string" : "an object")} or null.", null);
            }
            if (root.TryGetProperty("variables", out var variables) && UnreadableNumber(variables, null) is { } field)
                return (null, $"{field} {ExactNumberLiterals.Unreadable}.", field);
            return (serializer.Deserialize<GraphQLRequest>(body), null, null);
        }
        catch (JsonException)
        {
            return (null, "The body is not valid JSON.", null);
        }
    }

    /// <summary>
    /// The name of the first variable field holding a JSON number not taken as written (ExactNumberLiterals), or null.
    /// GraphQL.NET reads -1e-400 and 1e-300 as 0 and 4.50000000000000001 as 4.5: values nobody sent, that every range
    /// check would let through.
    /// </summary>
    private static string? UnreadableNumber(JsonElement element, string? name)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return ExactNumberLiterals.ReadsAsWritten(element.GetRawText()) ? null : name ?? "variables";
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    if (UnreadableNumber(property.Value, property.Name) is { } field)
                        return field;
                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (UnreadableNumber(item, name) is { } field)
                        return field;
                return null;
            default:
                return null;
        }
    }

    /// <summary>GET may only run queries; a document that does not parse is left to the executer to report.</summary>
    private static bool IsQueryOperation(string query, string? operationName)
    {
        GraphQLDocument document;
        try
        {
            document = GraphQLParser.Parser.Parse(query);
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException)
        {
            return true;
        }
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var selected = operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name?.StringValue == operationName);
        return selected is null || selected.Operation == OperationType.Query;
    }

    private static async Task Refuse(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, Refusal refusal)
    {
        if (refusal.Allow is not null)
            http.Response.Headers.Allow = refusal.Allow;
        http.Response.StatusCode = refusal.Status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        var error = new ExecutionError(refusal.Message) { Code = refusal.Code };
        if (refusal.Field is not null)
            error.Data["field"] = refusal.Field;
        var result = new ExecutionResult { Errors = [error] };
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}
