namespace FeedbackPlatform.Dashboards;

public enum SummaryScope
{
    Therapist,
    Site,
    Organization,
}

/// <summary>
/// The alliance picture of a therapist's, a site's or the organization's active episodes, kept by the
/// projection daemon. Id: "{scope}:{id}".
/// </summary>
public sealed class AllianceSummary
{
    public string Id { get; set; } = "";
    public SummaryScope Scope { get; set; }
    public Guid ScopeId { get; set; }
    public int ActiveEpisodes { get; set; }
    public int EpisodesAtRisk { get; set; }
    public decimal? ShareAtRisk => ActiveEpisodes == 0 ? null : Math.Round((decimal)EpisodesAtRisk / ActiveEpisodes, 3);
    public decimal? MeanLatestSrs { get; set; }
    public decimal? MeanLatestOrs { get; set; }
    public int SessionsHeld { get; set; }
    public int SessionsWithSrs { get; set; }
    /// <summary>Sessions with an SRS over sessions held, across the active episodes.</summary>
    public decimal? FeedbackCompletion => SessionsHeld == 0 ? null : Math.Round((decimal)SessionsWithSrs / SessionsHeld, 3);
    public Dictionary<string, int> OpenAlertsByKind { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    // What the means are made of (stored, not in the API): the organization's figures are the sum of its sites', and a
    // mean of means would weigh a small site like a large one.
    public decimal LatestSrsSum { get; set; }
    public int LatestSrsCount { get; set; }
    public decimal LatestOrsSum { get; set; }
    public int LatestOrsCount { get; set; }

    /// <summary>
    /// Kept from the episodes' stored shares (<see cref="SummaryShare"/>); a summary stored before them lacks it, and
    /// the organization's then makes the projection count every summary again once.
    /// </summary>
    public bool SummedFromShares { get; set; }

    /// <summary>
    /// As PostgreSQL's <c>round(avg(x), 2)</c> gave it before: half away from zero, and always two decimals (38.00, not 38),
    /// so the stored document is the same too. Exact: the totals have one decimal, so sum / count is either a midpoint
    /// exactly (which decimal holds exactly) or at least 1 / (200 × count) away from one, far beyond decimal's 28 digits.
    /// </summary>
    public static decimal? Mean(decimal sum, int count) =>
        count == 0 ? null : Math.Round(sum / count, 2, MidpointRounding.AwayFromZero) + 0.00m;

    public static string IdFor(SummaryScope scope, Guid id) => $"{scope}:{id:N}";
}

/// <summary>One week of one scope, for charts: mean SRS and ORS given that week, alerts raised and resolved.</summary>
public sealed class WeeklyFigures
{
    public string Id { get; set; } = "";
    public SummaryScope Scope { get; set; }
    public Guid ScopeId { get; set; }
    /// <summary>Monday of the week, in the site's time zone (UTC for the organization).</summary>
    public DateOnly WeekStart { get; set; }
    public decimal SrsSum { get; set; }
    public int SrsCount { get; set; }
    public decimal OrsSum { get; set; }
    public int OrsCount { get; set; }
    public int AlertsRaised { get; set; }
    public int AlertsResolved { get; set; }
    public decimal? MeanSrs => SrsCount == 0 ? null : Math.Round(SrsSum / SrsCount, 2);
    public decimal? MeanOrs => OrsCount == 0 ? null : Math.Round(OrsSum / OrsCount, 2);

    public static string IdFor(SummaryScope scope, Guid id, DateOnly week) => $"{scope}:{id:N}:{week:yyyy-MM-dd}";

    public static DateOnly WeekOf(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        return local.AddDays(-(((int)local.DayOfWeek + 6) % 7));
    }
}
