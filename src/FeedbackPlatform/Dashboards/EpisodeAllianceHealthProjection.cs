using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.Dashboards;

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
                view.Sessions.Add(new SessionSummary(s.SessionId, s.SessionNumber, s.HeldAt, false, false, false, false));
                view.LastSessionAt = view.LastSessionAt is { } last && last > s.HeldAt ? last : s.HeldAt;
                break;
            case SessionCancelled c:
                UpdateSession(view, c.SessionId, s => s with { Cancelled = true });
                view.LastSessionAt = view.Sessions.Where(s => !s.Cancelled).Select(s => (DateTimeOffset?)s.HeldAt).Max();
                break;
            case SessionRatingSubmitted srs:
                UpdateSession(view, srs.SessionId, s => s with { HasSessionRating = true, SessionRating = srs.Rating });
                view.LatestSessionRating = srs.Rating;
                view.LatestSrsTotal = srs.Total;
                view.SrsFlaggedItems = srs.FlaggedItems.ToList();
                view.SrsSeries.Add(new ScorePoint(srs.SessionNumber, srs.Total, srs.SubmittedAt));
                break;
            case OutcomeRatingSubmitted ors:
                UpdateSession(view, ors.SessionId, s => s with { HasOutcomeRating = true, OutcomeRating = ors.Rating });
                view.IntakeOrsTotal ??= ors.Total;
                view.LatestOutcomeRating = ors.Rating;
                view.LatestOrsTotal = ors.Total;
                view.OrsChange = ors.Change;
                view.OrsSeries.Add(new ScorePoint(ors.SessionNumber, ors.Total, ors.SubmittedAt));
                break;
            case AllianceInventorySubmitted wai:
                UpdateSession(view, wai.SessionId, s => s with { HasAllianceInventory = true, AllianceInventory = wai.Scores });
                view.LatestAllianceInventory = wai.Scores;
                break;
            case GoalAgreementRecorded g:
                view.Goals.Add(new GoalSummary(g.GoalId, g.Description, g.AgreedByClient, g.AgreedByTherapist, false));
                break;
            case GoalRevised g:
                view.Goals = view.Goals.Select(x => x.GoalId == g.GoalId
                    ? x with { Description = g.Description, AgreedByClient = g.AgreedByClient, AgreedByTherapist = g.AgreedByTherapist }
                    : x).ToList();
                break;
            case GoalAchieved g:
                view.Goals = view.Goals.Select(x => x.GoalId == g.GoalId ? x with { Achieved = true } : x).ToList();
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
                view.Alerts.Add(new EpisodeAlert(a.AlertId, a.EpisodeId, a.SiteId, a.Kind, a.Severity, AlertStatus.Open, null, a.SessionNumber, 1, a.Evidence, a.RaisedAt, null));
                break;
            case AlertOccurrenceAdded a:
                UpdateAlert(view, a.AlertId, x => x with { Occurrences = x.Occurrences + 1, Evidence = a.Evidence });
                break;
            case AlertResolved a:
                UpdateAlert(view, a.AlertId, x => x with { Status = AlertStatus.Resolved, Resolution = a.Resolution, ResolvedAt = a.ResolvedAt });
                break;
        }
        return view;
    }

    private static void UpdateSession(EpisodeAllianceHealth view, Guid sessionId, Func<SessionSummary, SessionSummary> change) =>
        view.Sessions = view.Sessions.Select(s => s.SessionId == sessionId ? change(s) : s).ToList();

    private static void UpdateAlert(EpisodeAllianceHealth view, Guid alertId, Func<EpisodeAlert, EpisodeAlert> change) =>
        view.Alerts = view.Alerts.Select(a => a.AlertId == alertId ? change(a) : a).ToList();
}
