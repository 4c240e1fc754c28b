// Who is signed in, from the platform's sign-in endpoints (/auth/*). The session itself is an HttpOnly cookie
// (fp_session) the app never sees; nothing of it, and nothing clinical, is kept in localStorage.

export type Role = "ADMIN" | "DIRECTOR" | "CLINICIAN" | "INTEGRATOR";

export interface Me {
  id: string;
  displayName: string;
  role: Role;
  organization: string;
  sites: string[];
  therapistId: string | null;
}

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCode: string;
}

/** A refusal of an /auth endpoint (problem+json: code, detail, field) or of the network. */
export class AuthRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
    readonly enrolment: Enrolment | null = null,
  ) {
    super(message);
  }
}

// The CSRF guard takes a signed-in request only as application/json from our own origin: fetch sends both.
async function post(path: string, body: Record<string, string | undefined>): Promise<unknown> {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok || (answer && answer["code"] === "SECOND_FACTOR_ENROLMENT_REQUIRED")) {
    const code = typeof answer?.["code"] === "string" ? answer["code"] : `HTTP_${response.status}`;
    const message =
      typeof answer?.["detail"] === "string"
        ? answer["detail"]
        : typeof answer?.["message"] === "string"
          ? answer["message"]
          : "The platform did not answer as expected; try again.";
    const field = typeof answer?.["field"] === "string" ? answer["field"] : null;
    const enrolment = (answer?.["enrolment"] as Enrolment | undefined) ?? null;
    throw new AuthRefusal(response.status, code, message, field, enrolment);
  }
  return answer;
}

export async function fetchMe(): Promise<Me | null> {
  const response = await fetch("/auth/me", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`The platform answered ${response.status} to /auth/me.`);
  return (await response.json()) as Me;
}

export interface SignInAnswer {
  person: Me;
  recoveryCodes: string[] | null;
}

export async function signIn(organization: string, email: string, password: string, code?: string): Promise<SignInAnswer> {
  return (await post("/auth/sign-in", { organization, email, password, code: code || undefined })) as SignInAnswer;
}

export async function signOut(): Promise<void> {
  await post("/auth/sign-out", {});
}

export interface AcceptAnswer {
  activated: boolean;
  secondFactorRequired: boolean;
  message?: string;
  enrolment?: Enrolment;
  recoveryCodes?: string[] | null;
}

export async function acceptInvitation(token: string, password: string, code?: string): Promise<AcceptAnswer> {
  return (await post("/auth/invitations/accept", { token, password, code: code || undefined })) as AcceptAnswer;
}

export async function signInOptions(): Promise<{ singleSignOn: boolean }> {
  const response = await fetch("/auth/options", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) return { singleSignOn: false };
  return (await response.json()) as { singleSignOn: boolean };
}

/** Only a path of ours (one leading slash), never another site: where to go back to after signing in. */
export function safeReturnPath(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith("/sign-in")) return "/";
  return next;
}
