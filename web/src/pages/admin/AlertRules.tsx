import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { useClient, useMutation, useQuery } from "urql";
import {
  MySitesDocument,
  AlertRulesDocument,
  SimulateAlertRulesDocument,
  UpdateAlertRulesDocument,
  type AlertRuleSettingsInput,
  type SimulateAlertRulesQuery,
} from "../../generated/graphql";
import { Field } from "../../components/Field";
import { Refused } from "../../components/Refused";
import { SelectField } from "../../components/SelectField";
import { Failure, Loading } from "../../components/States";
import { changedRules, draftOf, parseRules, periodOf, ruleFieldOf, ruleFields, sameRules, type RuleDraft, type RuleName } from "../../lib/alertRules";
import { refusalsOf } from "../../lib/errors";
import { dateOnly, words } from "../../lib/format";

const rules = { additionalTypenames: ["AlertRuleSettings"] };

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Admins: the alert thresholds, tried on the clinic's own history (what-if) before they are saved. */
export default function AlertRulesPage() {
  const [result] = useQuery({ query: AlertRulesDocument, context: rules });
  useEffect(() => {
    document.title = "Alert rules · FeedbackPlatform";
  }, []);
  if (result.error && !result.data) return <Failure error={result.error} what="The alert rules" />;
  if (!result.data) return <Loading what="the alert rules" />;
  // Only the thresholds (urql adds __typename to what it fetches).
  const settings = result.data.alertRules;
  const current = Object.fromEntries(ruleFields.map((f) => [f.name, settings[f.name]])) as Record<RuleName, number | boolean>;
  return <RulesEditor current={current} />;
}

function RulesEditor({ current }: { current: Record<RuleName, number | boolean> }) {
  const client = useClient();
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(current));
  const [errors, setErrors] = useState<Partial<Record<RuleName, string>>>({});
  const today = new Date();
  const yearAgo = new Date(today.getTime() - 365 * 24 * 3600 * 1000);
  const [fromDay, setFromDay] = useState(isoDay(yearAgo));
  const [toDay, setToDay] = useState(isoDay(today));
  const [siteId, setSiteId] = useState("");
  const [periodError, setPeriodError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [trying, setTrying] = useState(false);
  const [tried, setTried] = useState<{ settings: AlertRuleSettingsInput; outcome: SimulateAlertRulesQuery["simulateAlertRules"]; site: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saveState, save] = useMutation(UpdateAlertRulesDocument);
  const [directory] = useQuery({ query: MySitesDocument });
  const sites = directory.data?.organization.sites ?? [];
  const currentSettings = current as AlertRuleSettingsInput;

  const parsed = useMemo(() => parseRules(draft), [draft]);
  // Saving is offered only for exactly the thresholds the what-if showed.
  const triedThese = tried !== null && parsed.ok && sameRules(tried.settings, parsed.settings);
  const changes = parsed.ok ? changedRules(currentSettings, parsed.settings) : [];

  function set(name: RuleName, value: string | boolean) {
    setDraft((d) => ({ ...d, [name]: value }));
    setSaved(null);
  }

  function placeRefusal(error: Parameters<typeof refusalsOf>[0]) {
    const placed: Partial<Record<RuleName, string>> = {};
    const rest: string[] = [];
    for (const refusal of refusalsOf(error)) {
      const field = ruleFieldOf(refusal.field);
      if (field) placed[field] = refusal.message;
      else if (refusal.field === "from" || refusal.field === "to") setPeriodError(refusal.message);
      else rest.push(refusal.message);
    }
    setErrors(placed);
    setFailure(rest.length ? rest.join(" ") : null);
  }

  async function tryRules(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    setPeriodError(null);
    setSaved(null);
    if (!parsed.ok) return setErrors(parsed.errors);
    setErrors({});
    const period = periodOf(fromDay, toDay);
    if ("error" in period) return setPeriodError(period.error);
    setTrying(true);
    // A what-if is a question about now: never answered from the cache.
    const answer = await client
      .query(SimulateAlertRulesDocument, { settings: parsed.settings, from: period.from, to: period.to, siteId: siteId || null }, { requestPolicy: "network-only" })
      .toPromise();
    setTrying(false);
    if (answer.error) return placeRefusal(answer.error);
    if (answer.data) setTried({ settings: parsed.settings, outcome: answer.data.simulateAlertRules, site: sites.find((s) => s.id === siteId)?.name ?? "every site" });
  }

  async function saveRules() {
    if (!parsed.ok || !triedThese) return;
    setFailure(null);
    const answer = await save({ input: parsed.settings }, rules);
    if (answer.error) return placeRefusal(answer.error);
    setSaved("The rules are saved: they apply from the next rating, session or check on.");
    setTried(null);
  }

  return (
    <>
      <h1>Alert rules</h1>
      <p>Change a threshold, try it on the clinic's own history to see how many alerts of each kind it would have raised, then save it.</p>
      <form onSubmit={tryRules} noValidate aria-label="Alert thresholds">
        <div className="card">
          <h2>Thresholds</h2>
          <div className="grid">
            {ruleFields.map((field) =>
              field.kind === "boolean" ? (
                <RuleSwitch key={field.name} label={field.label} hint={field.hint} checked={draft[field.name] === true} onChange={(v) => set(field.name, v)} error={errors[field.name]} />
              ) : (
                <Field
                  key={field.name}
                  label={field.label}
                  hint={field.hint}
                  inputMode={field.kind === "integer" ? "numeric" : "decimal"}
                  value={String(draft[field.name])}
                  onChange={(v) => set(field.name, v)}
                  error={errors[field.name]}
                />
              ),
            )}
          </div>
        </div>
        <div className="card">
          <h2>What-if</h2>
          <div className="filters">
            <Field label="From (UTC day)" type="date" value={fromDay} onChange={setFromDay} error={periodError} />
            <Field label="To (UTC day, included)" type="date" value={toDay} onChange={setToDay} />
            <SelectField label="Site" value={siteId} onChange={setSiteId} options={sites.map((s) => [s.id, s.name])} none="Every site" />
          </div>
          <p className="muted">
            {changes.length === 0 ? "No threshold differs from the rules in force." : `Changed: ${changes.map((c) => `${c.label} ${String(currentSettings[c.name])} → ${String(parsed.ok ? parsed.settings[c.name] : "")}`).join("; ")}.`}
          </p>
          <div className="actions">
            <button type="submit" className="button" disabled={trying}>
              Try these rules
            </button>
          </div>
        </div>
      </form>
      <Refused message={failure} />
      <div aria-live="polite">
        {trying && <Loading what="the what-if" />}
        {tried && <WhatIf tried={tried.outcome} site={tried.site} stale={!triedThese} />}
      </div>
      <div className="actions">
        <button type="button" className="button" onClick={saveRules} disabled={!triedThese || saveState.fetching} aria-describedby="save-hint">
          Save these rules
        </button>
        <span id="save-hint" className="muted">
          {triedThese ? "Saves exactly the thresholds tried above." : "Try the rules first: they can be saved once the what-if shows these exact thresholds."}
        </span>
      </div>
      {saved && (
        <p role="status" className="notice notice--success">
          {saved}
        </p>
      )}
    </>
  );
}

function RuleSwitch({ label, hint, checked, onChange, error }: { label: string; hint: string; checked: boolean; onChange(v: boolean): void; error: string | undefined }) {
  const id = useId();
  return (
    <div className="field">
      <label className="checkbox" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`} aria-invalid={error ? true : undefined} />
        {label}
      </label>
      <p id={`${id}-hint`} className="muted">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The period ends before `to` (the next day's midnight): its last day is the one before. */
function lastInstant(to: string): string {
  return new Date(new Date(to).getTime() - 1).toISOString();
}

function difference(n: number): string {
  return n === 0 ? "no change" : n > 0 ? `${n} more` : `${-n} fewer`;
}

function WhatIf({ tried, site, stale }: { tried: SimulateAlertRulesQuery["simulateAlertRules"]; site: string; stale: boolean }) {
  return (
    <section className="card" aria-labelledby="what-if-heading" data-testid="what-if">
      <h2 id="what-if-heading">What these rules would have raised</h2>
      <p>
        {plural(tried.facts, "fact")} of {plural(tried.episodes, "episode")} at {site}, {dateOnly(tried.from, "UTC")} to {dateOnly(lastInstant(tried.to), "UTC")} (UTC), replayed under the rules in force and under the proposed ones.
      </p>
      {stale && (
        <p className="notice" role="status">
          The thresholds changed since this what-if: try them again before saving.
        </p>
      )}
      <div className="table-wrap">
        <table>
          <caption>Alerts per kind: in force and proposed</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col" className="number">In force</th>
              <th scope="col" className="number">Proposed</th>
              <th scope="col">Difference</th>
            </tr>
          </thead>
          <tbody>
            {tried.kinds.map((k) => (
              <tr key={k.kind} data-kind={k.kind}>
                <th scope="row">{words(k.kind)}</th>
                <td className="number" data-testid="current">{k.current}</td>
                <td className="number" data-testid="proposed">{k.proposed}</td>
                <td>{difference(k.difference)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All kinds</th>
              <td className="number">{tried.totalCurrent}</td>
              <td className="number">{tried.totalProposed}</td>
              <td>{difference(tried.totalProposed - tried.totalCurrent)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
