import { spawn } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";

// The test harness's side door to the platform is the same as any client's: bearer tokens signed with the key the
// platform was started with (what ops/dev-token.sh makes), the public GraphQL API and the sign-in endpoints.

export const repositoryRoot = resolve(import.meta.dirname, "../../..");
/** Where the run's platform (pid, address, schema) is written by global-setup for the workers and the teardown. */
export const resultsDir = process.env.WEB_RESULTS ?? resolve(repositoryRoot, ".local/test-results/web");
export const stateFile = resolve(resultsDir, "platform.json");
export const signingKey = "web-tests-only-signing-key-0123456789abcdef-0123456789";

export function platformUrl(): string {
  if (process.env.PLATFORM_URL) return process.env.PLATFORM_URL;
  return (JSON.parse(readFileSync(stateFile, "utf8")) as { url: string }).url;
}

/** The schema of the run's platform (global-setup's), for a second process on the same data. */
export function platformSchema(): string {
  return (JSON.parse(readFileSync(stateFile, "utf8")) as { schema: string }).schema;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

export interface PlatformProcess {
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * A platform process (the Debug build, Development) on a free port of its own, on the run's database and the given
 * schema, resolved once it answers ready; `env` adds to or overrides its settings (a role, a clock offset).
 */
export async function startPlatform(schema: string, env: Record<string, string> = {}): Promise<PlatformProcess> {
  const db = process.env.FEEDBACK_DB;
  if (!db) throw new Error("FEEDBACK_DB is not set: give the PostgreSQL connection string (ops/postgres.sh prints one).");
  const bin = resolve(repositoryRoot, "src/FeedbackPlatform/bin/Debug/net10.0");
  if (!existsSync(resolve(bin, "FeedbackPlatform.dll"))) throw new Error(`No Debug build in ${bin}: run dotnet build FeedbackPlatform.sln first.`);
  const webRoot = resolve(repositoryRoot, "web/dist");
  if (!existsSync(resolve(webRoot, "index.html"))) throw new Error("web/dist is not built: run npm run build in web/ first.");
  const url = `http://127.0.0.1:${await freePort()}`;
  const child = spawn("dotnet", ["FeedbackPlatform.dll"], {
    cwd: bin,
    env: {
      ...process.env,
      FEEDBACK_DB: db,
      FEEDBACK_SCHEMA: schema,
      FEEDBACK_URLS: url,
      FEEDBACK_PUBLIC_URL: url,
      FEEDBACK_WEB_ROOT: webRoot,
      ASPNETCORE_ENVIRONMENT: "Development",
      Auth__SigningKey: signingKey,
      Auth__SignInsPerMinute: "200",
      Logging__LogLevel__Default: "Warning",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: false,
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The platform exited with ${child.exitCode} before it was ready.`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { url, pid: child.pid!, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error("The platform did not become ready within 120 s.");
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** An HS256 JWT as `dev-token` signs it (issuer and audience feedback-platform). */
export function token(claims: { role: string; org: string; site?: string[]; therapist?: string; sub?: string }): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    sub: claims.sub ?? `web-test-${claims.role}-${randomBytes(3).toString("hex")}`,
    role: claims.role,
    org: claims.org,
    iss: "feedback-platform",
    aud: "feedback-platform",
    nbf: now - 60,
    iat: now - 60,
    exp: now + 3600,
  };
  if (claims.site?.length) payload["site"] = claims.site;
  if (claims.therapist) payload["therapist"] = claims.therapist;
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const signature = createHmac("sha256", signingKey).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

export async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, bearer: string): Promise<T> {
  const response = await fetch(`${platformUrl()}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL refused: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data as T;
}

export interface Clinic {
  org: string;
  admin: string;
  sites: { id: string; name: string }[];
  therapists: { id: string; siteId: string; name: string }[];
}

/** A new organization of its own with the given sites (each with one therapist), set up as its admin would, sign-in by password alone. */
export async function newClinic(siteNames: string[] = ["North clinic"]): Promise<Clinic> {
  const org = `web-${randomBytes(4).toString("hex")}`;
  const admin = token({ role: "admin", org });
  const clinic: Clinic = { org, admin, sites: [], therapists: [] };
  // Organizations require a second factor by default; only the sign-in test's person enrols one.
  await gql(`mutation { updateSecurityPolicy(input: { requireSecondFactor: false }) { requireSecondFactor } }`, {}, admin);
  for (const [i, name] of siteNames.entries()) {
    const siteId = randomUUID();
    await gql(`mutation($input: RegisterSiteInput!) { registerSite(input: $input) { id } }`, { input: { siteId, name, timeZone: "Europe/Berlin" } }, admin);
    const therapistId = randomUUID();
    const therapistName = `Therapist ${String.fromCharCode(65 + i)}`;
    await gql(`mutation($input: RegisterTherapistInput!) { registerTherapist(input: $input) { id } }`, { input: { therapistId, siteId, displayName: therapistName } }, admin);
    clinic.sites.push({ id: siteId, name });
    clinic.therapists.push({ id: therapistId, siteId, name: therapistName });
  }
  return clinic;
}

export interface Account {
  email: string;
  password: string;
  personId: string;
}

/** Invites a person through the API and accepts the invitation as they would (no second factor in this organization). */
export async function person(clinic: Clinic, role: "DIRECTOR" | "CLINICIAN" | "ADMIN", name: string, sites: string[], therapistId?: string): Promise<Account> {
  const email = `${name.toLowerCase().replaceAll(" ", ".")}.${randomBytes(2).toString("hex")}@example.org`;
  const invited = await gql<{ invitePerson: { person: { id: string }; invitationLink: string } }>(
    `mutation($input: InvitePersonInput!) { invitePerson(input: $input) { person { id } invitationLink } }`,
    { input: { email, displayName: name, role, sites, therapistId: therapistId ?? null } },
    clinic.admin,
  );
  const invitation = invited.invitePerson.invitationLink.split("#")[1]!;
  const password = `Web-test-${randomBytes(8).toString("hex")}`;
  const response = await fetch(`${platformUrl()}/auth/invitations/accept`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: invitation, password }),
  });
  if (!response.ok) throw new Error(`Accepting the invitation failed: ${response.status} ${await response.text()}`);
  return { email, password, personId: invited.invitePerson.person.id };
}

/** RFC 6238 (SHA-1, 30 s, 6 digits) from a base32 secret: the authenticator app's code. */
export function totp(secret: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secret.replace(/[\s=]/g, "").toUpperCase()) {
    const value = alphabet.indexOf(ch);
    if (value < 0) throw new Error(`Not base32: ${ch}`);
    bits += value.toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const hmac = createHmac("sha1", key).update(counter).digest();
  const offset = hmac[hmac.length - 1]! & 0xf;
  const code = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, "0");
}
