using FeedbackPlatform.Feedback;
using FeedbackPlatform.Goals;
using GraphQL.Types;

namespace FeedbackPlatform.Episodes;

/// <summary>
/// The mutations of an episode's record, in the order of an episode's life: its own (Episodes/), the client's
/// feedback and the clinician's observations (Feedback/), its goals (Goals/), then its closing. All of them decide on
/// the one episode stream; what an episode shows is the dashboards' (Dashboards/).
/// </summary>
public static class EpisodeFields
{
    public static void AddTo(ObjectGraphType query, ObjectGraphType mutation)
    {
        OpenEpisodeMutation.AddTo(mutation);
        ImportEpisodeHistoryMutation.AddTo(mutation);
        ReassignTherapistMutation.AddTo(mutation);
        RecordSessionMutation.AddTo(mutation);
        CancelSessionMutation.AddTo(mutation);
        SubmitSessionRatingMutation.AddTo(mutation);
        SubmitOutcomeRatingMutation.AddTo(mutation);
        SubmitAllianceInventoryMutation.AddTo(mutation);
        RecordGoalAgreementMutation.AddTo(mutation);
        ReviseGoalMutation.AddTo(mutation);
        MarkGoalAchievedMutation.AddTo(mutation);
        NoteRuptureMutation.AddTo(mutation);
        CloseEpisodeMutation.AddTo(mutation);
    }
}
