import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { Field } from "../components/Field";
import { acceptInvitation, AuthRefusal, type Enrolment } from "../lib/session";

/**
 * `/invitation#<token>`: the link an admin sent. The token travels in the fragment, which the browser never sends
 * to a server; it is taken off the address bar at once and only posted to /auth/invitations/accept.
 */
export default function InvitationPage() {
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, "")));
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [code, setCode] = useState("");
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ recoveryCodes: string[] } | null>(null);

  useEffect(() => {
    document.title = "Accept your invitation · FeedbackPlatform";
    if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== repeat) {
      setErrors({ repeat: "The two passwords are not the same." });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const answer = await acceptInvitation(token, password, enrolment ? code.trim() : undefined);
      if (!answer.activated && answer.enrolment) {
        setEnrolment(answer.enrolment);
      } else if (answer.activated) {
        setDone({ recoveryCodes: answer.recoveryCodes ?? [] });
      }
    } catch (error) {
      if (error instanceof AuthRefusal) setErrors({ [error.field ?? ""]: error.message });
      else setErrors({ "": "The platform could not be reached; try again." });
    } finally {
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <main id="main" className="sign-in">
        <div className="card sign-in__card">
          <h1>Accept your invitation</h1>
          <p className="notice notice--error" role="alert">
            This page needs the whole link from your invitation. Open the link from the message again, or ask an administrator for a new one.
          </p>
        </div>
      </main>
    );
  }

  if (done) {
    return (
      <main id="main" className="sign-in">
        <div className="card sign-in__card">
          <h1>Your account is ready</h1>
          {done.recoveryCodes.length > 0 && (
            <>
              <p>Keep these recovery codes: each signs you in once if you lose your authenticator. They are shown only now.</p>
              <ul className="code">
                {done.recoveryCodes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </>
          )}
          <p>
            <Link to="/sign-in">Go to sign-in</Link>
          </p>
        </div>
      </main>
    );
  }

  const general = errors[""] ?? errors["token"];
  return (
    <main id="main" className="sign-in">
      <div className="card sign-in__card">
        <h1>Accept your invitation</h1>
        <p>Choose the password you will sign in with: at least 12 characters, not one that is common or contains your e-mail address.</p>
        {general && (
          <p className="notice notice--error" role="alert">
            {general}
          </p>
        )}
        <form className="form" onSubmit={submit} noValidate>
          <Field label="New password" type="password" value={password} onChange={setPassword} error={errors["password"]} autoComplete="new-password" required disabled={!!enrolment} />
          <Field label="Repeat the password" type="password" value={repeat} onChange={setRepeat} error={errors["repeat"]} autoComplete="new-password" required disabled={!!enrolment} />
          {enrolment && (
            <div className="notice">
              <p>Your organization requires a second factor. Scan this code with an authenticator app (or type the key into it), then enter the code it shows.</p>
              <img className="qr" src={enrolment.qrCode} alt="QR code of your authenticator key" />
              <p>
                Key: <span className="code" data-testid="enrolment-secret">{enrolment.secret}</span>
              </p>
              <Field label="Authenticator code" value={code} onChange={setCode} error={errors["code"]} autoComplete="one-time-code" inputMode="numeric" required />
            </div>
          )}
          <button type="submit" className="button" disabled={busy}>
            {enrolment ? "Enrol and activate" : "Set password"}
          </button>
        </form>
      </div>
    </main>
  );
}
