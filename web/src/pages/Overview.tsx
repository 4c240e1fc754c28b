import { useEffect, useMemo } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";
import { OverviewDocument, type OverviewQuery } from "../generated/graphql";
import Chart, { type ChartSeries } from "../components/Chart";
import { Empty, Failure, Loading } from "../components/States";
import { OutcomeTable } from "../components/OutcomeTable";
import { dateTime, score } from "../lib/format";
import { weekSeconds } from "../lib/scales";

/** The director's sites: per site the summary, the weekly series and the outcome figures of the last year. */
export default function OverviewPage() {
  const [result] = useQuery({ query: OverviewDocument });
  useEffect(() => {
    document.title = "Sites overview · FeedbackPlatform";
  }, []);

  if (result.error && !result.data) return <Failure error={result.error} what="The overview" />;
  if (!result.data) return <Loading what="your sites" />;
  const sites = result.data.organization.sites;
  return (
    <>
      <h1>Sites overview</h1>
      {sites.length === 0 ? (
        <Empty>You have no sites yet. An administrator assigns directors to sites.</Empty>
      ) : (
        sites.map((site) => <SiteCard key={site.id} site={site} />)
      )}
    </>
  );
}

type SiteRow = OverviewQuery["organization"]["sites"][number];

const weeklySeries: ChartSeries[] = [
  { label: "Mean SRS", colorToken: "--color-chart-srs", points: true },
  { label: "Alerts raised", colorToken: "--color-chart-alerts", points: true },
];

function SiteCard({ site }: { site: SiteRow }) {
  const data = useMemo(
    () => [site.weeklySeries.map((w) => weekSeconds(w.weekStart)), site.weeklySeries.map((w) => w.meanSrs ?? null), site.weeklySeries.map((w) => w.alertsRaised)],
    [site.weeklySeries],
  );
  const yRange = useMemo<[number, number]>(() => [0, Math.max(40, ...site.weeklySeries.map((w) => w.alertsRaised))], [site.weeklySeries]);
  const summary = site.summary;
  return (
    <section className="card" aria-labelledby={`site-${site.id}`}>
      <h2 id={`site-${site.id}`}>
        <Link to={`/sites/${site.id}`}>{site.name}</Link> {!site.active && <span className="badge badge--neutral">Inactive</span>}
      </h2>
      {summary ? (
        <dl className="stats">
          <div><dt>Active episodes</dt><dd>{summary.activeEpisodes}</dd></div>
          <div><dt>At risk</dt><dd>{summary.episodesAtRisk}</dd></div>
          <div><dt>Mean latest SRS</dt><dd>{score(summary.meanLatestSrs)}</dd></div>
          <div><dt>Open alerts</dt><dd>{summary.openAlerts}</dd></div>
        </dl>
      ) : (
        <p className="muted">No figures yet: they appear once the site's first feedback is counted.</p>
      )}
      {summary && <p className="muted">Figures as of {dateTime(summary.asOf, site.timeZone)} ({site.timeZone}).</p>}
      <div className="grid">
        <div>
          <h3>Weekly series</h3>
          {site.weeklySeries.length === 0 ? (
            <Empty>No weeks with feedback yet.</Empty>
          ) : (
            <>
              <Chart data={data} series={weeklySeries} yRange={yRange} xLabel="Week" yLabel="Mean SRS · alerts" time height={220}
                description={`Weekly mean SRS and alerts raised at ${site.name}, the last ${site.weeklySeries.length} weeks with activity.`} />
              <details>
                <summary>The weeks as a table</summary>
                <table>
                  <thead><tr><th scope="col">Week of</th><th scope="col" className="number">Mean SRS</th><th scope="col" className="number">SRS count</th><th scope="col" className="number">Alerts raised</th></tr></thead>
                  <tbody>
                    {site.weeklySeries.map((w) => (
                      <tr key={w.weekStart}><td>{w.weekStart}</td><td className="number">{score(w.meanSrs)}</td><td className="number">{w.srsCount}</td><td className="number">{w.alertsRaised}</td></tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </>
          )}
        </div>
        <div>
          <h3>Outcomes, last 365 days</h3>
          <OutcomeTable figures={site.outcomes} />
        </div>
      </div>
    </section>
  );
}
