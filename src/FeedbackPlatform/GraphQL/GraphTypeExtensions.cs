using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace FeedbackPlatform.GraphQL;

/// <summary>Small helpers that keep the schema declarations one line per field.</summary>
public static class GraphTypeExtensions
{
    /// <summary>
    /// Declares a mutation that takes one `input:` argument, runs its Wolverine handler, then answers. Its name is the
    /// command's operation (its OperationName).
    /// </summary>
    public static void Command<TCommand, TInput, TResult>(this ObjectGraphType mutation, string name, string description,
        Func<IResolveFieldContext, TCommand, Task<object?>> answer, Func<IResolveFieldContext, TCommand, TCommand>? prepare = null)
        where TCommand : ApiCommand
        where TInput : IInputObjectGraphType
        where TResult : IGraphType
    {
        mutation.Field<TResult>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInput>>("input")
            .ResolveAsync(async context =>
            {
                var command = context.GetArgument<TCommand>("input")!;
                if (prepare is not null)
                    command = prepare(context, command);
                // The answer may be what the command's own commit stored (Dashboards/CommittedEpisodes).
                using var watching = Dashboards.CommittedEpisodes.Watch();
                await context.Send(command);
                return await answer(context, command);
            });
    }

    /// <summary>Who is calling (from their token).</summary>
    public static Caller Caller(this IResolveFieldContext context) =>
        context.UserContext is CallerContext known ? known.Caller : context.RequestServices!.GetRequiredService<RequestCaller>().Current;

    /// <summary>Who did it, as recorded on what people do to alerts: the token's subject.</summary>
    public static string CallerName(this IResolveFieldContext context) => context.Caller().Subject;

    /// <summary>Runs the command through the access gate and its Wolverine handler; a refusal becomes a GraphQL error naming the field.</summary>
    public static async Task Send(this IResolveFieldContext context, ApiCommand command)
    {
        var gate = context.RequestServices!.GetRequiredService<CommandGate>();
        var outcome = await gate.Run(context.Caller(), command, context.CancellationToken);
        if (!outcome.IsAccepted)
            throw new ExecutionError(outcome.Message ?? outcome.Code!) { Code = outcome.Code, Data = { ["field"] = outcome.Field } };
    }

    /// <summary>A read-only session in the caller's organization; each resolver has its own, so parallel fields never share a connection.</summary>
    public static IQuerySession QuerySession(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IDocumentStore>().QuerySession(context.Caller().Organization);

    /// <summary>A short read of one document in the caller's organization.</summary>
    public static async Task<T?> Load<T>(this IResolveFieldContext context, Guid id) where T : notnull
    {
        await using var session = context.QuerySession();
        return await session.LoadAsync<T>(id, context.CancellationToken);
    }

    /// <summary>An ID argument: the ID scalar (UuidGraphType) has refused anything but a UUID before any resolver runs.</summary>
    public static Guid IdArgument(this IResolveFieldContext context, string name = "id") => context.GetArgument<Guid>(name);

    /// <summary>An ID argument that may be left out.</summary>
    public static Guid? OptionalIdArgument(this IResolveFieldContext context, string name) => context.GetArgument<Guid?>(name);
}
