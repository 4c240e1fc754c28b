using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Episodes;

/// <summary>A goal as the record system it comes from has it.</summary>
public sealed record GoalHistory(Guid GoalId, string? Description, bool AgreedByClient, bool AgreedByTherapist);

/// <summary>A session held, with the ratings the client gave at it (either may be missing).</summary>
public sealed record SessionHistory(Guid SessionId, DateTimeOffset HeldAt, SessionRating? SessionRating, OutcomeRating? OutcomeRating);

public static partial class EpisodeDecisions
{
    public const int MaxImportedGoals = 20;
    public const int MaxImportedSessions = 200;

    /// <summary>
    /// An episode's history brought over from another record system in one go: the decisions of opening, agreeing
    /// goals, recording sessions and taking their ratings, in the order the facts happened, each on the state the
    /// earlier ones left, exactly as if each had been sent by itself now. So the rules raise (and clear) the alerts
    /// they would have, and every clock starts now, never in the past. A rejection names the offending item
    /// (`sessions[3].sessionRating.overall`) and nothing is recorded. Sent again, an import already recorded
    /// decides nothing, as any retried command.
    /// </summary>
    public static IReadOnlyList<object> ImportHistory(EpisodeOfCare? existing, EpisodeOpened opened, IReadOnlyList<GoalHistory> goals,
        IReadOnlyList<SessionHistory> sessions, EpisodeClosure? closedAs, DateTimeOffset now, AlertRuleSettings settings)
    {
        EnsureImportable(goals.Count, sessions.Count);
        for (var i = 1; i < sessions.Count; i++)
        {
            // Sessions are numbered in the order they are recorded: the import records them in the order held.
            if (sessions[i].HeldAt < sessions[i - 1].HeldAt)
                throw ClinicalRejection.Invalid($"sessions[{i}].heldAt", "List the sessions in the order they were held.");
        }
        if (existing is { IsOpen: false })
            return AlreadyImportedAndClosed(existing, goals, sessions, closedAs)
                ? []
                : throw ClinicalRejection.Conflict("episodeId", "The episode is closed: no new facts can be recorded.");

        var events = new List<object>();
        var state = existing;
        void DecideAt(string path, Func<EpisodeOfCare?, IReadOnlyList<object>> decision)
        {
            foreach (var e in ClinicalRejection.NamingPath(path, () => decision(state)))
            {
                events.Add(e);
                state = EpisodeOfCare.Evolve(state, e);
            }
        }

        DecideAt("", s => Open(s, opened, now));
        for (var i = 0; i < goals.Count; i++)
        {
            var goal = goals[i];
            DecideAt($"goals[{i}]", s => RecordGoalAgreement(s, goal.GoalId, goal.Description, goal.AgreedByClient, goal.AgreedByTherapist, now));
        }
        for (var i = 0; i < sessions.Count; i++)
        {
            var session = sessions[i];
            DecideAt($"sessions[{i}]", s => RecordSession(s, session.SessionId, session.HeldAt, now, settings));
            if (session.SessionRating is { } srs)
                DecideAt($"sessions[{i}].sessionRating", s => SubmitSessionRating(s, session.SessionId, srs, now, settings));
            if (session.OutcomeRating is { } ors)
                DecideAt($"sessions[{i}].outcomeRating", s => SubmitOutcomeRating(s, session.SessionId, ors, now, settings));
        }
        if (closedAs is { } reason)
            DecideAt("", s => Close(s, reason, now));
        return events;
    }

    /// <summary>The size of one import, checked before any item of it is read.</summary>
    public static void EnsureImportable(int goals, int sessions)
    {
        if (goals > MaxImportedGoals)
            throw ClinicalRejection.Invalid("goals", $"At most {MaxImportedGoals} goals per import.");
        if (sessions > MaxImportedSessions)
            throw ClinicalRejection.Invalid("sessions", $"At most {MaxImportedSessions} sessions per import; import the rest with recordSession.");
    }

    /// <summary>A closed episode takes no new facts; the same import sent again finds everything in place.</summary>
    private static bool AlreadyImportedAndClosed(EpisodeOfCare closed, IReadOnlyList<GoalHistory> goals, IReadOnlyList<SessionHistory> sessions, EpisodeClosure? closedAs) =>
        closed.ClosedAs == closedAs
        && goals.All(g => closed.Goals.Any(known => known.GoalId == g.GoalId))
        && sessions.All(s => closed.Session(s.SessionId) is { } known && known.HeldAt == s.HeldAt
                             && (s.SessionRating is null || known.Srs == Fingerprint.Of(s.SessionRating))
                             && (s.OutcomeRating is null || known.Ors == Fingerprint.Of(s.OutcomeRating)));
}
