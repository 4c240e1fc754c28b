using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Clinical.Outcomes;

/// <summary>The half-open period [From, To) the figures are about.</summary>
public sealed record OutcomePeriod(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(365);

    public bool Contains(DateTimeOffset at) => at >= From && at < To;

    /// <summary>
    /// The period asked for: `to` defaults to now, `from` to 365 days before `to`. A period that is empty or runs
    /// backwards is refused, naming `from`.
    /// </summary>
    public static OutcomePeriod Of(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now)
    {
        var end = to ?? now;
        var start = from ?? end - DefaultLength;
        if (start >= end)
            throw ClinicalRejection.Invalid("from", "from must be before to.");
        return new OutcomePeriod(start, end);
    }
}

/// <summary>Whose figures: a therapist's are compared with colleagues' and so may be withheld; a site's or the organization's never.</summary>
public enum OutcomeScope
{
    Organization,
    Site,
    Therapist,
}

/// <summary>
/// The counts and sums every figure is finished from. The database adds them up for a scope (sums and sums of
/// squares are exact decimals); the core adds them up from rows in memory; both end in <see cref="OutcomeFigures.Finish"/>.
/// </summary>
public sealed record OutcomeTallies
{
    public int MeasuredEpisodes { get; init; }
    public int ReliablyImproved { get; init; }
    public int ReliablyDeteriorated { get; init; }
    public int StartedInClinicalRange { get; init; }
    public int Recovered { get; init; }
    public decimal ChangeSum { get; init; }
    public decimal IntakeSum { get; init; }
    public decimal IntakeSquares { get; init; }
    public int ClosedEpisodes { get; init; }
    public int Dropouts { get; init; }
    public int SessionsOfClosedEpisodes { get; init; }
    public int SessionsHeld { get; init; }
    public int SessionsHeldWithSrs { get; init; }
    public int SrsCount { get; init; }
    public decimal SrsSum { get; init; }
    public int SrsBelowCutoff { get; init; }

    public static readonly OutcomeTallies None = new();

    /// <summary>
    /// Adds up the rows of one scope: its episodes, and the sessions of those episodes (a session counts for the
    /// scope its episode is in now, whoever held it).
    /// </summary>
    public static OutcomeTallies Of(IEnumerable<EpisodeOutcome> episodes, IEnumerable<SessionFeedback> sessions, AlertRuleSettings settings, OutcomePeriod period)
    {
        var inScope = episodes.ToList();
        var ids = inScope.Select(e => e.EpisodeId).ToHashSet();
        return OfEpisodes(inScope, settings, period).Plus(OfSessions(sessions.Where(s => ids.Contains(s.EpisodeId)), settings, period));
    }

    /// <summary>What episodes count for in a period: measured by their latest ORS, closed by when they closed.</summary>
    public static OutcomeTallies OfEpisodes(IEnumerable<EpisodeOutcome> episodes, AlertRuleSettings settings, OutcomePeriod period)
    {
        var rci = settings.OrsReliableChange;
        var t = new Accumulator();
        foreach (var e in episodes)
        {
            if (e.IsMeasuredIn(period))
            {
                var intake = e.IntakeTotal!.Value;
                var final = e.FinalTotal!.Value;
                var change = e.Change!.Value;
                var cutoff = settings.OrsCutoffFor(e.Population);
                t.Measured++;
                if (change >= rci) t.Improved++;
                if (change <= -rci) t.Deteriorated++;
                if (intake < cutoff)
                {
                    t.StartedBelow++;
                    if (final >= cutoff && change >= rci) t.Recovered++;
                }
                t.ChangeSum += change;
                t.IntakeSum += intake;
                t.IntakeSquares += intake * intake;
            }
            if (e.IsClosedIn(period))
            {
                t.Closed++;
                if (e.ClosedAs == EpisodeClosure.Dropout) t.Dropouts++;
                t.ClosedSessions += e.SessionsHeld;
            }
        }
        return t.Tallies();
    }

    /// <summary>What sessions count for in a period: held by when they were held, their SRS by when it arrived.</summary>
    public static OutcomeTallies OfSessions(IEnumerable<SessionFeedback> sessions, AlertRuleSettings settings, OutcomePeriod period)
    {
        var t = new Accumulator();
        foreach (var s in sessions)
        {
            if (s.IsHeldIn(period))
            {
                t.Held++;
                if (s.SrsTotal is not null) t.HeldWithSrs++;
            }
            if (s.IsRatedIn(period))
            {
                t.Srs++;
                t.SrsSum += s.SrsTotal!.Value;
                if (settings.IsLowAlliance(s.SrsTotal.Value)) t.SrsBelow++;
            }
        }
        return t.Tallies();
    }

    /// <summary>These tallies and the other's added up; every figure is a count or a sum, so parts add.</summary>
    public OutcomeTallies Plus(OutcomeTallies o) => new()
    {
        MeasuredEpisodes = MeasuredEpisodes + o.MeasuredEpisodes, ReliablyImproved = ReliablyImproved + o.ReliablyImproved,
        ReliablyDeteriorated = ReliablyDeteriorated + o.ReliablyDeteriorated, StartedInClinicalRange = StartedInClinicalRange + o.StartedInClinicalRange,
        Recovered = Recovered + o.Recovered, ChangeSum = ChangeSum + o.ChangeSum, IntakeSum = IntakeSum + o.IntakeSum, IntakeSquares = IntakeSquares + o.IntakeSquares,
        ClosedEpisodes = ClosedEpisodes + o.ClosedEpisodes, Dropouts = Dropouts + o.Dropouts, SessionsOfClosedEpisodes = SessionsOfClosedEpisodes + o.SessionsOfClosedEpisodes,
        SessionsHeld = SessionsHeld + o.SessionsHeld, SessionsHeldWithSrs = SessionsHeldWithSrs + o.SessionsHeldWithSrs,
        SrsCount = SrsCount + o.SrsCount, SrsSum = SrsSum + o.SrsSum, SrsBelowCutoff = SrsBelowCutoff + o.SrsBelowCutoff,
    };

    /// <summary>The same tallies taken away: what a row no longer counts for.</summary>
    public OutcomeTallies Negated() => this with
    {
        MeasuredEpisodes = -MeasuredEpisodes, ReliablyImproved = -ReliablyImproved, ReliablyDeteriorated = -ReliablyDeteriorated,
        StartedInClinicalRange = -StartedInClinicalRange, Recovered = -Recovered, ChangeSum = -ChangeSum, IntakeSum = -IntakeSum, IntakeSquares = -IntakeSquares,
        ClosedEpisodes = -ClosedEpisodes, Dropouts = -Dropouts, SessionsOfClosedEpisodes = -SessionsOfClosedEpisodes,
        SessionsHeld = -SessionsHeld, SessionsHeldWithSrs = -SessionsHeldWithSrs, SrsCount = -SrsCount, SrsSum = -SrsSum, SrsBelowCutoff = -SrsBelowCutoff,
    };

    /// <summary>Whether nothing is counted: every count is zero (and so is every sum, which only counted rows add to).</summary>
    public bool IsEmpty => MeasuredEpisodes == 0 && ReliablyImproved == 0 && ReliablyDeteriorated == 0 && StartedInClinicalRange == 0 && Recovered == 0
                           && ClosedEpisodes == 0 && Dropouts == 0 && SessionsOfClosedEpisodes == 0
                           && SessionsHeld == 0 && SessionsHeldWithSrs == 0 && SrsCount == 0 && SrsBelowCutoff == 0;

    private sealed class Accumulator
    {
        public int Measured, Improved, Deteriorated, StartedBelow, Recovered, Closed, Dropouts, ClosedSessions, Held, HeldWithSrs, Srs, SrsBelow;
        public decimal ChangeSum, IntakeSum, IntakeSquares, SrsSum;

        public OutcomeTallies Tallies() => new()
        {
            MeasuredEpisodes = Measured, ReliablyImproved = Improved, ReliablyDeteriorated = Deteriorated,
            StartedInClinicalRange = StartedBelow, Recovered = Recovered,
            ChangeSum = ChangeSum, IntakeSum = IntakeSum, IntakeSquares = IntakeSquares,
            ClosedEpisodes = Closed, Dropouts = Dropouts, SessionsOfClosedEpisodes = ClosedSessions,
            SessionsHeld = Held, SessionsHeldWithSrs = HeldWithSrs, SrsCount = Srs, SrsSum = SrsSum, SrsBelowCutoff = SrsBelow,
        };
    }
}

/// <summary>
/// Whether clients get better, and how they engage, for one scope and period (docs/clinical-rules.md, "Outcome and
/// engagement figures"). Rates are shares from 0 to 1 to three decimals, means to two, the effect size to two; each
/// comes with the count it was computed on. Withheld: a therapist with too few measured episodes for a fair
/// comparison; the outcome figures are then null and the counts still shown.
/// </summary>
public sealed record OutcomeFigures
{
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public bool Withheld { get; init; }
    public int MeasuredEpisodes { get; init; }
    public decimal? ReliableImprovementRate { get; init; }
    public decimal? ReliableDeteriorationRate { get; init; }
    public decimal? RecoveryRate { get; init; }
    public int StartedInClinicalRange { get; init; }
    public decimal? MeanChange { get; init; }
    public decimal? EffectSize { get; init; }
    public int ClosedEpisodes { get; init; }
    public decimal? DropoutRate { get; init; }
    public decimal? MeanSessionsPerClosedEpisode { get; init; }
    public int SessionsHeld { get; init; }
    public decimal? FeedbackCompletion { get; init; }
    public int SrsCount { get; init; }
    public decimal? MeanSrs { get; init; }
    public decimal? SrsBelowCutoffRate { get; init; }

    /// <summary>The figures of a scope's rows: the definitions in one pure function.</summary>
    public static OutcomeFigures Of(IEnumerable<EpisodeOutcome> episodes, IEnumerable<SessionFeedback> sessions, AlertRuleSettings settings, OutcomePeriod period, OutcomeScope scope) =>
        Finish(OutcomeTallies.Of(episodes, sessions, settings, period), settings, period, scope);

    /// <summary>Finishes the figures from their tallies: shares, means, the effect size, and the fair-comparison rule.</summary>
    public static OutcomeFigures Finish(OutcomeTallies t, AlertRuleSettings settings, OutcomePeriod period, OutcomeScope scope)
    {
        var withheld = scope == OutcomeScope.Therapist && t.MeasuredEpisodes < settings.MinimumEpisodesForComparison;
        var n = t.MeasuredEpisodes;
        return new OutcomeFigures
        {
            From = period.From,
            To = period.To,
            Withheld = withheld,
            MeasuredEpisodes = n,
            ReliableImprovementRate = withheld ? null : Share(t.ReliablyImproved, n),
            ReliableDeteriorationRate = withheld ? null : Share(t.ReliablyDeteriorated, n),
            RecoveryRate = withheld ? null : Share(t.Recovered, t.StartedInClinicalRange),
            StartedInClinicalRange = t.StartedInClinicalRange,
            MeanChange = withheld ? null : Mean(t.ChangeSum, n),
            EffectSize = withheld ? null : EffectSizeOf(t),
            ClosedEpisodes = t.ClosedEpisodes,
            DropoutRate = Share(t.Dropouts, t.ClosedEpisodes),
            MeanSessionsPerClosedEpisode = Mean(t.SessionsOfClosedEpisodes, t.ClosedEpisodes),
            SessionsHeld = t.SessionsHeld,
            FeedbackCompletion = Share(t.SessionsHeldWithSrs, t.SessionsHeld),
            SrsCount = t.SrsCount,
            MeanSrs = Mean(t.SrsSum, t.SrsCount),
            SrsBelowCutoffRate = Share(t.SrsBelowCutoff, t.SrsCount),
        };
    }

    /// <summary>
    /// Pre-post effect size: the mean change over the sample standard deviation (n − 1) of the intake totals of the
    /// same episodes; null for fewer than two episodes or intakes that are all alike.
    /// </summary>
    private static decimal? EffectSizeOf(OutcomeTallies t)
    {
        var n = t.MeasuredEpisodes;
        if (n < 2)
            return null;
        // Exact in decimals up to the square root: (Σx² − (Σx)²/n) / (n − 1).
        var variance = (t.IntakeSquares - t.IntakeSum * t.IntakeSum / n) / (n - 1);
        if (variance <= 0m)
            return null;
        var effect = (double)(t.ChangeSum / n) / Math.Sqrt((double)variance);
        return Math.Round((decimal)effect, 2, MidpointRounding.AwayFromZero);
    }

    private static decimal? Share(int part, int whole) =>
        whole == 0 ? null : Math.Round((decimal)part / whole, 3, MidpointRounding.AwayFromZero);

    private static decimal? Mean(decimal sum, int count) =>
        count == 0 ? null : Math.Round(sum / count, 2, MidpointRounding.AwayFromZero);
}
