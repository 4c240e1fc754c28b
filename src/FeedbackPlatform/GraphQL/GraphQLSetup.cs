using GraphQL;
using GraphQL.Validation.Rules.Custom;

namespace FeedbackPlatform.GraphQL;

public static class GraphQLSetup
{
    public const int MaxDepth = 20;
    public const int MaxComplexity = 250_000;

    public static IServiceCollection AddFeedbackGraphQL(this IServiceCollection services)
    {
        services.AddSingleton<DocumentCache>();
        services.AddScoped<BatchLoader>();
        services.AddGraphQL(b => b
            .AddSchema<FeedbackSchema>()
            .AddFeedbackScalars()
            .AddGraphTypes(typeof(FeedbackSchema).Assembly)
            .AddSystemTextJson()
            .AddErrorInfoProvider<FieldNamingErrorInfoProvider>()
            .AddValidationRule<ExactNumberLiterals>()
            // GraphQL.NET's own spans; never the document text, which may carry free text in literals.
            .UseTelemetry((global::GraphQL.Telemetry.GraphQLTelemetryOptions o) => o.RecordDocument = false)
            // The access policy on every field (Access/AccessMiddleware).
            .UseMiddleware<Access.AccessMiddleware>()
            // Refused before anything runs: documents nested deeper than MaxDepth or heavier than MaxComplexity
            // (each list counts as 20 of its items) — enough for every dashboard and for introspection.
            .AddComplexityAnalyzer(o =>
            {
                o.MaxDepth = MaxDepth;
                o.MaxComplexity = MaxComplexity;
                // Introspection is bounded by the schema itself; tools must always be able to read the contract.
                o.ValidateComplexityDelegate = context =>
                {
                    if (context.ValidationContext.Operation.SelectionSet.Selections.All(s => s is GraphQLParser.AST.GraphQLField f && f.Name.StringValue.StartsWith("__")))
                        context.Error = null;
                    return Task.CompletedTask;
                };
            })
            .ConfigureExecution(async (options, next) =>
            {
                var cache = options.RequestServices!.GetRequiredService<DocumentCache>();
                var cached = options.Document is null && options.Query is { } query && cache.TryGet(query, out var document)
                    && (options.Document = document) is not null;
                // A cached document passed every rule when it was first run: only the complexity rule runs again, since
                // it weighs a list by its `first`, which the variables can change. The variables themselves are coerced
                // and checked by their types on every request.
                if (cached)
                    options.ValidationRules = [.. options.CachedDocumentValidationRules ?? [], .. (options.ValidationRules ?? []).OfType<ComplexityValidationRule>()];
                var result = await next(options);
                if (!cached && result.Executed && result.Document is { } parsed && options.Query is { } text)
                    cache.Remember(text, parsed);
                return result;
            }));
        return services;
    }

    public static void MapFeedbackGraphQL(this WebApplication app)
    {
        app.Map("/graphql", GraphQLHttpEndpoint.Handle).RequireAuthorization();
    }
}
