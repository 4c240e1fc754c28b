import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { SitePageDocument, type EpisodeStatus } from "../generated/graphql";
import { Badge } from "../components/Badges";
import { Empty, Failure, Loading, NotFound } from "../components/States";
import { dateTime, decimal, score, share } from "../lib/format";
import { Select } from "./Worklist";
import { Pager } from "../components/Pager";

const pageSize = 25;

/** A site: the therapists side by side (withheld figures shown as withheld, with why), and its episodes, filtered and paged. */
export default function SitePage() {
  const { siteId = "" } = useParams();
  const [status, setStatus] = useState("");
  const [therapistId, setTherapistId] = useState("");
  const [atRiskOnly, setAtRiskOnly] = useState(false);
  const [cursors, setCursors] = useState<string[]>([]);
  const [result] = useQuery({
    query: SitePageDocument,
    variables: {
      id: siteId,
      first: pageSize,
      after: cursors.at(-1) ?? null,
      status: (status || null) as EpisodeStatus | null,
      therapistId: therapistId || null,
      atRiskOnly: atRiskOnly || null,
    },
  });
  useEffect(() => setCursors([]), [status, therapistId, atRiskOnly]);
  useEffect(() => {
    document.title = "Site · FeedbackPlatform";
  }, []);

  if (result.error && !result.data) return <Failure error={result.error} what="The site" />;
  if (!result.data) return <Loading what="the site" />;
  const site = result.data.site;
  if (!site) return <NotFound what="Site" />;
  const minimum = result.data.alertRules.minimumEpisodesForComparison;
  const zone = site.timeZone;

  return (
    <>
      <h1>{site.name}</h1>
      <p className="muted">Times in {zone}.</p>
      <section aria-labelledby="comparison-heading">
        <h2 id="comparison-heading">Therapists compared, last 365 days</h2>
        {site.therapistComparison.length === 0 ? (
          <Empty>No therapist is registered at this site.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table--cards">
              <thead>
                <tr>
                  <th scope="col">Therapist</th>
                  <th scope="col" className="number">Measured episodes</th>
                  <th scope="col" className="number">Reliable improvement</th>
                  <th scope="col" className="number">Reliable deterioration</th>
                  <th scope="col" className="number">Recovery</th>
                  <th scope="col" className="number">Effect size</th>
                  <th scope="col" className="number">Dropout (closed)</th>
                  <th scope="col" className="number">Mean SRS (count)</th>
                </tr>
              </thead>
              <tbody>
                {site.therapistComparison.map(({ therapist, outcomes: o }) => (
                  <tr key={therapist.id}>
                    <th scope="row">{therapist.displayName}</th>
                    <td data-label="Measured episodes" className="number">{o.measuredEpisodes}</td>
                    {o.withheld ? (
                      <td data-label="Outcome figures" colSpan={4}>
                        <strong>Withheld</strong>: fewer than {minimum} measured episodes, too few to compare fairly.
                      </td>
                    ) : (
                      <>
                        <td data-label="Reliable improvement" className="number">{share(o.reliableImprovementRate)}</td>
                        <td data-label="Reliable deterioration" className="number">{share(o.reliableDeteriorationRate)}</td>
                        <td data-label="Recovery (started in clinical range)" className="number">{share(o.recoveryRate)} ({o.startedInClinicalRange})</td>
                        <td data-label="Effect size" className="number">{decimal(o.effectSize)}</td>
                      </>
                    )}
                    <td data-label="Dropout (closed)" className="number">{share(o.dropoutRate)} ({o.closedEpisodes})</td>
                    <td data-label="Mean SRS (count)" className="number">{score(o.meanSrs)} ({o.srsCount})</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="episodes-heading">
        <h2 id="episodes-heading">Episodes</h2>
        <form className="filters" aria-label="Filter episodes" onSubmit={(e) => e.preventDefault()}>
          <Select label="Episode status" value={status} onChange={setStatus} options={[["OPEN", "Open"], ["CLOSED", "Closed"]]} all="Open and closed" />
          <Select label="Therapist" value={therapistId} onChange={setTherapistId} options={site.therapists.map((t) => [t.id, t.displayName])} all="Every therapist" />
          <label className="checkbox">
            <input type="checkbox" checked={atRiskOnly} onChange={(e) => setAtRiskOnly(e.target.checked)} /> At risk only
          </label>
        </form>
        {site.episodes.nodes.length === 0 ? (
          <Empty>No episodes match.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table--cards">
              <thead>
                <tr>
                  <th scope="col">Opened</th>
                  <th scope="col">Therapist</th>
                  <th scope="col">Status</th>
                  <th scope="col">Alliance</th>
                  <th scope="col" className="number">Latest SRS</th>
                  <th scope="col" className="number">Latest ORS</th>
                  <th scope="col" className="number">Open alerts</th>
                  <th scope="col">Last session</th>
                </tr>
              </thead>
              <tbody>
                {site.episodes.nodes.map((e) => (
                  <tr key={e.id}>
                    <td data-label="Opened"><Link to={`/episodes/${e.id}`}>{dateTime(e.openedAt, zone)}</Link></td>
                    <td data-label="Therapist">{e.therapist?.displayName ?? "—"}</td>
                    <td data-label="Status"><Badge value={e.status} /></td>
                    <td data-label="Alliance"><Badge value={e.allianceHealth.status} /></td>
                    <td data-label="Latest SRS" className="number">{score(e.allianceHealth.latestSrsTotal)}</td>
                    <td data-label="Latest ORS" className="number">{score(e.allianceHealth.latestOrsTotal)}</td>
                    <td data-label="Open alerts" className="number">{e.allianceHealth.openAlerts}</td>
                    <td data-label="Last session">{dateTime(e.allianceHealth.lastSessionAt, zone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager cursors={cursors} onChange={setCursors} pageInfo={site.episodes.pageInfo} />
      </section>
    </>
  );
}
