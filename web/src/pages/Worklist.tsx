import { useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { useQuery, useSubscription } from "urql";
import {
  AlertRaisedDocument,
  WorklistDocument,
  type AlertRaisedSubscription,
  type AlertRaisedSubscriptionVariables,
  type AlertFilter,
  type AlertKind,
  type AlertRowFragment,
  type AlertSeverity,
  type AlertStatus,
} from "../generated/graphql";
import { Badge } from "../components/Badges";
import { Empty, Failure, Loading } from "../components/States";
import { AlertActions } from "../components/AlertActions";
import { dateTime, words } from "../lib/format";

const kinds: AlertKind[] = ["LOW_ALLIANCE", "ALLIANCE_DROP", "OUTCOME_DETERIORATION", "NOT_ON_TRACK", "NO_GOAL_CONSENSUS", "MISSING_FEEDBACK", "DISENGAGEMENT_RISK"];
const severities: AlertSeverity[] = ["HIGH", "MEDIUM", "LOW"];
const statuses: AlertStatus[] = ["OPEN", "ACKNOWLEDGED", "ESCALATED", "RESOLVED"];

/** The directors' worklist: alerts of their sites, newest first; new ones arrive live through alertRaised. */
export default function WorklistPage() {
  const [siteId, setSiteId] = useState("");
  const [kind, setKind] = useState("");
  const [severity, setSeverity] = useState("");
  // "" = every alert not yet resolved (the work to do); a status narrows to it.
  const [status, setStatus] = useState("");
  const [after, setAfter] = useState<string[]>([]);
  const [announcement, setAnnouncement] = useState("");
  const [live, setLive] = useState<AlertRowFragment[]>([]);
  // Alerts acknowledged or resolved here: shown as the mutation answered, at once, before the list is refetched.
  const [worked, setWorked] = useState<Map<string, AlertRowFragment>>(new Map());

  useEffect(() => {
    document.title = "Alert worklist · FeedbackPlatform";
  }, []);

  const filter = useMemo<AlertFilter>(
    () => ({
      siteId: siteId || null,
      kind: (kind || null) as AlertKind | null,
      severity: (severity || null) as AlertSeverity | null,
      status: (status || null) as AlertStatus | null,
      unresolved: status ? null : true,
    }),
    [siteId, kind, severity, status],
  );
  const cursor = after.at(-1) ?? null;
  const [result] = useQuery({ query: WorklistDocument, variables: { filter, first: 50, after: cursor } });

  // New filters start from the newest again.
  useEffect(() => {
    setAfter([]);
    setLive([]);
  }, [filter]);

  // Every event is kept (newest first), so alerts arriving between two renders are not lost.
  const [subscription] = useSubscription<AlertRaisedSubscription, AlertRowFragment[], AlertRaisedSubscriptionVariables>(
    { query: AlertRaisedDocument, variables: { siteId: siteId || null } },
    (received = [], event) => [event.alertRaised, ...received],
  );
  const seen = useRef(new Set<string>());
  useEffect(() => {
    const arrived = (subscription.data ?? []).filter((a) => !seen.current.has(a.id));
    if (arrived.length === 0) return;
    arrived.forEach((a) => seen.current.add(a.id));
    const shown = arrived.filter((a) => matches(a, filter));
    if (shown.length === 0) return;
    setLive((current) => [...shown.filter((a) => !current.some((c) => c.id === a.id)), ...current]);
    const newest = shown[0]!;
    setAnnouncement(
      shown.length === 1
        ? `New alert: ${words(newest.kind)}, ${words(newest.severity).toLowerCase()} severity, at ${newest.site.name}.`
        : `${shown.length} new alerts; the newest: ${words(newest.kind)}, ${words(newest.severity).toLowerCase()} severity, at ${newest.site.name}.`,
    );
  }, [subscription.data, filter]);

  const fetched = result.data?.alerts.nodes ?? [];
  const rows = useMemo(() => {
    const ids = new Set(fetched.map((a) => a.id));
    // Only the first page shows the live arrivals on top; later pages are as fetched.
    return [...(cursor ? [] : live.filter((a) => !ids.has(a.id))), ...fetched]
      .map((a) => worked.get(a.id) ?? a)
      .filter((a) => matches(a, filter));
  }, [fetched, live, worked, cursor, filter]);
  const sites = result.data?.organization.sites ?? [];

  return (
    <>
      <h1>Alert worklist</h1>
      <div aria-live="polite" role="status" className="live-region notice" data-testid="alert-announcement" hidden={!announcement}>
        {announcement}
      </div>
      <form className="filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <Select label="Site" value={siteId} onChange={setSiteId} options={sites.map((s) => [s.id, s.name])} all="All my sites" />
        <Select label="Kind" value={kind} onChange={setKind} options={kinds.map((k) => [k, words(k)])} all="All kinds" />
        <Select label="Severity" value={severity} onChange={setSeverity} options={severities.map((s) => [s, words(s)])} all="All severities" />
        <Select label="Status" value={status} onChange={setStatus} options={statuses.map((s) => [s, words(s)])} all="Not yet resolved" />
      </form>
      {result.error && !result.data ? (
        <Failure error={result.error} what="The alerts" />
      ) : !result.data ? (
        <Loading what="the alerts" />
      ) : rows.length === 0 ? (
        <Empty>No alerts match. New alerts of your sites appear here as they are raised.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table--cards">
            <caption>Alerts, newest first, times in each site's time zone{subscription.error ? " (live updates paused: reload to see new alerts)" : ""}</caption>
            <thead>
              <tr>
                <th scope="col">Raised at</th>
                <th scope="col">Kind</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Evidence</th>
                <th scope="col">Site</th>
                <th scope="col">Episode</th>
                <th scope="col">Escalated</th>
                <th scope="col">Work it</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((alert) => (
                <tr key={alert.id} data-testid="alert-row" data-kind={alert.kind}>
                  <td data-label="Raised at">{dateTime(alert.raisedAt, alert.site.timeZone)}</td>
                  <td data-label="Kind">
                    <Link to={`/alerts/${alert.id}`}>{words(alert.kind)}</Link>
                  </td>
                  <td data-label="Severity">
                    <Badge value={alert.severity} />
                  </td>
                  <td data-label="Status">
                    <Badge value={alert.status} />
                  </td>
                  <td data-label="Evidence">{alert.evidence}</td>
                  <td data-label="Site">{alert.site.name}</td>
                  <td data-label="Episode">{alert.episode ? <Link to={`/episodes/${alert.episode.id}`}>Open episode{alert.sessionNumber ? ` (session ${alert.sessionNumber})` : ""}</Link> : "—"}</td>
                  <td data-label="Escalated">{alert.escalatedAt ? `Yes, ${dateTime(alert.escalatedAt, alert.site.timeZone)}` : "No"}</td>
                  <td data-label="Work it">
                    <AlertActions alert={alert} compact onWorked={(a) => setWorked((m) => new Map(m).set(a.id, a))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        {after.length > 0 && (
          <button type="button" className="button button--secondary" onClick={() => setAfter((a) => a.slice(0, -1))}>
            Newer alerts
          </button>
        )}
        {result.data?.alerts.pageInfo.hasNextPage && (
          <button type="button" className="button button--secondary" onClick={() => setAfter((a) => [...a, result.data!.alerts.pageInfo.endCursor!])}>
            Older alerts
          </button>
        )}
      </div>
    </>
  );
}

function matches(alert: AlertRowFragment, filter: AlertFilter): boolean {
  if (filter.siteId && alert.site.id !== filter.siteId) return false;
  if (filter.kind && alert.kind !== filter.kind) return false;
  if (filter.severity && alert.severity !== filter.severity) return false;
  if (filter.status && alert.status !== filter.status) return false;
  if (filter.unresolved && alert.status === "RESOLVED") return false;
  return true;
}

export function Select({ label, value, onChange, options, all }: { label: string; value: string; onChange(v: string): void; options: [string, string][]; all: string }) {
  const id = `filter-${label.toLowerCase().replaceAll(" ", "-")}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
