using System.Text.RegularExpressions;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Episodes;

/// <summary>
/// Decides what one command on an episode means: the facts to append (with the alert rules' decisions
/// as facts of their own), nothing when the same command was already taken (a retry), or a rejection.
/// </summary>
public static partial class EpisodeDecisions
{
    /// <summary>Clocks of record systems drift; a time this far ahead of ours is still accepted.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);
    public const int MaxFreeTextLength = 2000;

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex PseudonymPattern();

    public static IReadOnlyList<object> Open(EpisodeOfCare? existing, EpisodeOpened opened, DateTimeOffset now)
    {
        if (!PseudonymPattern().IsMatch(opened.ClientId))
            throw ClinicalRejection.Invalid("clientId", "clientId must be a pseudonymous id of 1 to 64 letters, digits or . _ : - (never a name or record number).");
        NotInFuture("openedAt", opened.OpenedAt, now);
        if (existing is null)
            return [opened];
        var same = existing.SiteId == opened.SiteId && existing.TherapistId == opened.TherapistId
                   && existing.ClientId == opened.ClientId && existing.Population == opened.Population;
        return same ? [] : throw ClinicalRejection.Conflict("episodeId", "An episode with this id was already opened with other details.");
    }

    /// <summary>To an active therapist of the episode's own site (the directory's therapist as it stands, or null).</summary>
    public static IReadOnlyList<object> ReassignTherapist(EpisodeOfCare? episode, Directory.Therapist? to, DateTimeOffset now)
    {
        if (to is not { Active: true })
            throw ClinicalRejection.NotFound("therapistId", "No such active therapist.");
        if (episode is not null && episode.SiteId != to.SiteId)
            throw ClinicalRejection.Invalid("therapistId", "The therapist does not work at the episode's site.");
        var ep = Writable(episode);
        return ep.TherapistId == to.Id ? [] : [new TherapistReassigned(ep.Id, ep.TherapistId, to.Id, now)];
    }

    public static IReadOnlyList<object> RecordSession(EpisodeOfCare? episode, Guid sessionId, DateTimeOffset heldAt, DateTimeOffset now, AlertRuleSettings settings)
    {
        RequireId("sessionId", sessionId);
        var ep = Writable(episode);
        if (ep.Session(sessionId) is { } known)
            return known.HeldAt == heldAt ? [] : throw ClinicalRejection.Conflict("sessionId", "This session was already recorded with another heldAt.");
        NotInFuture("heldAt", heldAt, now);
        if (heldAt < ep.OpenedAt)
            throw ClinicalRejection.Invalid("heldAt", "heldAt is before the episode was opened.");

        var recorded = new SessionRecorded(ep.Id, sessionId, ep.Sessions.Count + 1, heldAt, now);
        var session = new CareSession(sessionId, recorded.SessionNumber, heldAt, now);
        return FactAndAlertEvents(ep, recorded, AlertRules.OnSessionRecorded(ep, session, settings), now);
    }

    public static IReadOnlyList<object> CancelSession(EpisodeOfCare? episode, Guid sessionId, DateTimeOffset now)
    {
        var ep = Writable(episode);
        var session = ep.Session(sessionId) ?? throw ClinicalRejection.NotFound("sessionId", "No such session in this episode.");
        if (session.Cancelled)
            return [];
        if (session.HasFeedback)
            throw ClinicalRejection.Conflict("sessionId", "A session with feedback was held and cannot be cancelled.");
        return [new SessionCancelled(ep.Id, sessionId, now)];
    }

    public static IReadOnlyList<object> SubmitSessionRating(EpisodeOfCare? episode, Guid sessionId, SessionRating rating, DateTimeOffset now, AlertRuleSettings settings)
    {
        var (ep, session) = HeldSession(episode, sessionId);
        if (session.Srs is { } earlier)
            return earlier == Fingerprint.Of(rating) ? [] : throw ClinicalRejection.Conflict("sessionId", "This session already has a different SRS.");
        var fact = new SessionRatingSubmitted(ep.Id, sessionId, session.Number, rating, rating.Total, rating.FlaggedItems(settings.SrsItemFlagBelow), now);
        return FactAndAlertEvents(ep, fact, AlertRules.OnSessionRating(ep, session, rating, settings), now);
    }

    public static IReadOnlyList<object> SubmitOutcomeRating(EpisodeOfCare? episode, Guid sessionId, OutcomeRating rating, DateTimeOffset now, AlertRuleSettings settings)
    {
        var (ep, session) = HeldSession(episode, sessionId);
        if (session.Ors is { } earlier)
            return earlier == Fingerprint.Of(rating) ? [] : throw ClinicalRejection.Conflict("sessionId", "This session already has a different ORS.");
        var change = ep.IntakeOrsTotal is { } intake
            ? OutcomeChangeIndex.Categorize(intake, rating.Total, settings.OrsCutoffFor(ep.Population), settings.OrsReliableChange)
            : (OutcomeChange?)null;
        var fact = new OutcomeRatingSubmitted(ep.Id, sessionId, session.Number, rating, rating.Total, change, now);
        return FactAndAlertEvents(ep, fact, AlertRules.OnOutcomeRating(ep, session, rating, settings), now);
    }

    public static IReadOnlyList<object> SubmitAllianceInventory(EpisodeOfCare? episode, Guid sessionId, IReadOnlyList<int>? items, DateTimeOffset now)
    {
        // The instrument is checked first: a malformed inventory is refused whatever the episode's state.
        var valid = WorkingAllianceInventory.ReadItems(items);
        var (ep, session) = HeldSession(episode, sessionId);
        if (session.WaiSr is { } earlier)
            return earlier == Fingerprint.Of(valid) ? [] : throw ClinicalRejection.Conflict("sessionId", "This session already has a different WAI-SR.");
        return [new AllianceInventorySubmitted(ep.Id, sessionId, session.Number, valid, WorkingAllianceInventory.Score(valid), now)];
    }

    public static IReadOnlyList<object> RecordGoalAgreement(EpisodeOfCare? episode, Guid goalId, string? description, bool agreedByClient, bool agreedByTherapist, DateTimeOffset now)
    {
        var text = FreeText("description", description);
        RequireId("goalId", goalId);
        var ep = Writable(episode);
        if (ep.Goals.FirstOrDefault(g => g.GoalId == goalId) is { } known)
        {
            return known.Fingerprint == Fingerprint.OfGoal(text) && known.AgreedByClient == agreedByClient && known.AgreedByTherapist == agreedByTherapist
                ? []
                : throw ClinicalRejection.Conflict("goalId", "This goal was already recorded with other content; revise it instead.");
        }
        var fact = new GoalAgreementRecorded(ep.Id, goalId, text, agreedByClient, agreedByTherapist, now);
        return FactAndAlertEvents(ep, fact, AlertRules.OnGoalsChanged(ep.When(fact)), now);
    }

    public static IReadOnlyList<object> ReviseGoal(EpisodeOfCare? episode, Guid goalId, string? description, bool agreedByClient, bool agreedByTherapist, DateTimeOffset now)
    {
        var text = FreeText("description", description);
        var ep = Writable(episode);
        var known = ep.Goals.FirstOrDefault(g => g.GoalId == goalId) ?? throw ClinicalRejection.NotFound("goalId", "No such goal in this episode.");
        if (known.Fingerprint == Fingerprint.OfGoal(text) && known.AgreedByClient == agreedByClient && known.AgreedByTherapist == agreedByTherapist)
            return [];
        var fact = new GoalRevised(ep.Id, goalId, text, agreedByClient, agreedByTherapist, now);
        return FactAndAlertEvents(ep, fact, AlertRules.OnGoalsChanged(ep.When(fact)), now);
    }

    public static IReadOnlyList<object> MarkGoalAchieved(EpisodeOfCare? episode, Guid goalId, DateTimeOffset now)
    {
        var ep = Writable(episode);
        var known = ep.Goals.FirstOrDefault(g => g.GoalId == goalId) ?? throw ClinicalRejection.NotFound("goalId", "No such goal in this episode.");
        return known.Achieved ? [] : [new GoalAchieved(ep.Id, goalId, now)];
    }

    public static IReadOnlyList<object> NoteRupture(EpisodeOfCare? episode, Guid? sessionId, string? note, DateTimeOffset now)
    {
        var text = FreeText("note", note);
        var ep = Writable(episode);
        if (sessionId is { } id && ep.Session(id) is null)
            throw ClinicalRejection.NotFound("sessionId", "No such session in this episode.");
        return [new RuptureNoted(ep.Id, sessionId, text, now)];
    }

    public static IReadOnlyList<object> Close(EpisodeOfCare? episode, EpisodeClosure reason, DateTimeOffset now)
    {
        var ep = episode ?? throw ClinicalRejection.NotFound("episodeId", "No such episode.");
        if (!ep.IsOpen)
            return ep.ClosedAs == reason ? [] : throw ClinicalRejection.Conflict("episodeId", "The episode is already closed.");
        return [new EpisodeClosed(ep.Id, reason, now)];
    }

    /// <summary>The scheduled check that one session's SRS arrived in time.</summary>
    public static IReadOnlyList<object> CheckFeedbackDue(EpisodeOfCare episode, Guid sessionId, DateTimeOffset now, AlertRuleSettings settings) =>
        FactAndAlertEvents(episode, null, AlertRules.OnFeedbackDue(episode, sessionId, now, settings), now);

    /// <summary>The scheduled check that an open episode still has sessions.</summary>
    public static IReadOnlyList<object> CheckContactDue(EpisodeOfCare episode, DateTimeOffset now, AlertRuleSettings settings) =>
        FactAndAlertEvents(episode, null, AlertRules.OnContactDue(episode, now, settings), now);

    /// <summary>Turns the rules' decisions into facts of the episode's stream, after the fact that caused them.</summary>
    public static IReadOnlyList<object> FactAndAlertEvents(EpisodeOfCare before, object? fact, IReadOnlyList<AlertDecision> decisions, DateTimeOffset now)
    {
        if (decisions.Count == 0)
            return fact is null ? [] : [fact];
        var events = new List<object>(decisions.Count + 1);
        if (fact is not null)
            events.Add(fact);
        foreach (var decision in decisions)
        {
            events.Add(decision switch
            {
                RaiseAlert r => new AlertRaised(
                    AlertIds.For(before.Id, r.Kind, before.AlertsRaised.GetValueOrDefault(r.Kind) + 1),
                    before.Id, before.SiteId, r.Kind, AlertSeverities.Of(r.Kind), r.SessionNumber, r.Evidence, r.RepairReference, now),
                AddOccurrence o => new AlertOccurrenceAdded(o.AlertId, before.Id, o.Kind, o.SessionNumber, o.Evidence, now),
                ClearAlert s => new AlertResolved(s.AlertId, before.Id, s.Kind, s.Resolution, s.Evidence, now),
                _ => throw new InvalidOperationException($"Unknown decision {decision.GetType().Name}"),
            });
        }
        return events;
    }

    private static EpisodeOfCare Writable(EpisodeOfCare? episode)
    {
        var ep = episode ?? throw ClinicalRejection.NotFound("episodeId", "No such episode.");
        return ep.IsOpen ? ep : throw ClinicalRejection.Conflict("episodeId", "The episode is closed: no new facts can be recorded.");
    }

    private static (EpisodeOfCare, CareSession) HeldSession(EpisodeOfCare? episode, Guid sessionId)
    {
        var ep = Writable(episode);
        var session = ep.Session(sessionId) ?? throw ClinicalRejection.NotFound("sessionId", "No such session in this episode; record the session first.");
        return session.Cancelled ? throw ClinicalRejection.Conflict("sessionId", "The session was cancelled.") : (ep, session);
    }

    private static void RequireId(string field, Guid id)
    {
        if (id == Guid.Empty)
            throw ClinicalRejection.Invalid(field, $"{field} is required (a UUID).");
    }

    private static void NotInFuture(string field, DateTimeOffset at, DateTimeOffset now)
    {
        if (at > now + ClockTolerance)
            throw ClinicalRejection.Invalid(field, $"{field} is in the future.");
    }

    private static string FreeText(string field, string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
            throw ClinicalRejection.Invalid(field, $"{field} is required.");
        if (trimmed.Length > MaxFreeTextLength)
            throw ClinicalRejection.Invalid(field, $"{field} is longer than {MaxFreeTextLength} characters.");
        return trimmed;
    }
}
