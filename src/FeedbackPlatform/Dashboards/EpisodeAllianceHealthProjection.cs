using FeedbackPlatform.Clinical.Episodes;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// The episode's small read model. Every case changes a figure, a count or what is open, never appends history, so
/// the document stays the same size whatever the episode's length (the history is <see cref="EpisodeSessionProjection"/>'s
/// and <see cref="EpisodeGoalProjection"/>'s).
/// </summary>
public partial class EpisodeAllianceHealthProjection : SingleStreamProjection<EpisodeAllianceHealth, Guid>
{
    public override EpisodeAllianceHealth? Evolve(EpisodeAllianceHealth? view, Guid id, IEvent e)
    {
        if (view is null)
        {
            return e.Data is EpisodeOpened o
                ? new EpisodeAllianceHealth
                {
                    Id = o.EpisodeId, SiteId = o.SiteId, TherapistId = o.TherapistId, ClientId = o.ClientId, Population = o.Population,
                    EpisodeStatus = EpisodeStatus.Open, OpenedAt = o.OpenedAt, RecordedAt = o.RecordedAt,
                }
                : null;
        }

        switch (e.Data)
        {
            case TherapistReassigned r:
                view.TherapistId = r.ToTherapistId;
                break;
            case SessionRecorded s:
                view.SessionsHeld++;
                view.LastSessionAt = view.LastSessionAt is { } last && last > s.HeldAt ? last : s.HeldAt;
                Remember(view, new HeldSession(s.SessionId, s.HeldAt));
                break;
            case SessionCancelled c:
                // The core cancels only a session without feedback, once: no SRS count changes.
                view.SessionsHeld--;
                view.LatestHeldSessions.RemoveAll(s => s.SessionId == c.SessionId);
                if (view.SessionsHeld == 0)
                    view.LastSessionAt = null;
                else if (view.LatestHeldSessions.Count > 0)
                    view.LastSessionAt = view.LatestHeldSessions[0].HeldAt;
                break;
            case SessionRatingSubmitted srs:
                view.SessionsWithSrs++;
                view.LatestSessionRating = srs.Rating;
                view.LatestSrsTotal = srs.Total;
                view.SrsFlaggedItems = srs.FlaggedItems.ToList();
                break;
            case OutcomeRatingSubmitted ors:
                view.IntakeOrsTotal ??= ors.Total;
                view.LatestOutcomeRating = ors.Rating;
                view.LatestOrsTotal = ors.Total;
                view.OrsChange = ors.Change;
                break;
            case AllianceInventorySubmitted wai:
                view.LatestAllianceInventory = wai.Scores;
                break;
            case GoalAgreementRecorded g:
                Agreement(view, g.GoalId, g.AgreedByClient && g.AgreedByTherapist);
                break;
            case GoalRevised g:
                Agreement(view, g.GoalId, g.AgreedByClient && g.AgreedByTherapist);
                break;
            case RuptureNoted:
                view.RupturesNoted++;
                break;
            case EpisodeClosed c:
                view.EpisodeStatus = EpisodeStatus.Closed;
                view.ClosedAs = c.Reason;
                view.ClosedAt = c.ClosedAt;
                break;
            case AlertRaised a:
                view.OpenAlerts.Add(new OpenAlert(a.AlertId, a.Kind, a.Severity));
                break;
            case AlertResolved a:
                view.OpenAlerts.RemoveAll(x => x.AlertId == a.AlertId);
                break;
        }
        return view;
    }

    /// <summary>Keeps the latest held sessions by held-at (ties: the one recorded first stays first), at most a few.</summary>
    private static void Remember(EpisodeAllianceHealth view, HeldSession session)
    {
        var at = view.LatestHeldSessions.FindIndex(s => s.HeldAt < session.HeldAt);
        view.LatestHeldSessions.Insert(at < 0 ? view.LatestHeldSessions.Count : at, session);
        if (view.LatestHeldSessions.Count > EpisodeAllianceHealth.HeldSessionsRemembered)
            view.LatestHeldSessions.RemoveRange(EpisodeAllianceHealth.HeldSessionsRemembered, view.LatestHeldSessions.Count - EpisodeAllianceHealth.HeldSessionsRemembered);
    }

    private static void Agreement(EpisodeAllianceHealth view, Guid goalId, bool agreedByBoth)
    {
        view.AgreedGoals.Remove(goalId);
        if (agreedByBoth)
            view.AgreedGoals.Add(goalId);
    }
}
