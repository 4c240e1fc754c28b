using FeedbackPlatform.Clinical.Alerts;

namespace FeedbackPlatform.Clinical.Outcomes;

/// <summary>
/// What one row counts for on each UTC day, under given settings: an episode's measured part on the day of its latest
/// ORS and its closed part on the day it closed; a session's held part on the day it was held and its SRS on the day the
/// SRS arrived. The parts of a row over the days of a period add up to <see cref="OutcomeTallies.Of"/> for that period,
/// so day tallies kept from them answer whole days exactly.
/// </summary>
public static class OutcomeDays
{
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>The calendar month a day falls in, as its first day: month tallies are the sums of their days'.</summary>
    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>The period of one UTC day.</summary>
    public static OutcomePeriod Whole(DateOnly day) =>
        new(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    public static IEnumerable<(DateOnly Day, OutcomeTallies Part)> Of(EpisodeOutcome episode, AlertRuleSettings settings) =>
        PartsOn([episode.LatestOrsAt, episode.ClosedAt], day => OutcomeTallies.OfEpisodes([episode], settings, day));

    public static IEnumerable<(DateOnly Day, OutcomeTallies Part)> Of(SessionFeedback session, AlertRuleSettings settings) =>
        PartsOn([session.HeldAt, session.SrsSubmittedAt], day => OutcomeTallies.OfSessions([session], settings, day));

    private static IEnumerable<(DateOnly Day, OutcomeTallies Part)> PartsOn(DateTimeOffset?[] instants, Func<OutcomePeriod, OutcomeTallies> partOn) =>
        instants.OfType<DateTimeOffset>().Select(DayOf).Distinct()
            .Select(day => (day, partOn(Whole(day))))
            .Where(p => !p.Item2.IsEmpty);
}
