using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Alerts;

/// <summary>
/// The alert rules of docs/clinical-rules.md as one pure function per kind of fact:
/// (episode state before the fact, the fact, the organization's settings) → decisions.
/// For each kind an open alert is first checked for resolution, then the raise rule is checked;
/// a trigger that meets an open alert of its kind adds an occurrence instead of a second alert.
/// </summary>
public static class AlertRules
{
    public static IReadOnlyList<AlertDecision> OnSessionRating(EpisodeOfCare before, CareSession session, SessionRating rating, AlertRuleSettings settings)
    {
        var total = RatingScale.Round(rating.Total);
        List<AlertDecision>? decisions = null;

        var low = settings.IsLowAlliance(total);
        var lowAlliance = before.OpenAlert(AlertKind.LowAlliance);
        if (lowAlliance is not null && !low)
        {
            Resolve(ref decisions, lowAlliance, AlertResolution.Recovered, $"SRS total {total} is back at or over {settings.SrsClinicalCutoff}");
            lowAlliance = null;
        }
        if (low)
            Raise(ref decisions, lowAlliance, AlertKind.LowAlliance, session.Number, $"SRS total {total} is under the cutoff {settings.SrsClinicalCutoff}");

        var previous = before.LastSrsTotal is { } p ? RatingScale.Round(p) : (decimal?)null;
        var drop = before.OpenAlert(AlertKind.AllianceDrop);
        if (drop is { RepairReference: { } reference } && total >= reference)
        {
            Resolve(ref decisions, drop, AlertResolution.Repaired, $"SRS total {total} is back to the {reference} it had before the drop");
            drop = null;
        }
        if (previous is { } prev && total <= prev - settings.SrsDropPoints)
            Raise(ref decisions, drop, AlertKind.AllianceDrop, session.Number,
                $"SRS total {total} fell from {prev} by {prev - total} (drop threshold {settings.SrsDropPoints})", repairReference: prev);

        // The SRS that was missing has arrived: resolve once no session the alert waits for lacks one.
        if (before.OpenAlert(AlertKind.MissingFeedback) is { } missing && !StillMissing(before, missing, session.SessionId))
            Resolve(ref decisions, missing, AlertResolution.Recovered, $"The SRS of session {session.Number} arrived");
        return (IReadOnlyList<AlertDecision>?)decisions ?? [];
    }

    public static IReadOnlyList<AlertDecision> OnOutcomeRating(EpisodeOfCare before, CareSession session, OutcomeRating rating, AlertRuleSettings settings)
    {
        // The first ORS of the episode is the intake: nothing to compare it with.
        if (before.IntakeOrsTotal is not { } intakeTotal)
            return [];

        var total = RatingScale.Round(rating.Total);
        var intake = RatingScale.Round(intakeTotal);
        var rci = settings.OrsReliableChange;
        var cutoff = settings.OrsCutoffFor(before.Population);
        var orsNumber = before.OrsCount + 1;
        List<AlertDecision>? decisions = null;

        var deteriorated = total <= intake - rci;
        var deterioration = before.OpenAlert(AlertKind.OutcomeDeterioration);
        if (deterioration is not null && !deteriorated)
        {
            Resolve(ref decisions, deterioration, AlertResolution.Recovered, $"ORS total {total} is above intake {intake} minus {rci}");
            deterioration = null;
        }
        if (deteriorated)
            Raise(ref decisions, deterioration, AlertKind.OutcomeDeterioration, session.Number, $"ORS total {total} is at or below intake {intake} minus {rci}");

        var notOnTrack = before.OpenAlert(AlertKind.NotOnTrack);
        if (notOnTrack is not null && (total >= intake + rci || total >= cutoff))
        {
            Resolve(ref decisions, notOnTrack, AlertResolution.Recovered, $"ORS total {total} reached intake {intake} plus {rci} or the cutoff {cutoff}");
            notOnTrack = null;
        }
        if (orsNumber >= settings.NotOnTrackFromOrs && total < intake + rci && total < cutoff)
            Raise(ref decisions, notOnTrack, AlertKind.NotOnTrack, session.Number,
                $"ORS {orsNumber}: total {total} is under intake {intake} plus {rci} and under the cutoff {cutoff}");
        return (IReadOnlyList<AlertDecision>?)decisions ?? [];
    }

    /// <summary>Called with the state before the session and the session as it will be recorded.</summary>
    public static IReadOnlyList<AlertDecision> OnSessionRecorded(EpisodeOfCare before, CareSession session, AlertRuleSettings settings)
    {
        List<AlertDecision>? decisions = null;
        if (before.OpenAlert(AlertKind.DisengagementRisk) is { } disengaged)
            Resolve(ref decisions, disengaged, AlertResolution.Recovered, $"Session {session.Number} was recorded");

        var held = before.SessionsHeld + 1;
        if (held >= settings.GoalConsensusBySession && !before.HasAgreedGoal)
            Raise(ref decisions, before.OpenAlert(AlertKind.NoGoalConsensus), AlertKind.NoGoalConsensus, session.Number,
                $"Session {session.Number} was recorded and no goal is agreed by both client and therapist");
        return (IReadOnlyList<AlertDecision>?)decisions ?? [];
    }

    /// <summary>Called with the state after a goal changed: consensus resolves NO_GOAL_CONSENSUS.</summary>
    public static IReadOnlyList<AlertDecision> OnGoalsChanged(EpisodeOfCare after) =>
        after.OpenAlert(AlertKind.NoGoalConsensus) is { } open && after.HasAgreedGoal
            ? [new ClearAlert(open.AlertId, AlertKind.NoGoalConsensus, AlertResolution.Recovered, "A goal is agreed by both client and therapist")]
            : [];

    /// <summary>
    /// The scheduled check for one session's SRS. Nothing is decided when the condition is gone
    /// (the SRS arrived, the session was cancelled, the episode closed) or the time has not come.
    /// </summary>
    public static IReadOnlyList<AlertDecision> OnFeedbackDue(EpisodeOfCare state, Guid sessionId, DateTimeOffset now, AlertRuleSettings settings)
    {
        if (!state.IsOpen || state.Session(sessionId) is not { HasSessionRating: false, Cancelled: false } session)
            return [];
        if (now < session.FeedbackClockStart + settings.MissingFeedbackAfter)
            return [];
        if (state.OpenAlert(AlertKind.MissingFeedback) is { } open && open.Sessions.Contains(sessionId))
            return [];
        return [RaiseOrRepeat(state.OpenAlert(AlertKind.MissingFeedback), AlertKind.MissingFeedback, session.Number,
            $"No SRS for session {session.Number} within {settings.MissingFeedbackAfter.TotalHours} hours", sessionId: session.SessionId)];
    }

    /// <summary>The scheduled check for contact on an open episode.</summary>
    public static IReadOnlyList<AlertDecision> OnContactDue(EpisodeOfCare state, DateTimeOffset now, AlertRuleSettings settings)
    {
        if (!state.IsOpen || state.OpenAlert(AlertKind.DisengagementRisk) is not null)
            return [];
        if (now < state.LastContact + settings.DisengagementAfter)
            return [];
        return [new RaiseAlert(AlertKind.DisengagementRisk, null,
            $"No session for {settings.DisengagementAfter.TotalDays} days")];
    }

    // The rules decide per kind: an open alert whose condition is gone is resolved first, then a trigger raises an
    // alert or, when one of its kind is still open, adds an occurrence to it. The evidence is written only for a
    // decision taken, and no list is made for a fact that decides nothing (most facts; the alert simulation folds tens
    // of thousands of them per call).
    private static void Resolve(ref List<AlertDecision>? decisions, OpenAlert open, AlertResolution resolution, string evidence) =>
        (decisions ??= new List<AlertDecision>(2)).Add(new ClearAlert(open.AlertId, open.Kind, resolution, evidence));

    private static void Raise(ref List<AlertDecision>? decisions, OpenAlert? open, AlertKind kind, int sessionNumber, string evidence, decimal? repairReference = null) =>
        (decisions ??= new List<AlertDecision>(2)).Add(RaiseOrRepeat(open, kind, sessionNumber, evidence, repairReference));

    // Does the alert still wait for an SRS of another session (held, not cancelled) once this one's has come?
    private static bool StillMissing(EpisodeOfCare before, OpenAlert missing, Guid arrived)
    {
        foreach (var id in missing.Sessions)
        {
            if (id != arrived && before.Session(id) is { HasSessionRating: false, Cancelled: false })
                return true;
        }
        return false;
    }

    private static AlertDecision RaiseOrRepeat(OpenAlert? open, AlertKind kind, int sessionNumber, string evidence, decimal? repairReference = null, Guid? sessionId = null) =>
        open is null
            ? new RaiseAlert(kind, sessionNumber, evidence, repairReference, sessionId)
            : new AddOccurrence(open.AlertId, kind, sessionNumber, evidence, sessionId);
}
