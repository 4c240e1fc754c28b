using FeedbackPlatform.Episodes;
using FeedbackPlatform.Clinical.FeedbackRequests;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.ClientFeedback;

/// <summary>A command about one feedback request; the gate checks the caller treats its episode.</summary>
public interface IFeedbackRequestCommand
{
    Guid RequestId { get; }
}

public sealed record RevokeFeedbackRequest : ApiCommand, IFeedbackRequestCommand
{
    public const string OperationName = "revokeFeedbackRequest";
    public override string Operation => OperationName;

    public Guid RequestId { get; init; }
    public string RevokedBy { get; init; } = "";
}

public static class RevokeFeedbackRequestHandler
{
    public static Task<(CommandOutcome, StreamFacts<FeedbackRequest>)> Handle(RevokeFeedbackRequest command, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Episodes.StreamDecisions.Decide<FeedbackRequest>(session, command.RequestId,
            request => FeedbackRequestDecisions.Revoke(request, command.RevokedBy, clock.GetUtcNow()), ct);
}

public sealed class RevokeFeedbackRequestInput : InputObjectGraphType<RevokeFeedbackRequest>
{
    public RevokeFeedbackRequestInput() => Field<NonNullGraphType<IdGraphType>>("requestId");
}

public sealed class RevokeFeedbackRequestMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<RevokeFeedbackRequest, RevokeFeedbackRequestInput, NonNullGraphType<FeedbackRequestGraphType>>(RevokeFeedbackRequest.OperationName,
            "Revokes a feedback request: its link no longer works.", async (c, x) => await c.Load<FeedbackRequest>(x.RequestId),
            (c, x) => x with { RevokedBy = c.CallerName() });
}
