using FeedbackPlatform.Clinical.Episodes;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// One episode's share of the summaries of its site, its therapist and the organization, as the summary projection
/// last counted it (id: the episode's). Only ids, numbers and alert kinds: nothing an erasure would have to rewrite.
/// </summary>
public sealed class SummaryShare
{
    public Guid Id { get; set; }
    public Guid SiteId { get; set; }
    public Guid TherapistId { get; set; }
    /// <summary>Only open episodes count in the figures; their open alerts count either way.</summary>
    public bool Active { get; set; }
    public bool AtRisk { get; set; }
    public decimal? LatestSrsTotal { get; set; }
    public decimal? LatestOrsTotal { get; set; }
    public int SessionsHeld { get; set; }
    public int SessionsWithSrs { get; set; }
    /// <summary>The kinds of its open alerts (the rules keep at most one open per kind).</summary>
    public List<string> OpenAlertKinds { get; set; } = [];

    public static SummaryShare Of(EpisodeAllianceHealth episode)
    {
        var active = episode.EpisodeStatus == EpisodeStatus.Open;
        return new SummaryShare
        {
            Id = episode.Id,
            SiteId = episode.SiteId,
            TherapistId = episode.TherapistId,
            Active = active,
            AtRisk = active && episode.Status == AllianceHealthStatus.AtRisk,
            LatestSrsTotal = active ? episode.LatestSrsTotal : null,
            LatestOrsTotal = active ? episode.LatestOrsTotal : null,
            SessionsHeld = active ? episode.SessionsHeld : 0,
            SessionsWithSrs = active ? episode.SessionsWithSrs : 0,
            OpenAlertKinds = episode.OpenAlerts.Select(a => a.Kind.ToString()).Order(StringComparer.Ordinal).ToList(),
        };
    }

    public bool SameAs(SummaryShare other) =>
        SiteId == other.SiteId && TherapistId == other.TherapistId && Active == other.Active && AtRisk == other.AtRisk &&
        LatestSrsTotal == other.LatestSrsTotal && LatestOrsTotal == other.LatestOrsTotal &&
        SessionsHeld == other.SessionsHeld && SessionsWithSrs == other.SessionsWithSrs && OpenAlertKinds.SequenceEqual(other.OpenAlertKinds);
}

/// <summary>What one batch changes in one scope's sums and counts: shares taken away (-1) and added (+1).</summary>
public sealed class SummaryChange
{
    private int _active, _atRisk, _srsCount, _orsCount, _held, _withSrs;
    private decimal _srsSum, _orsSum;
    private readonly Dictionary<string, int> _alerts = [];

    public void Add(SummaryShare share, int sign)
    {
        if (share.Active)
        {
            _active += sign;
            _atRisk += share.AtRisk ? sign : 0;
            if (share.LatestSrsTotal is { } srs)
            {
                _srsSum += sign * srs;
                _srsCount += sign;
            }
            if (share.LatestOrsTotal is { } ors)
            {
                _orsSum += sign * ors;
                _orsCount += sign;
            }
            _held += sign * share.SessionsHeld;
            _withSrs += sign * share.SessionsWithSrs;
        }
        foreach (var kind in share.OpenAlertKinds)
            _alerts[kind] = _alerts.GetValueOrDefault(kind) + sign;
    }

    public void ApplyTo(AllianceSummary summary)
    {
        summary.ActiveEpisodes += _active;
        summary.EpisodesAtRisk += _atRisk;
        summary.LatestSrsSum += _srsSum;
        summary.LatestSrsCount += _srsCount;
        summary.MeanLatestSrs = AllianceSummary.Mean(summary.LatestSrsSum, summary.LatestSrsCount);
        summary.LatestOrsSum += _orsSum;
        summary.LatestOrsCount += _orsCount;
        summary.MeanLatestOrs = AllianceSummary.Mean(summary.LatestOrsSum, summary.LatestOrsCount);
        summary.SessionsHeld += _held;
        summary.SessionsWithSrs += _withSrs;
        foreach (var (kind, n) in _alerts)
        {
            var count = summary.OpenAlertsByKind.GetValueOrDefault(kind) + n;
            if (count == 0)
                summary.OpenAlertsByKind.Remove(kind);
            else
                summary.OpenAlertsByKind[kind] = count;
        }
    }
}
