import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { PeopleDocument, SecurityLogDocument, SecurityPolicyDocument, UpdateSecurityPolicyDocument, type SecurityPolicyQuery } from "../../generated/graphql";
import { Field } from "../../components/Field";
import { Refused } from "../../components/Refused";
import { Empty, Failure, Loading } from "../../components/States";
import { byField, refusalsOf, unplaced } from "../../lib/errors";
import { dateTime, words } from "../../lib/format";
import { Pager } from "../../components/Pager";

const policy = { additionalTypenames: ["SecurityPolicy"] };
const pageSize = 50;

/** Admins: how sign-in is guarded, and the security log (sign-ins, failures, lockouts, invitations, keys…). */
export default function SecurityPage() {
  const [result] = useQuery({ query: SecurityPolicyDocument, context: policy });
  useEffect(() => {
    document.title = "Security · FeedbackPlatform";
  }, []);
  return (
    <>
      <h1>Security</h1>
      {result.error && !result.data ? (
        <Failure error={result.error} what="The security policy" />
      ) : !result.data ? (
        <Loading what="the security policy" />
      ) : (
        <PolicyForm current={result.data.securityPolicy} />
      )}
      <SecurityLog />
    </>
  );
}

function PolicyForm({ current }: { current: SecurityPolicyQuery["securityPolicy"] }) {
  const [requireSecondFactor, setRequireSecondFactor] = useState(current.requireSecondFactor);
  const [lockoutAttempts, setLockoutAttempts] = useState(String(current.lockoutAttempts));
  const [lockoutMinutes, setLockoutMinutes] = useState(String(current.lockoutMinutes));
  const [sessionIdleHours, setSessionIdleHours] = useState(String(current.sessionIdleHours));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [saved, setSaved] = useState(false);
  const [state, update] = useMutation(UpdateSecurityPolicyDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const local = new Map<string, string>();
    const whole = (text: string, field: string, label: string) => {
      if (!/^\d+$/.test(text.trim())) local.set(field, `${label} must be a whole number.`);
      return Number(text.trim());
    };
    const input = {
      requireSecondFactor,
      lockoutAttempts: whole(lockoutAttempts, "lockoutAttempts", "Lockout attempts"),
      lockoutMinutes: whole(lockoutMinutes, "lockoutMinutes", "Lockout minutes"),
      sessionIdleHours: whole(sessionIdleHours, "sessionIdleHours", "Idle hours"),
    };
    if (local.size) return setErrors(local);
    const answer = await update({ input }, policy);
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    setSaved(true);
  }

  return (
    <section className="card" aria-labelledby="policy-heading">
      <h2 id="policy-heading">Sign-in policy</h2>
      <form className="form" onSubmit={submit} noValidate>
        <label className="checkbox">
          <input type="checkbox" checked={requireSecondFactor} onChange={(e) => setRequireSecondFactor(e.target.checked)} /> Require a second factor (an authenticator app) with passwords
        </label>
        <Field label="Lockout attempts" hint="Failed sign-ins in a row that lock an account (1 to 100)." inputMode="numeric" value={lockoutAttempts} onChange={setLockoutAttempts} error={errors.get("lockoutAttempts")} />
        <Field label="Lockout minutes" hint="How long a locked account stays locked (1 to 1440)." inputMode="numeric" value={lockoutMinutes} onChange={setLockoutMinutes} error={errors.get("lockoutMinutes")} />
        <Field label="Idle hours" hint="A browser session ends after this long without a request (1 to 168)." inputMode="numeric" value={sessionIdleHours} onChange={setSessionIdleHours} error={errors.get("sessionIdleHours")} />
        <Refused message={unplaced(errors, ["lockoutAttempts", "lockoutMinutes", "sessionIdleHours"])} />
        {saved && (
          <p role="status" className="notice notice--success">
            The sign-in policy is saved.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button" disabled={state.fetching}>
            Save policy
          </button>
        </div>
      </form>
    </section>
  );
}

function SecurityLog() {
  const [cursors, setCursors] = useState<string[]>([]);
  const [result] = useQuery({ query: SecurityLogDocument, variables: { first: pageSize, after: cursors.at(-1) ?? null }, requestPolicy: "network-only" });
  const [people] = useQuery({ query: PeopleDocument, variables: { first: 200 } });
  const names = new Map((people.data?.people.nodes ?? []).map((p) => [p.id, p.displayName]));
  return (
    <section aria-labelledby="security-log-heading">
      <h2 id="security-log-heading">Security log</h2>
      <p className="muted">Who did what, when (UTC) and from which address; never an e-mail, password, code or token.</p>
      {result.error && !result.data ? (
        <Failure error={result.error} what="The security log" />
      ) : !result.data ? (
        <Loading what="the security log" />
      ) : result.data.securityLog.nodes.length === 0 ? (
        <Empty>Nothing logged yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Security events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">What</th>
                <th scope="col">About</th>
                <th scope="col">By</th>
                <th scope="col">From address</th>
              </tr>
            </thead>
            <tbody>
              {result.data.securityLog.nodes.map((e) => (
                <tr key={e.id}>
                  <td>{dateTime(e.at, "UTC")}</td>
                  <td>{words(e.kind)}</td>
                  <td>{e.personId ? names.get(e.personId) ?? <span className="code">person {e.personId}</span> : e.apiKeyId ? <span className="code">API key {e.apiKeyId}</span> : "—"}</td>
                  <td className="code">{e.by ?? "anonymous"}</td>
                  <td className="code">{e.clientAddress ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager cursors={cursors} onChange={setCursors} pageInfo={result.data?.securityLog.pageInfo} previous="Newer events" next="Older events" />
    </section>
  );
}
