using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.Directory;

public sealed record DeactivateTherapist : ApiCommand
{
    public const string OperationName = "deactivateTherapist";
    public override string Operation => OperationName;

    public Guid TherapistId { get; init; }
}

public static class DeactivateTherapistHandler
{
    public static Task<(CommandOutcome, StreamFacts<Therapist>)> Handle(DeactivateTherapist c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide<Therapist>(session, c.TherapistId, t => DirectoryDecisions.DeactivateTherapist(t, clock.GetUtcNow()), ct);
}

/// <summary>The command's own fields, one to one.</summary>
public sealed class DeactivateTherapistInput : AutoRegisteringInputObjectGraphType<DeactivateTherapist>
{
    public DeactivateTherapistInput() => Name = "DeactivateTherapistInput";
}

public sealed class DeactivateTherapistMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<DeactivateTherapist, DeactivateTherapistInput, NonNullGraphType<TherapistGraphType>>(DeactivateTherapist.OperationName, "Deactivates a therapist: no new episodes.",
            async (c, x) => await c.Load<Therapist>(x.TherapistId));
}
