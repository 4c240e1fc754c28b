using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>
/// Drives one episode through the core's decisions the way the host does: decide, then fold the decided
/// events back into the state. Keeps every event so tests can assert on what would be stored.
/// </summary>
public sealed class EpisodeScenario
{
    public static readonly Guid SiteId = new("5a5a5a5a-0000-4000-8000-000000000001");
    public static readonly Guid TherapistId = new("7e7e7e7e-0000-4000-8000-000000000002");
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public EpisodeOfCare State { get; private set; }
    public DateTimeOffset Now { get; set; } = Start;
    public AlertRuleSettings Settings { get; set; } = AlertRuleSettings.Defaults;
    public List<object> History { get; } = [];
    private int _sessions;

    public EpisodeScenario(Population population = Population.Adult, Guid? episodeId = null)
    {
        // Opened long before the first scenario session, so that imported past sessions are possible.
        var opened = new EpisodeOpened(episodeId ?? Guid.NewGuid(), SiteId, TherapistId, "client-1", population, Start.AddYears(-1), Start.AddYears(-1));
        History.Add(opened);
        State = EpisodeOfCare.From(opened);
    }

    public IReadOnlyList<object> Take(IReadOnlyList<object> events)
    {
        foreach (var e in events)
        {
            State = State.When(e);
            History.Add(e);
        }
        return events;
    }

    public Guid Session(TimeSpan? heldAgo = null)
    {
        Now = Now.AddDays(7);
        var id = Guid.NewGuid();
        _sessions++;
        Take(EpisodeDecisions.RecordSession(State, id, Now - (heldAgo ?? TimeSpan.FromHours(1)), Now, Settings));
        return id;
    }

    /// <summary>Records a session and submits an SRS whose total is the given number (spread over the items).</summary>
    public IReadOnlyList<object> Srs(decimal total)
    {
        var session = Session();
        return Take(EpisodeDecisions.SubmitSessionRating(State, session, SrsOf(total), Now, Settings));
    }

    public IReadOnlyList<object> Ors(decimal total)
    {
        var session = Session();
        return Take(EpisodeDecisions.SubmitOutcomeRating(State, session, OrsOf(total), Now, Settings));
    }

    public static SessionRating SrsOf(decimal total)
    {
        var items = Split(total);
        return new SessionRating(items[0], items[1], items[2], items[3]);
    }

    public static OutcomeRating OrsOf(decimal total)
    {
        var items = Split(total);
        return new OutcomeRating(items[0], items[1], items[2], items[3]);
    }

    /// <summary>Four items of one decimal each that add up to the total, each within 0–10.</summary>
    private static decimal[] Split(decimal total)
    {
        var items = new decimal[4];
        var left = total;
        for (var i = 0; i < 4; i++)
        {
            var share = Math.Min(10m, Math.Round(left / (4 - i), 1, MidpointRounding.ToZero));
            items[i] = i == 3 ? left : share;
            left -= items[i];
        }
        return items;
    }

    public IEnumerable<T> Of<T>() => History.OfType<T>();
    public OpenAlert? Open(AlertKind kind) => State.OpenAlert(kind);
}
