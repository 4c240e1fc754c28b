import { useId, useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { useNavigate } from "react-router";
import { RequestFeedbackDocument, type EpisodeDetailFragment, type FeedbackInstrument } from "../generated/graphql";
import { byField, refusalsOf, unplaced } from "../lib/errors";
import { useAuth } from "../lib/auth";

interface Issued {
  link: string;
  url: string;
  qrCode: string;
  expiresAt: string;
  emailed: boolean;
}

/**
 * The client's own SRS or ORS: a one-time link for a session, shown once (text and QR code), optionally e-mailed to
 * an address typed here (kept nowhere); or client mode, which hands this device to the client: it ends the
 * clinician's session first, so nothing but the client's page is reachable until the clinician signs in again.
 */
export function ClientFeedbackPanel({ episode }: { episode: EpisodeDetailFragment }) {
  const id = useId();
  const [, request] = useMutation(RequestFeedbackDocument);
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const sessions = episode.sessions.filter((s) => !s.cancelled);
  const [picked, setSessionId] = useState<string | null>(null);
  // The latest session until another is picked (a session recorded on this page becomes the default).
  const sessionId = picked !== null && sessions.some((s) => s.id === picked) ? picked : (sessions.at(-1)?.id ?? "");
  const [instruments, setInstruments] = useState<FeedbackInstrument[]>(["SRS"]);
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [issued, setIssued] = useState<Issued | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (instrument: FeedbackInstrument, on: boolean) =>
    setInstruments((old) => (on ? [...old.filter((i) => i !== instrument), instrument] : old.filter((i) => i !== instrument)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setIssued(null);
    const answer = await request({ input: { episodeId: episode.id, sessionId, instruments, email: email.trim() === "" ? null : email.trim() } });
    setBusy(false);
    if (answer.error || !answer.data) {
      setErrors(byField(refusalsOf(answer.error)));
      return;
    }
    setErrors(new Map());
    setEmail("");
    const r = answer.data.requestFeedback;
    setIssued({ link: r.link, url: r.url, qrCode: r.qrCode, expiresAt: r.request.expiresAt, emailed: r.request.sentByEmailAt.length > 0 });
  }

  async function clientMode(link: string) {
    // Full screen needs the click itself. The client's page first (outside the signed-in app, replacing this page in
    // the history), then the session ends: going back leads to sign-in, nowhere else.
    await document.documentElement.requestFullscreen?.().catch(() => undefined);
    navigate(link, { replace: true });
    await signOut();
  }

  const general = unplaced(errors, ["sessionId", "instruments", "email", "expiresInHours"]);
  if (sessions.length === 0) return null;
  return (
    <section aria-labelledby={`${id}-heading`} className="card">
      <h2 id={`${id}-heading`}>Client feedback by the client</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-session`}>Session</label>
          <select id={`${id}-session`} value={sessionId} onChange={(e) => setSessionId(e.target.value)}>
            {sessions.map((s) => (
              <option key={s.id} value={s.id}>Session {s.number}</option>
            ))}
          </select>
          {errors.get("sessionId") && <p className="field-error">{errors.get("sessionId")}</p>}
        </div>
        <fieldset>
          <legend>Instruments</legend>
          {(["ORS", "SRS"] as const).map((instrument) => (
            <label className="checkbox" key={instrument}>
              <input type="checkbox" checked={instruments.includes(instrument)} onChange={(e) => toggle(instrument, e.target.checked)} />
              {instrument}
            </label>
          ))}
          {errors.get("instruments") && <p className="field-error" data-testid="error-instruments">{errors.get("instruments")}</p>}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-email`}>Send to e-mail (optional, not kept)</label>
          <input id={`${id}-email`} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)}
            aria-invalid={errors.has("email") ? true : undefined} aria-describedby={errors.has("email") ? `${id}-email-error` : undefined} />
          {errors.get("email") && <p id={`${id}-email-error`} className="field-error">{errors.get("email")}</p>}
        </div>
        {general && <p className="notice notice--error" role="alert">{general}</p>}
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>Create link</button>
        </div>
      </form>
      {issued && (
        <div className="notice notice--success" role="status" data-testid="issued-link">
          <p>
            Link for the client{issued.emailed ? " (also sent by e-mail)" : ""}, shown this once; it works once per instrument until{" "}
            {new Date(issued.expiresAt).toLocaleString()}:
          </p>
          <p className="code" data-testid="link-url">{issued.url}</p>
          <img className="qr" src={issued.qrCode} alt="QR code of the client's link" />
          <div className="actions">
            <button type="button" className="button" onClick={() => void clientMode(issued.link)}>Hand this device to the client</button>
          </div>
          <p className="muted">Client mode signs you out: to come back, sign in again.</p>
        </div>
      )}
    </section>
  );
}
