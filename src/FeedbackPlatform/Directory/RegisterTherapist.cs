using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;
using FeedbackPlatform.Access;
using FeedbackPlatform.Ingestion;
using Wolverine.Http;

namespace FeedbackPlatform.Directory;

public sealed record RegisterTherapist : ApiCommand
{
    public const string OperationName = "registerTherapist";
    public override string Operation => OperationName;

    public Guid TherapistId { get; init; }
    public Guid SiteId { get; init; }
    public string? DisplayName { get; init; }
}

public static class RegisterTherapistHandler
{
    public static async Task<(CommandOutcome, StreamFacts<Therapist>)> Handle(RegisterTherapist c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var site = await session.LoadAsync<Site>(c.SiteId, ct);
        return await StreamDecisions.Decide<Therapist>(session, c.TherapistId,
            therapist => DirectoryDecisions.RegisterTherapist(therapist, site, c.TherapistId, c.DisplayName, clock.GetUtcNow()), ct);
    }
}

public sealed class RegisterTherapistInput : InputObjectGraphType<RegisterTherapist>
{
    public RegisterTherapistInput()
    {
        Field<NonNullGraphType<IdGraphType>>("therapistId");
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<StringGraphType>>("displayName");
    }
}

public sealed class RegisterTherapistMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RegisterTherapist, RegisterTherapistInput, NonNullGraphType<TherapistGraphType>>(RegisterTherapist.OperationName, "Registers a therapist at a site.",
            async (c, x) => await c.Load<Therapist>(x.TherapistId));
}

public static class RegisterTherapistEndpoint
{
    [WolverinePost("/api/therapists"), Tags(RestCommand.Tag), EndpointSummary("Register a therapist at a site")]
    public static Task<IResult> Post(RegisterTherapist command, HttpContext http, CommandGate gate, CancellationToken ct) => RestCommand.Send(http, gate, command, ct);
}
