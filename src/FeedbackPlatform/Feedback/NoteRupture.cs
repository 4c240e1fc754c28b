using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Feedback;

/// <summary>A clinician's own observation of a rupture in the alliance, optionally tied to a session.</summary>
public sealed record NoteRupture : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "noteRupture";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid? SessionId { get; init; }
    public string? Note { get; init; }
}

public static class NoteRuptureHandler
{
    public static Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(NoteRupture command, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        StreamDecisions.Decide(session, command,
            episode => EpisodeDecisions.NoteRupture(episode, command.SessionId, command.Note, clock.GetUtcNow()), ct);
}

public sealed class NoteRuptureInput : InputObjectGraphType<NoteRupture>
{
    public NoteRuptureInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<IdGraphType>("sessionId");
        Field<NonNullGraphType<StringGraphType>>("note");
    }
}

public sealed class NoteRuptureMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<NoteRupture, NoteRuptureInput, NonNullGraphType<EpisodeGraphType>>(NoteRupture.OperationName,
            "Records a clinician's observation of an alliance rupture.",
            (c, x) => EpisodeHistory.AfterCommand(c, x.EpisodeId));
}
