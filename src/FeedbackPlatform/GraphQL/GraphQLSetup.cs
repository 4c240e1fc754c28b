using GraphQL;
using GraphQL.Execution;

namespace FeedbackPlatform.GraphQL;

public static class GraphQLSetup
{
    public static IServiceCollection AddFeedbackGraphQL(this IServiceCollection services)
    {
        services.AddGraphQL(b => b
            .AddSchema<FeedbackSchema>()
            .AddGraphTypes(typeof(FeedbackSchema).Assembly)
            .AddSystemTextJson()
            .AddErrorInfoProvider<FieldNamingErrorInfoProvider>());
        return services;
    }

    public static void MapFeedbackGraphQL(this WebApplication app)
    {
        app.Map("/graphql", GraphQLHttpEndpoint.Handle);
    }
}

/// <summary>Adds `extensions.field` to errors that name the input field at fault.</summary>
public sealed class FieldNamingErrorInfoProvider : ErrorInfoProvider
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        if (executionError.Data["field"] is string field)
        {
            var extensions = info.Extensions ?? new Dictionary<string, object?>();
            extensions["field"] = field;
            extensions.Remove("data");
            info.Extensions = extensions;
        }
        return info;
    }
}
