using CsCheck;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>Properties that hold for any history of facts, checked on generated histories.</summary>
public class AlertRuleProperties
{
    /// <summary>A fact of a generated history: 0 = SRS, 1 = ORS, 2 = session only, 3 = agreed goal, 4 = a day-later feedback check.</summary>
    private static readonly Gen<(int Kind, int Tenths)> Fact = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 400]);
    private static readonly Gen<(int Kind, int Tenths)[]> History = Fact.Array[1, 40];

    private static EpisodeScenario Play((int Kind, int Tenths)[] facts, Population population, Guid episodeId)
    {
        var scenario = new EpisodeScenario(population, episodeId);
        foreach (var (kind, tenths) in facts)
        {
            var total = tenths / 10m;
            switch (kind)
            {
                case 0: scenario.Srs(total); break;
                case 1: scenario.Ors(total); break;
                case 2: scenario.Session(); break;
                case 3:
                    scenario.Take(EpisodeDecisions.RecordGoalAgreement(scenario.State, Guid.NewGuid(), "goal", tenths % 2 == 0, tenths % 3 == 0, scenario.Now));
                    break;
                default:
                    var last = scenario.State.Sessions.LastOrDefault();
                    if (last is not null)
                        scenario.Take(EpisodeDecisions.CheckFeedbackDue(scenario.State, last.SessionId, scenario.Now.AddDays(1), scenario.Settings));
                    break;
            }
        }
        return scenario;
    }

    [Fact]
    public void At_most_one_alert_of_a_kind_is_open_at_any_time() =>
        History.Sample(facts =>
        {
            var open = new Dictionary<AlertKind, Guid>();
            foreach (var e in Play(facts, Population.Adult, Guid.NewGuid()).History)
            {
                switch (e)
                {
                    case AlertRaised r:
                        if (!open.TryAdd(r.Kind, r.AlertId))
                            return false;
                        break;
                    case AlertOccurrenceAdded o:
                        if (!open.TryGetValue(o.Kind, out var id) || id != o.AlertId)
                            return false;
                        break;
                    case AlertResolved s:
                        if (!open.Remove(s.Kind, out var resolved) || resolved != s.AlertId)
                            return false;
                        break;
                }
            }
            return true;
        });

    [Fact]
    public void Replaying_the_same_facts_gives_the_same_decisions() =>
        Gen.Select(History, Gen.Enum<Population>()).Sample((facts, population) =>
        {
            var episode = Guid.NewGuid();
            var first = Play(facts, population, episode).History.Where(e => e is AlertRaised or AlertOccurrenceAdded or AlertResolved);
            var second = Play(facts, population, episode).History.Where(e => e is AlertRaised or AlertOccurrenceAdded or AlertResolved);
            return first.SequenceEqual(second);
        });

    [Fact]
    public void Rebuilding_the_state_from_its_events_gives_the_same_state() =>
        History.Sample(facts =>
        {
            var scenario = Play(facts, Population.Adult, Guid.NewGuid());
            var rebuilt = EpisodeOfCare.From((EpisodeOpened)scenario.History[0]);
            foreach (var e in scenario.History.Skip(1))
                rebuilt = rebuilt.When(e);
            return rebuilt.OpenAlerts.SequenceEqual(scenario.State.OpenAlerts, OpenAlertComparer.Instance)
                   && rebuilt.LastSrsTotal == scenario.State.LastSrsTotal
                   && rebuilt.IntakeOrsTotal == scenario.State.IntakeOrsTotal;
        });

    [Fact]
    public void Totals_of_valid_items_stay_within_0_and_40() =>
        Gen.Int[0, 100].Array[4].Sample(items =>
        {
            var srs = SessionRating.Read(items[0] / 10.0, items[1] / 10.0, items[2] / 10.0, items[3] / 10.0);
            var ors = OutcomeRating.Read(items[0] / 10.0, items[1] / 10.0, items[2] / 10.0, items[3] / 10.0);
            return srs.Total is >= 0m and <= 40m && ors.Total == srs.Total && srs.Total == Math.Round(srs.Total, 1);
        });

    private sealed class OpenAlertComparer : IEqualityComparer<OpenAlert>
    {
        public static readonly OpenAlertComparer Instance = new();
        public bool Equals(OpenAlert? x, OpenAlert? y) =>
            x is not null && y is not null && x.AlertId == y.AlertId && x.Occurrences == y.Occurrences && x.RepairReference == y.RepairReference && x.Sessions.SequenceEqual(y.Sessions);
        public int GetHashCode(OpenAlert obj) => obj.AlertId.GetHashCode();
    }
}
