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
        var decisions = new List<AlertDecision>();

        Evaluate(decisions, before, AlertKind.LowAlliance, session.Number,
            resolves: open => !settings.IsLowAlliance(total),
            resolution: AlertResolution.Recovered,
            resolvedBecause: () => $"SRS total {total} is back at or over {settings.SrsClinicalCutoff}",
            raises: settings.IsLowAlliance(total),
            raisedBecause: () => $"SRS total {total} is under the cutoff {settings.SrsClinicalCutoff}");

        var previous = before.LastSrsTotal is { } p ? RatingScale.Round(p) : (decimal?)null;
        Evaluate(decisions, before, AlertKind.AllianceDrop, session.Number,
            resolves: open => open.RepairReference is { } reference && total >= reference,
            resolution: AlertResolution.Repaired,
            resolvedBecause: () => $"SRS total {total} is back to the {before.OpenAlert(AlertKind.AllianceDrop)?.RepairReference} it had before the drop",
            raises: previous is { } prev && total <= prev - settings.SrsDropPoints,
            raisedBecause: () => $"SRS total {total} fell from {previous} by {previous - total} (drop threshold {settings.SrsDropPoints})",
            repairReference: previous);

        // The SRS that was missing has arrived: resolve once no session the alert waits for lacks one.
        if (before.OpenAlert(AlertKind.MissingFeedback) is { } missing)
        {
            var stillMissing = missing.Sessions.Where(id => id != session.SessionId && before.Session(id) is { HasSessionRating: false, Cancelled: false });
            if (!stillMissing.Any())
                decisions.Add(new ClearAlert(missing.AlertId, AlertKind.MissingFeedback, AlertResolution.Recovered,
                    $"The SRS of session {session.Number} arrived"));
        }
        return decisions;
    }

    public static IReadOnlyList<AlertDecision> OnOutcomeRating(EpisodeOfCare before, CareSession session, OutcomeRating rating, AlertRuleSettings settings)
    {
        var decisions = new List<AlertDecision>();
        // The first ORS of the episode is the intake: nothing to compare it with.
        if (before.IntakeOrsTotal is not { } intakeTotal)
            return decisions;

        var total = RatingScale.Round(rating.Total);
        var intake = RatingScale.Round(intakeTotal);
        var rci = settings.OrsReliableChange;
        var cutoff = settings.OrsCutoffFor(before.Population);
        var orsNumber = before.OrsCount + 1;

        Evaluate(decisions, before, AlertKind.OutcomeDeterioration, session.Number,
            resolves: _ => total > intake - rci,
            resolution: AlertResolution.Recovered,
            resolvedBecause: () => $"ORS total {total} is above intake {intake} minus {rci}",
            raises: total <= intake - rci,
            raisedBecause: () => $"ORS total {total} is at or below intake {intake} minus {rci}");

        Evaluate(decisions, before, AlertKind.NotOnTrack, session.Number,
            resolves: _ => total >= intake + rci || total >= cutoff,
            resolution: AlertResolution.Recovered,
            resolvedBecause: () => $"ORS total {total} reached intake {intake} plus {rci} or the cutoff {cutoff}",
            raises: orsNumber >= settings.NotOnTrackFromOrs && total < intake + rci && total < cutoff,
            raisedBecause: () => $"ORS {orsNumber}: total {total} is under intake {intake} plus {rci} and under the cutoff {cutoff}");
        return decisions;
    }

    /// <summary>Called with the state before the session and the session as it will be recorded.</summary>
    public static IReadOnlyList<AlertDecision> OnSessionRecorded(EpisodeOfCare before, CareSession session, AlertRuleSettings settings)
    {
        var decisions = new List<AlertDecision>();
        if (before.OpenAlert(AlertKind.DisengagementRisk) is { } disengaged)
            decisions.Add(new ClearAlert(disengaged.AlertId, AlertKind.DisengagementRisk, AlertResolution.Recovered,
                $"Session {session.Number} was recorded"));

        var held = before.SessionsHeld + 1;
        if (held >= settings.GoalConsensusBySession && !before.HasAgreedGoal)
            decisions.Add(RaiseOrRepeat(before, AlertKind.NoGoalConsensus, session.Number,
                $"Session {session.Number} was recorded and no goal is agreed by both client and therapist"));
        return decisions;
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
        return [RaiseOrRepeat(state, AlertKind.MissingFeedback, session.Number,
            $"No SRS for session {session.Number} within {settings.MissingFeedbackAfter.TotalHours} hours", session.SessionId)];
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

    private static void Evaluate(
        List<AlertDecision> decisions, EpisodeOfCare before, AlertKind kind, int sessionNumber,
        Func<OpenAlert, bool> resolves, AlertResolution resolution, Func<string> resolvedBecause,
        bool raises, Func<string> raisedBecause, decimal? repairReference = null)
    {
        // The evidence is written only for a decision taken: most facts decide nothing, and the alert simulation
        // folds tens of thousands of them per call.
        var open = before.OpenAlert(kind);
        if (open is not null && resolves(open))
        {
            decisions.Add(new ClearAlert(open.AlertId, kind, resolution, resolvedBecause()));
            open = null;
        }
        if (!raises)
            return;
        decisions.Add(open is null
            ? new RaiseAlert(kind, sessionNumber, raisedBecause(), repairReference)
            : new AddOccurrence(open.AlertId, kind, sessionNumber, raisedBecause()));
    }

    private static AlertDecision RaiseOrRepeat(EpisodeOfCare state, AlertKind kind, int sessionNumber, string evidence, Guid? sessionId = null) =>
        state.OpenAlert(kind) is { } open
            ? new AddOccurrence(open.AlertId, kind, sessionNumber, evidence, sessionId)
            : new RaiseAlert(kind, sessionNumber, evidence, null, sessionId);
}
