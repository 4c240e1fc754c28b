import { useEffect, useId, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery } from "urql";
import { CaseloadDocument, MySitesDocument, OpenEpisodeDocument, type EpisodeStatus, type Population } from "../generated/graphql";
import { Badge } from "../components/Badges";
import { Empty, Failure, Loading } from "../components/States";
import { useMe } from "../lib/auth";
import { byField, refusalsOf, unplaced } from "../lib/errors";
import { dateTime, score, words } from "../lib/format";
import { Select } from "./Worklist";
import { Pager } from "../components/Pager";

/** The clinician's own episodes at each of their sites, and opening a new one. */
export default function CaseloadPage() {
  const me = useMe();
  const [sitesResult] = useQuery({ query: MySitesDocument });
  useEffect(() => {
    document.title = "My caseload · FeedbackPlatform";
  }, []);

  if (!me.therapistId) return <Empty>Your account is not linked to a therapist, so you have no caseload. Ask an administrator.</Empty>;
  if (sitesResult.error && !sitesResult.data) return <Failure error={sitesResult.error} what="Your sites" />;
  if (!sitesResult.data) return <Loading what="your caseload" />;
  const sites = sitesResult.data.organization.sites.filter((s) => me.sites.includes(s.id));
  return (
    <>
      <h1>My caseload</h1>
      {sites.length === 0 ? (
        <Empty>You work at no site yet. Ask an administrator.</Empty>
      ) : (
        <>
          {sites.map((site) => (
            <SiteCaseload key={site.id} siteId={site.id} therapistId={me.therapistId!} />
          ))}
          <OpenEpisode therapistId={me.therapistId} sites={sites.filter((s) => s.active).map((s) => [s.id, s.name])} />
        </>
      )}
    </>
  );
}

function SiteCaseload({ siteId, therapistId }: { siteId: string; therapistId: string }) {
  const [status, setStatus] = useState<EpisodeStatus | "">("OPEN");
  const [cursors, setCursors] = useState<string[]>([]);
  const [result] = useQuery({ query: CaseloadDocument, variables: { siteId, therapistId, first: 50, after: cursors.at(-1) ?? null, status: status || null } });
  useEffect(() => setCursors([]), [status]);
  if (result.error && !result.data) return <Failure error={result.error} what="The caseload" />;
  if (!result.data?.site) return <Loading what="the caseload" />;
  const site = result.data.site;
  const episodes = site.episodes.nodes;
  return (
    <section className="card" aria-labelledby={`caseload-${siteId}`}>
      <h2 id={`caseload-${siteId}`}>{site.name}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={`Filter the caseload at ${site.name}`}>
        <Select label={`Status at ${site.name}`} value={status} onChange={(v) => setStatus(v as EpisodeStatus | "")} options={[["OPEN", "Open"], ["CLOSED", "Closed"]]} all="Open and closed" />
      </form>
      {episodes.length === 0 ? (
        <Empty>No episodes here.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table--cards">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Status</th>
                <th scope="col">Alliance</th>
                <th scope="col" className="number">Last SRS</th>
                <th scope="col" className="number">Last ORS</th>
                <th scope="col" className="number">Open alerts</th>
                <th scope="col">Last session</th>
              </tr>
            </thead>
            <tbody>
              {episodes.map((e) => (
                <tr key={e.id}>
                  <td data-label="Client"><Link to={`/episodes/${e.id}`}>{e.clientId}</Link></td>
                  <td data-label="Status"><Badge value={e.status} /></td>
                  <td data-label="Alliance"><Badge value={e.allianceHealth.status} /></td>
                  <td data-label="Last SRS" className="number">{score(e.allianceHealth.latestSrsTotal)}</td>
                  <td data-label="Last ORS" className="number">{score(e.allianceHealth.latestOrsTotal)}</td>
                  <td data-label="Open alerts" className="number">{e.allianceHealth.openAlerts}</td>
                  <td data-label="Last session">{dateTime(e.allianceHealth.lastSessionAt, site.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager cursors={cursors} onChange={setCursors} pageInfo={site.episodes.pageInfo} />
    </section>
  );
}

const populations: Population[] = ["ADULT", "ADOLESCENT", "CHILD"];

function OpenEpisode({ therapistId, sites }: { therapistId: string; sites: [string, string][] }) {
  const id = useId();
  const navigate = useNavigate();
  const [siteId, setSiteId] = useState(sites[0]?.[0] ?? "");
  const [clientId, setClientId] = useState("");
  const [population, setPopulation] = useState<Population>("ADULT");
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [state, open] = useMutation(OpenEpisodeDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!clientId.trim()) return setErrors(new Map([["clientId", "The client id from your record system is required (never a name)."]]));
    const episodeId = crypto.randomUUID();
    const answer = await open({ input: { episodeId, siteId, therapistId, clientId: clientId.trim(), population } });
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    navigate(`/episodes/${episodeId}`);
  }

  const general = unplaced(errors, ["clientId", "siteId", "population"]);
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Open an episode</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-site`}>Site</label>
          <select id={`${id}-site`} value={siteId} onChange={(e) => setSiteId(e.target.value)}>
            {sites.map(([value, name]) => <option key={value} value={value}>{name}</option>)}
          </select>
          {errors.get("siteId") && <p className="field-error">{errors.get("siteId")}</p>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-client`}>Client id</label>
          <p id={`${id}-client-hint`} className="muted">The pseudonymous id of your record system; never a name.</p>
          <input id={`${id}-client`} value={clientId} onChange={(e) => setClientId(e.target.value)} autoComplete="off"
            aria-invalid={errors.has("clientId") ? true : undefined} aria-describedby={`${id}-client-hint${errors.has("clientId") ? ` ${id}-client-error` : ""}`} />
          {errors.get("clientId") && <p id={`${id}-client-error`} className="field-error">{errors.get("clientId")}</p>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-population`}>Population</label>
          <select id={`${id}-population`} value={population} onChange={(e) => setPopulation(e.target.value as Population)}>
            {populations.map((p) => <option key={p} value={p}>{words(p)}</option>)}
          </select>
        </div>
        {general && <p className="notice notice--error" role="alert">{general}</p>}
        <button type="submit" className="button" disabled={state.fetching}>Open episode</button>
      </form>
    </section>
  );
}
