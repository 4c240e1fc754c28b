import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useParams } from "react-router";
import { useQuery } from "urql";
import { EpisodePageDocument, type EpisodeDetailFragment, type EpisodePageQuery } from "../generated/graphql";
import Chart, { type ChartSeries } from "../components/Chart";
import { Badge } from "../components/Badges";
import { AlertActions } from "../components/AlertActions";
import { Empty, Failure, Loading, NotFound } from "../components/States";
import { EpisodeTreatment } from "../components/EpisodeTreatment";
import { useMe } from "../lib/auth";
import { dateTime, decimal, isoToLocalInput, localInputToIso, score, share, words } from "../lib/format";
import { alignedSeries, populationCutoff, reliableChangeBand, totalRange, underCutoff } from "../lib/scales";

/** One episode: trajectories, flagged items, sessions, goals, alerts; "as of" a past instant; treatment for its clinician. */
export default function EpisodePage() {
  const { episodeId = "" } = useParams();
  const me = useMe();
  const [asOf, setAsOf] = useState<string | null>(null);
  const [asOfInput, setAsOfInput] = useState("");
  const [asOfError, setAsOfError] = useState<string | null>(null);
  const [result] = useQuery({ query: EpisodePageDocument, variables: { id: episodeId, asOf } });

  useEffect(() => {
    document.title = "Episode · FeedbackPlatform";
  }, []);

  function showAsOf(event: FormEvent) {
    event.preventDefault();
    const iso = localInputToIso(asOfInput);
    if (!iso) return setAsOfError("Enter a date and time, e.g. 2026-11-25 09:30.");
    setAsOfError(null);
    setAsOf(iso);
  }

  if (result.error && !result.data) return <Failure error={result.error} what="The episode" />;
  if (!result.data) return <Loading what="the episode" />;
  const episode = result.data.episode;
  if (!episode) return <NotFound what="Episode" />;
  const zone = episode.site?.timeZone;
  const treats = (me.role === "CLINICIAN" || me.role === "ADMIN") && episode.status === "OPEN" && asOf === null;
  const worksAlerts = (me.role === "DIRECTOR" || me.role === "ADMIN") && asOf === null;

  return (
    <>
      <h1>
        Episode of client <span className="code">{episode.clientId}</span>
      </h1>
      <p className="muted zone-note">Times in the site's time zone, {zone ?? "UTC"}.</p>
      <div className="card">
        <dl className="stats">
          <div>
            <dt>Status</dt>
            <dd>
              <Badge value={episode.status} />
              {episode.closedAs ? ` (${words(episode.closedAs)})` : ""}
            </dd>
          </div>
          <div>
            <dt>Alliance</dt>
            <dd>
              <Badge value={episode.allianceHealth.status} />
            </dd>
          </div>
          <div>
            <dt>Site</dt>
            <dd>{episode.site?.name ?? "—"}</dd>
          </div>
          <div>
            <dt>Therapist</dt>
            <dd>{episode.therapist?.displayName ?? "—"}</dd>
          </div>
          <div>
            <dt>Population</dt>
            <dd>{words(episode.population)}</dd>
          </div>
          <div>
            <dt>Opened</dt>
            <dd>{dateTime(episode.openedAt, zone)}</dd>
          </div>
          <div>
            <dt>Latest SRS</dt>
            <dd>{score(episode.allianceHealth.latestSrsTotal)}</dd>
          </div>
          <div>
            <dt>Latest ORS</dt>
            <dd>{score(episode.allianceHealth.latestOrsTotal)}</dd>
          </div>
          <div>
            <dt>Feedback completion</dt>
            <dd>{share(episode.allianceHealth.feedbackCompletion)}</dd>
          </div>
          <div>
            <dt>Open alerts</dt>
            <dd>{episode.allianceHealth.openAlerts}</dd>
          </div>
        </dl>
        <form className="filters" onSubmit={showAsOf} noValidate aria-label="Show the episode as it stood at a past time">
          <div className="field">
            <label htmlFor="as-of">As of (your local time)</label>
            <input id="as-of" type="datetime-local" value={asOfInput} max={isoToLocalInput(new Date())} onChange={(e) => setAsOfInput(e.target.value)}
              aria-invalid={asOfError ? true : undefined} aria-describedby={asOfError ? "as-of-error" : undefined} />
            {asOfError && <p id="as-of-error" className="field-error">{asOfError}</p>}
          </div>
          <button type="submit" className="button button--secondary">Show as of then</button>
          {asOf && (
            <button type="button" className="button button--secondary" onClick={() => { setAsOf(null); setAsOfInput(""); }}>
              Back to now
            </button>
          )}
        </form>
        {asOf && (
          <p className="notice" role="status">
            Showing the episode as it stood at {dateTime(asOf, zone)} ({zone ?? "UTC"}).
          </p>
        )}
      </div>

      <Trajectories episode={episode} rules={result.data.alertRules} />

      {treats && <EpisodeTreatment episode={episode} />}

      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        {episode.sessions.length === 0 ? (
          <Empty>No session recorded yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Sessions with their ratings</caption>
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Held at</th>
                  <th scope="col" className="number">SRS (relationship, goals, approach, overall)</th>
                  <th scope="col" className="number">SRS total</th>
                  <th scope="col" className="number">ORS (individual, interpersonal, social, overall)</th>
                  <th scope="col" className="number">ORS total</th>
                  <th scope="col" className="number">WAI-SR mean</th>
                </tr>
              </thead>
              <tbody>
                {episode.sessions.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.number}{s.cancelled ? " (cancelled)" : ""}</th>
                    <td>{dateTime(s.heldAt, zone)}</td>
                    <td className="number">{s.sessionRating ? [s.sessionRating.relationship, s.sessionRating.goalsAndTopics, s.sessionRating.approachOrMethod, s.sessionRating.overall].map((v) => v.toFixed(1)).join(" · ") : "—"}</td>
                    <td className="number">{score(s.sessionRating?.total)}</td>
                    <td className="number">{s.outcomeRating ? [s.outcomeRating.individual, s.outcomeRating.interpersonal, s.outcomeRating.social, s.outcomeRating.overall].map((v) => v.toFixed(1)).join(" · ") : "—"}</td>
                    <td className="number">{score(s.outcomeRating?.total)}</td>
                    <td className="number">{decimal(s.allianceInventory?.mean)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="goals-heading">
        <h2 id="goals-heading">Goals</h2>
        {episode.goals.length === 0 ? (
          <Empty>No goal recorded yet.</Empty>
        ) : (
          <ul>
            {episode.goals.map((g) => (
              <li key={g.id}>
                {g.description ?? <span className="muted">(free text not available)</span>} —{" "}
                {g.agreed ? "agreed by client and therapist" : `agreed by ${[g.agreedByClient && "the client", g.agreedByTherapist && "the therapist"].filter(Boolean).join(" and ") || "nobody yet"}`}
                {g.achieved ? "; achieved" : ""}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alerts</h2>
        {episode.alerts.length === 0 ? (
          <Empty>No alert was raised for this episode.</Empty>
        ) : (
          episode.alerts.map((alert) => (
            <article key={alert.id} className="card" aria-label={`${words(alert.kind)} alert`} data-testid="episode-alert" data-kind={alert.kind}>
              <h3>
                {words(alert.kind)} <Badge value={alert.severity} label="Severity" /> <Badge value={alert.status} label="Status" />
              </h3>
              <p>{alert.evidence}</p>
              <ol className="muted">
                <li>Raised {dateTime(alert.raisedAt, zone)}{alert.sessionNumber ? ` at session ${alert.sessionNumber}` : ""}{alert.occurrences > 1 ? `, ${alert.occurrences} occurrences` : ""}</li>
                {alert.acknowledgedAt && <li>Acknowledged {dateTime(alert.acknowledgedAt, zone)}{alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ""}</li>}
                {alert.escalatedAt && <li>Escalated {dateTime(alert.escalatedAt, zone)}</li>}
                {alert.resolvedAt && <li>Resolved {dateTime(alert.resolvedAt, zone)} ({words(alert.resolution)}){alert.resolvedBy ? ` by ${alert.resolvedBy}` : ""}</li>}
              </ol>
              {alert.notes && alert.notes.length > 0 && (
                <>
                  <h4>Notes</h4>
                  <ul>
                    {alert.notes.map((n, i) => (
                      <li key={i}>{n}</li>
                    ))}
                  </ul>
                </>
              )}
              {worksAlerts && <AlertActions alert={alert} />}
            </article>
          ))
        )}
      </section>
    </>
  );
}

type Rules = EpisodePageQuery["alertRules"];

const srsItemLabels: Record<string, string> = {
  relationship: "Relationship",
  goalsAndTopics: "Goals and topics",
  approachOrMethod: "Approach or method",
  overall: "Overall",
};
const srsItemLabel = (item: string) => srsItemLabels[item] ?? words(item);

function Trajectories({ episode, rules }: { episode: EpisodeDetailFragment; rules: Rules }) {
  const health = episode.allianceHealth;
  const cutoff = rules.srsClinicalCutoff;
  const orsCutoff = populationCutoff(episode.population, rules);
  const band = reliableChangeBand(health.intakeOrsTotal, rules.orsReliableChange);

  const srsData = useMemo(() => alignedSeries(health.srsSeries, [cutoff]), [health.srsSeries, cutoff]);
  const srsSeries = useMemo<ChartSeries[]>(
    () => [
      { label: "SRS total", colorToken: "--color-chart-srs", points: true },
      { label: `SRS cutoff (${cutoff.toFixed(1)})`, colorToken: "--color-chart-cutoff", dashed: true },
    ],
    [cutoff],
  );
  const orsData = useMemo(
    () => alignedSeries(health.orsSeries, [orsCutoff, health.intakeOrsTotal ?? null, band?.[1] ?? null, band?.[0] ?? null]),
    [health.orsSeries, orsCutoff, health.intakeOrsTotal, band],
  );
  const orsSeries = useMemo<ChartSeries[]>(
    () => [
      { label: "ORS total", colorToken: "--color-chart-ors", points: true },
      { label: `${words(episode.population)} cutoff (${orsCutoff.toFixed(1)})`, colorToken: "--color-chart-cutoff", dashed: true },
      { label: `ORS intake (${score(health.intakeOrsTotal)})`, colorToken: "--color-chart-ors", dashed: true },
      { label: "upper", colorToken: "--color-chart-ors", bandEdge: true },
      { label: "lower", colorToken: "--color-chart-ors", bandEdge: true },
    ],
    [episode.population, orsCutoff, health.intakeOrsTotal],
  );
  const orsBands = useMemo(() => (band ? [{ between: [4, 5] as [number, number], colorToken: "--color-chart-band" }] : []), [band]);
  const yRange = useMemo(() => totalRange(), []);

  return (
    <section aria-labelledby="trajectories-heading">
      <h2 id="trajectories-heading">Trajectories</h2>
      <div className="grid">
        <div className="card">
          <h3>Session Rating Scale (alliance)</h3>
          {health.srsSeries.length === 0 ? (
            <Empty>No SRS yet.</Empty>
          ) : (
            <>
              <Chart data={srsData} series={srsSeries} yRange={yRange} xLabel="Session" yLabel="SRS total" testId="srs-chart"
                description={`SRS totals by session, with the cutoff at ${cutoff.toFixed(1)}.`} />
              <ul data-testid="srs-points">
                {health.srsSeries.map((p) => (
                  <li key={p.sessionNumber}>
                    Session {p.sessionNumber}: SRS {p.total.toFixed(1)} —{" "}
                    {underCutoff(p.total, cutoff, rules.srsCutoffInclusive) ? <strong>under the cutoff</strong> : "at or over the cutoff"}
                  </li>
                ))}
              </ul>
            </>
          )}
          {health.srsFlaggedItems.length > 0 && (
            <p className="notice">
              <strong>Flagged items of the latest SRS:</strong> {health.srsFlaggedItems.map(srsItemLabel).join(", ")}. Talk them through with the client.
            </p>
          )}
        </div>
        <div className="card">
          <h3>Outcome Rating Scale (outcome)</h3>
          {health.orsSeries.length === 0 ? (
            <Empty>No ORS yet.</Empty>
          ) : (
            <>
              <Chart data={orsData} series={orsSeries} bands={orsBands} yRange={yRange} xLabel="Session" yLabel="ORS total" testId="ors-chart"
                description={`ORS totals by session; intake ${score(health.intakeOrsTotal)}, reliable change ±${rules.orsReliableChange.toFixed(1)}, population cutoff ${orsCutoff.toFixed(1)}.`} />
              <ul>
                {health.orsSeries.map((p) => (
                  <li key={p.sessionNumber}>
                    Session {p.sessionNumber}: ORS {p.total.toFixed(1)}
                  </li>
                ))}
              </ul>
              <p className="muted">Change since intake: {health.orsChange ? words(health.orsChange) : "none measured yet (the intake is the only ORS)"}.</p>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
