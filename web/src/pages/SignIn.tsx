import { useEffect, useId, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useAuth } from "../lib/auth";
import { AuthRefusal, safeReturnPath, signIn, signInOptions, type Enrolment, type Me } from "../lib/session";
import { startPage } from "../routes";
import { Field } from "../components/Field";

/** Organization, e-mail address and password; then, when asked, the authenticator's code (or enrolling one). */
export function SignInPage() {
  const { me, expired, signedIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeReturnPath(params.get("next"));
  const [organization, setOrganization] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<"credentials" | "code" | "enrol">("credentials");
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [refusal, setRefusal] = useState<AuthRefusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [recovery, setRecovery] = useState<{ person: Me; codes: string[] } | null>(null);
  const [sso, setSso] = useState(false);
  const headingId = useId();

  useEffect(() => {
    signInOptions().then((o) => setSso(o.singleSignOn), () => setSso(false));
  }, []);

  useEffect(() => {
    document.title = "Sign in · FeedbackPlatform";
  }, []);

  // Already signed in (e.g. back from single sign-on): straight on.
  useEffect(() => {
    if (me && !recovery) navigate(next === "/" ? startPage(me.role) : next, { replace: true });
  }, [me, recovery, next, navigate]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    try {
      const answer = await signIn(organization.trim(), email.trim(), password, step === "credentials" ? undefined : code.trim());
      if (answer.recoveryCodes && answer.recoveryCodes.length > 0) {
        setRecovery({ person: answer.person, codes: answer.recoveryCodes });
      } else {
        signedIn(answer.person);
      }
    } catch (error) {
      if (error instanceof AuthRefusal && error.code === "SECOND_FACTOR_REQUIRED") {
        setStep("code");
        if (step === "code") setRefusal(error);
      } else if (error instanceof AuthRefusal && error.code === "SECOND_FACTOR_ENROLMENT_REQUIRED") {
        setStep("enrol");
        setEnrolment(error.enrolment);
      } else if (error instanceof AuthRefusal) {
        setRefusal(error);
      } else {
        setRefusal(new AuthRefusal(0, "NETWORK", "The platform could not be reached; try again.", null));
      }
    } finally {
      setBusy(false);
    }
  }

  if (recovery) {
    return (
      <main id="main" className="sign-in">
        <h1>Keep your recovery codes</h1>
        <p>Each code signs you in once if you lose your authenticator. They are shown only now: write them down or store them in a password manager.</p>
        <ul className="code">
          {recovery.codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <button type="button" className="button" onClick={() => signedIn(recovery.person)}>
          I have kept them, continue
        </button>
      </main>
    );
  }

  const fieldError = (field: string) => (refusal?.field === field ? refusal.message : null);
  const general = refusal && !["organization", "email", "password", "code"].includes(refusal.field ?? "") ? refusal.message : null;

  return (
    <main id="main" className="sign-in">
      <div className="card sign-in__card">
        <h1 id={headingId}>Sign in to FeedbackPlatform</h1>
        {expired && (
          <p className="notice" role="status">
            Your session has ended. Sign in again to go back to where you were.
          </p>
        )}
        {general && (
          <p className="notice notice--error" role="alert">
            {general}
          </p>
        )}
        <form className="form" onSubmit={submit} noValidate aria-labelledby={headingId}>
          <Field label="Organization" value={organization} onChange={setOrganization} error={fieldError("organization")} autoComplete="organization" required disabled={step !== "credentials"} />
          <Field label="Email" type="email" value={email} onChange={setEmail} error={fieldError("email")} autoComplete="username" required disabled={step !== "credentials"} />
          <Field label="Password" type="password" value={password} onChange={setPassword} error={fieldError("password")} autoComplete="current-password" required disabled={step !== "credentials"} />
          {step === "enrol" && enrolment && (
            <div className="notice">
              <p>Your organization requires a second factor. Scan this code with an authenticator app, or type the key into it, then enter the code it shows.</p>
              <img className="qr" src={enrolment.qrCode} alt="QR code of your authenticator key" />
              <p>
                Key: <span className="code">{enrolment.secret}</span>
              </p>
            </div>
          )}
          {step !== "credentials" && (
            <Field label="Authenticator code" value={code} onChange={setCode} error={fieldError("code")} autoComplete="one-time-code" inputMode="numeric" required
              hint={step === "code" ? "The six-digit code your authenticator app shows now, or one of your recovery codes." : undefined} />
          )}
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              Sign in
            </button>
            {step !== "credentials" && (
              <button type="button" className="button button--secondary" onClick={() => { setStep("credentials"); setCode(""); setRefusal(null); }}>
                Start again
              </button>
            )}
          </div>
        </form>
        {sso && (
          <p className="sso">
            <a href={`/auth/sso?returnUrl=${encodeURIComponent(next)}`}>Sign in with your organization's account</a>
          </p>
        )}
      </div>
    </main>
  );
}
