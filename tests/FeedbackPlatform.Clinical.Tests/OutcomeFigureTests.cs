using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.Outcomes;
using FeedbackPlatform.Clinical.Scoring;

namespace FeedbackPlatform.Clinical.Tests;

/// <summary>Every outcome and engagement figure of docs/clinical-rules.md at its boundaries.</summary>
public class OutcomeFigureTests
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly OutcomePeriod Year = new(From, To);
    private static readonly AlertRuleSettings Defaults = AlertRuleSettings.Defaults;
    private static readonly Guid Site = Guid.NewGuid();
    private static readonly Guid Therapist = Guid.NewGuid();

    private static EpisodeOutcome Measured(decimal intake, decimal final, Population population = Population.Adult, DateTimeOffset? latestOrsAt = null, int orsCount = 2) =>
        new(Guid.NewGuid(), Site, Therapist, population, intake, final, latestOrsAt ?? From.AddDays(30), orsCount, 4, 4, null, null);

    private static OutcomeFigures Figures(IEnumerable<EpisodeOutcome> episodes, IEnumerable<SessionFeedback>? sessions = null, AlertRuleSettings? settings = null, OutcomeScope scope = OutcomeScope.Site) =>
        OutcomeFigures.Of(episodes, sessions ?? [], settings ?? Defaults, Year, scope);

    [Theory]
    [InlineData(20.0, 25.0, 1.0, 0.0)]   // change exactly the RCI (5): a reliable improvement
    [InlineData(20.0, 24.9, 0.0, 0.0)]   // RCI − 0.1: not reliable
    [InlineData(20.0, 15.0, 0.0, 1.0)]   // exactly −RCI: a reliable deterioration
    [InlineData(20.0, 15.1, 0.0, 0.0)]   // −RCI + 0.1: not reliable
    public void Reliable_change_is_counted_from_exactly_the_RCI(double intake, double final, double improved, double deteriorated)
    {
        var figures = Figures([Measured((decimal)intake, (decimal)final)]);
        Assert.Equal(1, figures.MeasuredEpisodes);
        Assert.Equal((decimal)improved, figures.ReliableImprovementRate);
        Assert.Equal((decimal)deteriorated, figures.ReliableDeteriorationRate);
        Assert.Equal(RatingScale.Round((decimal)final - (decimal)intake), figures.MeanChange);
    }

    [Fact]
    public void The_RCI_is_the_organizations_setting()
    {
        var strict = Defaults with { OrsReliableChange = 6.0m };
        Assert.Equal(0m, Figures([Measured(20.0m, 25.0m)], settings: strict).ReliableImprovementRate);
        Assert.Equal(1m, Figures([Measured(20.0m, 26.0m)], settings: strict).ReliableImprovementRate);
    }

    [Fact]
    public void Recovery_needs_an_intake_under_the_cutoff_a_final_at_or_over_it_and_a_reliable_change()
    {
        var recovered = Measured(20.0m, 25.0m);          // under 25, ends at 25, +5
        var notReliable = Measured(21.0m, 25.0m);        // crosses, but only +4
        var stillUnder = Measured(15.0m, 24.9m);         // +9.9 but under the cutoff
        var atCutoff = Measured(25.0m, 31.0m);           // intake exactly at the cutoff: not in the clinical range
        var figures = Figures([recovered, notReliable, stillUnder, atCutoff]);
        Assert.Equal(3, figures.StartedInClinicalRange);
        Assert.Equal(0.333m, figures.RecoveryRate);
        Assert.Equal(0.75m, figures.ReliableImprovementRate);  // recovered, stillUnder and atCutoff of the four
    }

    [Fact]
    public void Recovery_is_null_when_nobody_started_in_the_clinical_range()
    {
        var figures = Figures([Measured(25.0m, 31.0m), Measured(30.0m, 20.0m)]);
        Assert.Equal(0, figures.StartedInClinicalRange);
        Assert.Null(figures.RecoveryRate);
    }

    [Theory]
    [InlineData(Population.Adult, 24.9, 1)]
    [InlineData(Population.Adult, 25.0, 0)]
    [InlineData(Population.Adolescent, 27.9, 1)]
    [InlineData(Population.Adolescent, 28.0, 0)]
    [InlineData(Population.Child, 31.9, 1)]
    [InlineData(Population.Child, 32.0, 0)]
    public void The_clinical_range_is_the_populations_cutoff(Population population, double intake, int started) =>
        Assert.Equal(started, Figures([Measured((decimal)intake, (decimal)intake + 6m, population)]).StartedInClinicalRange);

    [Fact]
    public void One_measured_episode_gives_no_effect_size_and_equal_intakes_neither()
    {
        Assert.Null(Figures([Measured(20.0m, 26.0m)]).EffectSize);
        Assert.Null(Figures([Measured(20.0m, 26.0m), Measured(20.0m, 30.0m)]).EffectSize);
    }

    [Fact]
    public void The_effect_size_is_the_mean_change_over_the_sample_deviation_of_the_intakes()
    {
        // Intakes 5, 15, 25: sample SD 10. Changes 5, 10, 15: mean 10. ES = 10 / 10 = 1.00.
        var figures = Figures([Measured(5.0m, 10.0m), Measured(15.0m, 25.0m), Measured(25.0m, 40.0m)]);
        Assert.Equal(10.0m, figures.MeanChange);
        Assert.Equal(1.00m, figures.EffectSize);
        // The worked example of docs/clinical-rules.md: 5 and 15 started under 25, only 15 -> 25 recovered.
        Assert.Equal(2, figures.StartedInClinicalRange);
        Assert.Equal(0.5m, figures.RecoveryRate);
        Assert.Equal(1m, figures.ReliableImprovementRate);
        // Intakes 18 and 21: SD 2.1213; mean change (4 + 3) / 2 = 3.5; ES 1.6499 -> 1.65.
        Assert.Equal(1.65m, Figures([Measured(18.0m, 22.0m), Measured(21.0m, 24.0m)]).EffectSize);
    }

    [Fact]
    public void An_episode_whose_latest_ORS_falls_outside_the_period_is_not_measured()
    {
        var before = Measured(20.0m, 30.0m, latestOrsAt: From.AddTicks(-1));
        var first = Measured(20.0m, 30.0m, latestOrsAt: From);          // the period includes its start
        var atEnd = Measured(20.0m, 30.0m, latestOrsAt: To);            // and excludes its end
        var intakeOnly = Measured(20.0m, 20.0m, orsCount: 1);          // no later ORS yet
        var figures = Figures([before, first, atEnd, intakeOnly]);
        Assert.Equal(1, figures.MeasuredEpisodes);
    }

    [Theory]
    [InlineData(9, true)]
    [InlineData(10, false)]
    public void A_therapist_under_the_minimum_of_measured_episodes_is_withheld(int measured, bool withheld)
    {
        var episodes = Enumerable.Range(0, measured).Select(i => Measured(15.0m + i, 22.0m + i)).ToList();
        var therapist = Figures(episodes, scope: OutcomeScope.Therapist);
        Assert.Equal(withheld, therapist.Withheld);
        Assert.Equal(measured, therapist.MeasuredEpisodes);      // the counts are still shown
        Assert.Equal(withheld, therapist.ReliableImprovementRate is null);
        Assert.Equal(withheld, therapist.ReliableDeteriorationRate is null);
        Assert.Equal(withheld, therapist.RecoveryRate is null);
        Assert.Equal(withheld, therapist.MeanChange is null);
        Assert.Equal(withheld, therapist.EffectSize is null);
        // A site or the organization is never withheld.
        Assert.False(Figures(episodes, scope: OutcomeScope.Site).Withheld);
        Assert.NotNull(Figures(episodes, scope: OutcomeScope.Organization).ReliableImprovementRate);
    }

    [Fact]
    public void The_minimum_for_comparison_is_the_organizations_setting()
    {
        var episodes = Enumerable.Range(0, 3).Select(_ => Measured(20.0m, 26.0m)).ToList();
        Assert.True(Figures(episodes, scope: OutcomeScope.Therapist).Withheld);
        Assert.False(Figures(episodes, settings: Defaults with { MinimumEpisodesForComparison = 3 }, scope: OutcomeScope.Therapist).Withheld);
    }

    [Fact]
    public void Closed_episodes_give_the_dropout_rate_and_the_sessions_held()
    {
        EpisodeOutcome Closed(EpisodeClosure how, int sessions, DateTimeOffset at) =>
            new(Guid.NewGuid(), Site, Therapist, Population.Adult, null, null, null, 0, sessions, 0, how, at);
        var figures = Figures(
        [
            Closed(EpisodeClosure.Dropout, 2, From), Closed(EpisodeClosure.Planned, 7, From.AddDays(3)), Closed(EpisodeClosure.Referred, 4, To.AddTicks(-1)),
            Closed(EpisodeClosure.Dropout, 9, To),   // closed when the period had ended
        ]);
        Assert.Equal(3, figures.ClosedEpisodes);
        Assert.Equal(0.333m, figures.DropoutRate);
        Assert.Equal(4.33m, figures.MeanSessionsPerClosedEpisode);
        Assert.Equal(0, figures.MeasuredEpisodes);
        Assert.Null(figures.ReliableImprovementRate);
    }

    [Fact]
    public void Cancelled_sessions_are_not_counted_and_SRS_are_taken_by_when_they_arrived()
    {
        var episode = Measured(20.0m, 25.0m);
        SessionFeedback Session(DateTimeOffset held, decimal? srs = null, DateTimeOffset? rated = null, bool cancelled = false) =>
            new(Guid.NewGuid(), episode.EpisodeId, held, cancelled, srs, srs is null ? null : rated ?? held);
        var sessions = new[]
        {
            Session(From.AddDays(1), 38.0m),
            Session(From.AddDays(2), 35.9m),
            Session(From.AddDays(3)),                                     // held, no SRS
            Session(From.AddDays(4), cancelled: true),                    // not held
            Session(From.AddDays(-1), 36.0m, rated: From.AddDays(1)),     // held before the period, rated in it
        };
        var figures = Figures([episode], sessions);
        Assert.Equal(3, figures.SessionsHeld);
        Assert.Equal(0.667m, figures.FeedbackCompletion);
        Assert.Equal(3, figures.SrsCount);
        Assert.Equal(36.63m, figures.MeanSrs);                // (38 + 35.9 + 36) / 3 = 36.633
        Assert.Equal(0.333m, figures.SrsBelowCutoffRate);     // 35.9 is under 36, 36.0 is not
        Assert.Equal(0.667m, Figures([episode], sessions, Defaults with { SrsCutoffInclusive = true }).SrsBelowCutoffRate);
    }

    [Fact]
    public void Sessions_of_episodes_outside_the_scope_are_not_counted()
    {
        var mine = Measured(20.0m, 25.0m);
        var sessions = new[] { new SessionFeedback(Guid.NewGuid(), Guid.NewGuid(), From.AddDays(1), false, 30.0m, From.AddDays(1)) };
        var figures = Figures([mine], sessions);
        Assert.Equal(0, figures.SessionsHeld);
        Assert.Null(figures.FeedbackCompletion);
        Assert.Null(figures.MeanSrs);
    }

    [Fact]
    public void An_empty_or_backward_period_is_refused_naming_from()
    {
        Assert.Equal("from", Assert.Throws<ClinicalRejection>(() => OutcomePeriod.Of(To, To, To)).Field);
        Assert.Equal("from", Assert.Throws<ClinicalRejection>(() => OutcomePeriod.Of(To, From, To)).Field);
        var byDefault = OutcomePeriod.Of(null, null, To);
        Assert.Equal(new OutcomePeriod(To.AddDays(-365), To), byDefault);
    }

    [Fact]
    public void The_rows_follow_the_facts_and_a_reassigned_episode_counts_for_its_new_therapist()
    {
        var episodeId = Guid.NewGuid();
        var other = Guid.NewGuid();
        var s1 = Guid.NewGuid();
        var s2 = Guid.NewGuid();
        var at = From.AddDays(10);
        object[] facts =
        [
            new EpisodeOpened(episodeId, Site, Therapist, "c-1", Population.Adolescent, at, at),
            new SessionRecorded(episodeId, s1, 1, at, at),
            new SessionRatingSubmitted(episodeId, s1, 1, new SessionRating(9, 9, 9, 9), 36.0m, [], at.AddHours(1)),
            new OutcomeRatingSubmitted(episodeId, s1, 1, new OutcomeRating(5, 5, 5, 5), 20.0m, null, at.AddHours(1)),
            new SessionRecorded(episodeId, s2, 2, at.AddDays(7), at.AddDays(7)),
            new SessionRecorded(episodeId, s2, 2, at.AddDays(7), at.AddDays(7)),   // seen twice, counted once
            new SessionCancelled(episodeId, s2, at.AddDays(8)),
            new TherapistReassigned(episodeId, Therapist, other, at.AddDays(9)),
            new OutcomeRatingSubmitted(episodeId, s1, 1, new OutcomeRating(7, 7, 7, 7), 28.0m, OutcomeChange.Recovered, at.AddDays(9)),
            new EpisodeClosed(episodeId, EpisodeClosure.Planned, at.AddDays(10)),
        ];
        var (episodes, sessions) = OutcomeRows.From(facts);
        var row = Assert.Single(episodes);
        Assert.Equal(new EpisodeOutcome(episodeId, Site, other, Population.Adolescent, 20.0m, 28.0m, at.AddDays(9), 2, 1, 1, EpisodeClosure.Planned, at.AddDays(10)), row);
        Assert.Equal(8.0m, row.Change);
        Assert.Equal(2, sessions.Count);
        Assert.True(sessions.Single(s => s.SessionId == s2).Cancelled);

        var figures = Figures(episodes, sessions);
        Assert.Equal(1, figures.MeasuredEpisodes);
        Assert.Equal(1m, figures.RecoveryRate);          // adolescent cutoff 28: from 20 to 28, +8
        Assert.Equal(1, figures.SessionsHeld);
        Assert.Equal(1m, figures.FeedbackCompletion);
        Assert.Equal(1, figures.ClosedEpisodes);
        Assert.Equal(1.00m, figures.MeanSessionsPerClosedEpisode);
    }

    [Fact]
    public void The_minimum_for_comparison_is_validated()
    {
        Assert.Equal("minimumEpisodesForComparison", Assert.Throws<ClinicalRejection>(() => (Defaults with { MinimumEpisodesForComparison = 0 }).Validated()).Field);
        Assert.Equal("minimumEpisodesForComparison", Assert.Throws<ClinicalRejection>(() => (Defaults with { MinimumEpisodesForComparison = 1001 }).Validated()).Field);
        Assert.Equal(10, Defaults.MinimumEpisodesForComparison);
    }
    [Fact]
    public void The_day_parts_of_rows_add_up_to_their_tallies_over_any_run_of_whole_days()
    {
        // Generated rows: episodes measured, closed or neither, on various days; sessions held, cancelled, rated on another day.
        var random = new Random(20);
        var settings = Defaults with { SrsCutoffInclusive = true };
        decimal Total(double low, double high) => Math.Round((decimal)(low + random.NextDouble() * (high - low)), 1);
        DateTimeOffset At() => From.AddDays(random.Next(0, 60)).AddMinutes(random.Next(0, 24 * 60));
        var episodes = Enumerable.Range(0, 200).Select(i => new EpisodeOutcome(Guid.NewGuid(), Site, Therapist, (Population)(i % 3),
            i % 7 == 0 ? null : Total(10, 30), Total(10, 40), At(), random.Next(0, 4), random.Next(0, 12), 0,
            i % 3 == 0 ? EpisodeClosure.Dropout : i % 3 == 1 ? EpisodeClosure.Planned : null, i % 3 == 2 ? null : At())).ToList();
        var sessions = Enumerable.Range(0, 600).Select(i => new SessionFeedback(Guid.NewGuid(), episodes[i % 200].EpisodeId, At(), i % 9 == 0,
            i % 4 == 0 ? null : Total(25, 40), i % 4 == 0 ? null : At())).ToList();
        var byDay = new Dictionary<DateOnly, OutcomeTallies>();
        foreach (var part in episodes.SelectMany(e => OutcomeDays.Of(e, settings)).Concat(sessions.SelectMany(s => OutcomeDays.Of(s, settings))))
            byDay[part.Day] = (byDay.GetValueOrDefault(part.Day) ?? OutcomeTallies.None).Plus(part.Part);

        for (var trial = 0; trial < 50; trial++)
        {
            var first = DateOnly.FromDateTime(From.UtcDateTime).AddDays(random.Next(-5, 60));
            var end = first.AddDays(random.Next(1, 40));
            var period = new OutcomePeriod(OutcomeDays.Whole(first).From, OutcomeDays.Whole(end).From);
            var fromDays = byDay.Where(d => d.Key >= first && d.Key < end).Aggregate(OutcomeTallies.None, (sum, d) => sum.Plus(d.Value));
            var direct = OutcomeTallies.OfEpisodes(episodes, settings, period).Plus(OutcomeTallies.OfSessions(sessions, settings, period));
            Assert.Equal(direct, fromDays);
        }
        Assert.True(byDay.Values.Aggregate(OutcomeTallies.None, (sum, d) => sum.Plus(d)) is { MeasuredEpisodes: > 20, ClosedEpisodes: > 20, SrsCount: > 100, SrsBelowCutoff: > 0 });
    }

    [Fact]
    public void A_part_taken_away_leaves_nothing()
    {
        var episode = Measured(20.0m, 27.5m) with { ClosedAs = EpisodeClosure.Planned, ClosedAt = From.AddDays(30) };
        var (day, part) = Assert.Single(OutcomeDays.Of(episode, Defaults));   // measured and closed on the same day
        Assert.Equal(OutcomeDays.DayOf(From.AddDays(30)), day);
        Assert.Equal(1, part.MeasuredEpisodes);
        Assert.Equal(1, part.ClosedEpisodes);
        var nothing = part.Plus(part.Negated());
        Assert.True(nothing.IsEmpty);
        Assert.Equal(OutcomeTallies.None, nothing);
    }
}
