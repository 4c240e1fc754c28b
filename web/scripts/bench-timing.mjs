// The web app's figures for ops/bench.sh (issue 17), measured against a running platform in headless Chromium:
//   node web/scripts/bench-timing.mjs <platform url> <organization> <admin bearer token> [runs]
// prints one JSON object: the director overview's and the alert worklist's time to ready (median and max over
// the runs, after one warm-up each) and the main bundle's size gzipped. Not a test: nothing here passes or fails.
//
// A director of every site of the organization is invited, accepts with a password and enrols the second factor
// through the public API (as the browser tests do), then signs in once; every run is a fresh browser context with
// that session's cookie and an empty cache, so it loads the page as a first visit of the day would.
//
// "Ready" is the later of: the page's own ready element shown (the overview's heading, drawn once its query
// answered; the worklist's first row or its empty notice), and the end of the last response before the network
// went quiet for 500 ms. Playwright's waitForLoadState('networkidle') cannot be used as such: the worklist keeps
// its alertRaised subscription open (a graphql-sse stream over fetch, which Playwright counts as in flight), so
// that stream is left out here, and the 500 ms of quiet are not counted in the figure.
import { chromium } from "playwright-core";
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const [url, organization, adminToken, runsArgument] = process.argv.slice(2);
if (!url || !organization || !adminToken) {
  console.error("usage: node web/scripts/bench-timing.mjs <platform url> <organization> <admin bearer token> [runs]");
  process.exit(2);
}
const runs = Number(runsArgument ?? 5);
const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");
const say = (text) => console.error(`web-timing: ${text}`);
const quietMs = 500;
const runTimeoutMs = 30_000;

async function gql(query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(`GraphQL refused: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data;
}

async function auth(path, body) {
  const response = await fetch(`${url}${path}`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => null);
  return { status: response.status, answer };
}

/** RFC 6238 (SHA-1, 30 s, 6 digits) from a base32 secret: the authenticator app's code. */
function totp(secret, at = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secret.replace(/[\s=]/g, "").toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const hmac = createHmac("sha1", key).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  return String((hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** A director of every site, active, with a way to sign in once without waiting for the authenticator's next step. */
async function director() {
  const sites = (await gql(`{ organization { sites { id } } }`, {})).organization.sites.map((s) => s.id);
  // Synthetic and unique per run; never printed.
  const email = `bench.director.${randomBytes(4).toString("hex")}@example.org`;
  const password = `Bench-director-${randomBytes(12).toString("hex")}`;
  const invited = await gql(`mutation($input: InvitePersonInput!) { invitePerson(input: $input) { invitationLink } }`, {
    input: { email, displayName: "Bench Director", role: "DIRECTOR", sites },
  });
  const token = invited.invitePerson.invitationLink.split("#")[1];
  let accepted = await auth("/auth/invitations/accept", { token, password });
  if (accepted.status === 200 && accepted.answer?.enrolment) {
    accepted = await auth("/auth/invitations/accept", { token, password, code: totp(accepted.answer.enrolment.secret) });
  }
  if (accepted.status !== 200 || !accepted.answer?.activated) throw new Error(`Accepting the invitation failed: ${accepted.status} ${accepted.answer?.code ?? ""}`);
  // The enrolment used this 30-second step's code; a recovery code signs in at once.
  return { email, password, code: accepted.answer.recoveryCodes?.[0], sites: sites.length };
}

/** The built entry chunk (the module script index.html loads) and its size gzipped. */
function mainBundle() {
  const html = readFileSync(resolve(dist, "index.html"), "utf8");
  const src = html.match(/<script[^>]*type="module"[^>]*src="([^"]+)"/)?.[1];
  if (!src) throw new Error("web/dist/index.html names no module script: is the web app built?");
  const file = resolve(dist, src.replace(/^\//, ""));
  const bytes = readFileSync(file);
  return { file: src, bytes: statSync(file).size, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

// Run in the page before its own scripts: the moment the ready element first appears, on the page's clock.
function readyMark(selector) {
  performance.setResourceTimingBufferSize(10_000);
  const seen = () => {
    if (window.__benchReadyAt === undefined && document.querySelector(selector)) window.__benchReadyAt = performance.now();
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true });
}

async function measureOnce(browser, storageState, path, selector) {
  const context = await browser.newContext({ storageState, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(readyMark, selector);
    const inFlight = new Set();
    let lastChange = Date.now();
    // The subscription's stream (text/event-stream) stays open by design: not something the page waits for.
    const counted = (request) => !(request.headers()["accept"] ?? "").includes("text/event-stream");
    page.on("request", (r) => { if (counted(r)) { inFlight.add(r); lastChange = Date.now(); } });
    const done = (r) => { if (inFlight.delete(r)) lastChange = Date.now(); };
    page.on("requestfinished", done);
    page.on("requestfailed", done);
    await page.goto(`${url}${path}`, { waitUntil: "commit", timeout: runTimeoutMs });
    const deadline = Date.now() + runTimeoutMs;
    for (;;) {
      const ready = await page.evaluate(() => window.__benchReadyAt !== undefined);
      if (ready && inFlight.size === 0 && Date.now() - lastChange >= quietMs) break;
      if (Date.now() > deadline) throw new Error(`${path} was not ready within ${runTimeoutMs / 1000} s (ready element ${ready ? "shown" : "not shown"}, ${inFlight.size} requests in flight)`);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (new URL(page.url()).pathname !== path) throw new Error(`${path} ended on ${new URL(page.url()).pathname}: the director is not signed in`);
    if (await page.locator("main .notice--error").count()) throw new Error(`${path} showed an error: ${await page.locator("main .notice--error").first().innerText()}`);
    return await page.evaluate(() => {
      const ends = performance.getEntriesByType("resource").map((e) => e.responseEnd);
      const navigation = performance.getEntriesByType("navigation")[0];
      return { shown: window.__benchReadyAt, lastResponse: Math.max(navigation?.responseEnd ?? 0, ...ends) };
    });
  } finally {
    await context.close();
  }
}

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { medianMs: Math.round(median), maxMs: Math.round(sorted.at(-1)), runs: sorted.map(Math.round) };
};

const bundle = mainBundle();
say(`main bundle ${bundle.file}: ${(bundle.gzipBytes / 1024).toFixed(1)} KiB gzipped (${(bundle.bytes / 1024).toFixed(1)} KiB)`);
const person = await director();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  // Root in a container: chromium's sandbox needs user namespaces it may not have.
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const signInContext = await browser.newContext();
  const signedIn = await signInContext.request.post(`${url}/auth/sign-in`, {
    data: { organization, email: person.email, password: person.password, ...(person.code ? { code: person.code } : {}) },
    headers: { Accept: "application/json" },
  });
  if (!signedIn.ok()) throw new Error(`The director's sign-in was refused: ${signedIn.status()}`);
  const storageState = await signInContext.storageState();
  await signInContext.close();
  say(`a director of ${person.sites} sites signed in; ${runs} runs per page after one warm-up`);

  const pages = {
    overview: ["/overview", "main h1"],
    worklist: ["/alerts", "[data-testid=alert-row], main p.notice"],
  };
  const result = { mainBundle: { file: bundle.file, bytes: bundle.bytes, gzipBytes: bundle.gzipBytes } };
  for (const [name, [path, selector]] of Object.entries(pages)) {
    await measureOnce(browser, storageState, path, selector);
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await measureOnce(browser, storageState, path, selector));
    result[name] = summary(times.map((t) => Math.max(t.shown, t.lastResponse)));
    const shown = summary(times.map((t) => t.shown)).medianMs, answered = summary(times.map((t) => t.lastResponse)).medianMs;
    say(`${name} (${path}): median ${result[name].medianMs} ms, max ${result[name].maxMs} ms (medians: last response ${answered} ms, ready element ${shown} ms)`);
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
