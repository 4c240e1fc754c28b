using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Directory;

public sealed record RenameTherapist : ApiCommand
{
    public const string OperationName = "renameTherapist";
    public override string Operation => OperationName;

    public Guid TherapistId { get; init; }
    public string? DisplayName { get; init; }
}

public static class RenameTherapistHandler
{
    public static Task<(CommandOutcome, StreamFacts<Therapist>)> Handle(RenameTherapist c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide<Therapist>(session, c.TherapistId, t => DirectoryDecisions.RenameTherapist(t, c.DisplayName, clock.GetUtcNow()), ct);
}

public sealed class RenameTherapistInput : InputObjectGraphType<RenameTherapist>
{
    public RenameTherapistInput()
    {
        Field<NonNullGraphType<IdGraphType>>("therapistId");
        Field<NonNullGraphType<StringGraphType>>("displayName");
    }
}

public sealed class RenameTherapistMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RenameTherapist, RenameTherapistInput, NonNullGraphType<TherapistGraphType>>(RenameTherapist.OperationName, "Changes a therapist's display name.",
            async (c, x) => await c.Load<Therapist>(x.TherapistId));
}
