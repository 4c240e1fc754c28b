import { randomUUID } from "node:crypto";
import { test, expect } from "./fixtures";
import { gql, newClinic, person, platformSchema, startPlatform, token } from "./platform";
import { expectAccessible, signIn } from "./pages";

// The client's own page on a phone: a clinician's SRS link, the four lines marked by pointer and by keyboard, the
// rating stored as marked, a total of 30 on the director's worklist live, and every link that cannot be used refused.
test("a client marks the SRS on a phone through a clinician's link; the director sees LOW_ALLIANCE live; the link works once", async ({ browser, baseURL }) => {
  const clinic = await newClinic(["North clinic"]);
  const site = clinic.sites[0]!;
  const therapist = clinic.therapists[0]!;
  const director = await person(clinic, "DIRECTOR", "Dana Director", [site.id]);
  const clinician = token({ role: "clinician", org: clinic.org, site: [site.id], therapist: therapist.id });

  const directorContext = await browser.newContext({ baseURL });
  const directorPage = await directorContext.newPage();
  await signIn(directorPage, clinic, director);
  await expect(directorPage.getByRole("heading", { name: "Alert worklist" })).toBeVisible();
  const stream = directorPage.waitForResponse((r) => r.url().endsWith("/graphql") && (r.request().headers()["accept"] ?? "").includes("text/event-stream"));
  await directorPage.reload();
  await stream;

  const episodeId = randomUUID();
  const sessionId = randomUUID();
  await gql(`mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }`,
    { i: { episodeId, siteId: site.id, therapistId: therapist.id, clientId: "C-4001", population: "ADULT", openedAt: new Date(Date.now() - 86_400_000).toISOString() } }, clinician);
  await gql(`mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }`,
    { i: { episodeId, sessionId, heldAt: new Date(Date.now() - 3_600_000).toISOString() } }, clinician);
  const requested = await gql<{ requestFeedback: { link: string; request: { id: string } } }>(
    `mutation($i: RequestFeedbackInput!) { requestFeedback(input: $i) { link request { id } } }`,
    { i: { episodeId, sessionId, instruments: ["SRS"] } }, clinician);
  const link = requested.requestFeedback.link;
  expect(link).toMatch(/^\/f\/[A-Za-z0-9_-]{45,}$/);

  const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: "en-GB" });
  const client = await phone.newPage();
  const page = await client.goto(link);
  expect(page?.headers()["referrer-policy"]).toBe("no-referrer");
  expect(page?.headers()["content-security-policy"]).toContain("default-src 'self'");
  await expect(client.getByRole("heading", { name: "How was today's session?" })).toBeVisible();
  await expectAccessible(client, "client page");
  // Nothing on the page leads anywhere else.
  await expect(client.getByRole("link")).toHaveCount(0);

  const lines = client.getByRole("slider");
  await expect(lines).toHaveCount(4);
  // Two lines by pointer (touch on the phone), at three quarters of their length...
  for (const i of [0, 1]) {
    const box = (await lines.nth(i).boundingBox())!;
    await client.touchscreen.tap(box.x + box.width * 0.75, box.y + box.height / 2);
  }
  // ...and two by keyboard: End, Page Down twice and five steps down; Home, Page Up seven times and five steps up.
  await lines.nth(2).focus();
  await client.keyboard.press("End");
  for (let k = 0; k < 2; k++) await client.keyboard.press("PageDown");
  for (let k = 0; k < 5; k++) await client.keyboard.press("ArrowDown");
  await lines.nth(3).focus();
  await client.keyboard.press("Home");
  for (let k = 0; k < 7; k++) await client.keyboard.press("PageUp");
  for (let k = 0; k < 5; k++) await client.keyboard.press("ArrowUp");
  for (let i = 0; i < 4; i++) await expect(lines.nth(i)).toHaveAttribute("aria-valuetext", "7.5");
  await expectAccessible(client, "client page, marked");

  await client.getByRole("button", { name: "Send my answers" }).click();
  await expect(client.getByRole("heading", { name: "Thank you" })).toBeVisible();
  await expectAccessible(client, "client confirmation");

  const stored = await gql<{ episode: { sessions: { sessionRating: { relationship: number; goalsAndTopics: number; approachOrMethod: number; overall: number; total: number } }[] } }>(
    `query($id: ID!) { episode(id: $id) { sessions { sessionRating { relationship goalsAndTopics approachOrMethod overall total } } } }`, { id: episodeId }, clinic.admin);
  expect(stored.episode.sessions[0]!.sessionRating).toEqual({ relationship: 7.5, goalsAndTopics: 7.5, approachOrMethod: 7.5, overall: 7.5, total: 30 });
  // The director's worklist, without a reload.
  await expect(directorPage.locator('[data-testid="alert-row"][data-kind="LOW_ALLIANCE"]')).toBeVisible();

  // The same link again, an altered one and a revoked one: the same calm page.
  const refused = async (path: string) => {
    await client.goto(path);
    await expect(client.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
    await expect(client.getByText("Please ask your clinician for a new one.")).toBeVisible();
  };
  await refused(link);
  await expectAccessible(client, "client page, refused");
  await refused(link.slice(0, -1) + (link.endsWith("A") ? "B" : "A"));
  const second = randomUUID();
  await gql(`mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }`, { i: { episodeId, sessionId: second, heldAt: new Date().toISOString() } }, clinician);
  const revoked = await gql<{ requestFeedback: { link: string; request: { id: string } } }>(
    `mutation($i: RequestFeedbackInput!) { requestFeedback(input: $i) { link request { id } } }`, { i: { episodeId, sessionId: second, instruments: ["SRS"] } }, clinician);
  await gql(`mutation($i: RevokeFeedbackRequestInput!) { revokeFeedbackRequest(input: $i) { status } }`, { i: { requestId: revoked.requestFeedback.request.id } }, clinician);
  await refused(revoked.requestFeedback.link);

  await phone.close();
  await directorContext.close();
});

// The shortest lifetime a link can have is an hour (expiresInHours 1; the default counts from when the session was
// recorded, which is now). So the phone opens the link in a second process on the same schema, an `api` one whose
// clock runs 59 min 20 s ahead (FEEDBACK_DEV_CLOCK_OFFSET, Development only): there the link works for 40 s, then
// expires by that process's clock, with nothing else mocked.
test("on a phone, an expired link, an altered one and one whose session was cancelled get the calm page, which says not why", async ({ browser, baseURL }) => {
  const ahead = startPlatform(platformSchema(), { FEEDBACK_ROLE: "api", FEEDBACK_DEV_CLOCK_OFFSET: "00:59:20" });
  ahead.catch(() => undefined); // awaited below; a failed start fails the test there
  let later: Awaited<typeof ahead> | undefined;
  const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: "en-GB" });
  try {
    const clinic = await newClinic(["North clinic"]);
    const site = clinic.sites[0]!;
    const therapist = clinic.therapists[0]!;
    const clinician = token({ role: "clinician", org: clinic.org, site: [site.id], therapist: therapist.id });
    const episodeId = randomUUID();
    await gql(`mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }`,
      { i: { episodeId, siteId: site.id, therapistId: therapist.id, clientId: "C-4004", population: "ADULT", openedAt: new Date(Date.now() - 86_400_000).toISOString() } }, clinician);
    const session = async () => {
      const sessionId = randomUUID();
      await gql(`mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }`, { i: { episodeId, sessionId, heldAt: new Date(Date.now() - 600_000).toISOString() } }, clinician);
      return sessionId;
    };
    const request = async (sessionId: string, expiresInHours: number | null = null) =>
      (await gql<{ requestFeedback: { link: string; request: { expiresAt: string } } }>(
        `mutation($i: RequestFeedbackInput!) { requestFeedback(input: $i) { link request { expiresAt } } }`,
        { i: { episodeId, sessionId, instruments: ["SRS"], expiresInHours } }, clinician)).requestFeedback;

    const client = await phone.newPage();
    const form = client.getByRole("heading", { name: "How was today's session?" });
    const calm = async () => {
      await expect(client.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
      await expect(client.getByText("Please ask your clinician for a new one.")).toBeVisible();
      await expect(client.locator("body")).not.toContainText(/expired|cancel|revok|altered|already|closed/i);
      await expect(client.getByRole("slider")).toHaveCount(0);
    };

    // One character of an open link's token changed: refused; the link itself still opens its form.
    const open = await request(await session());
    const at = open.link.length - 10;
    const altered = open.link.slice(0, at) + (open.link[at] === "x" ? "y" : "x") + open.link.slice(at + 1);
    await client.goto(altered);
    await calm();
    await expectAccessible(client, "client page, altered link");
    await client.goto(open.link);
    await expect(form).toBeVisible();

    // A session cancelled after its link was issued.
    const toCancel = await session();
    const ofCancelled = await request(toCancel);
    await gql(`mutation($i: CancelSessionInput!) { cancelSession(input: $i) { id } }`, { i: { episodeId, sessionId: toCancel } }, clinician);
    await client.goto(ofCancelled.link);
    await calm();

    // Expiry, by the clock of the process ahead: the link opens there, then, once its time is up, no more.
    later = await ahead;
    const expiring = await request(await session(), 1);
    const url = `${later.url}${expiring.link}`;
    await client.goto(url);
    await expect(form).toBeVisible();
    await expect(client.getByRole("slider")).toHaveCount(4);
    const expiringToken = expiring.link.slice("/f/".length);
    const formAhead = `${later.url}/client-feedback/form`;
    // Every 4 s (the link's own limit is 20 a minute), until that process refuses it.
    await expect.poll(async () => (await fetch(formAhead, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token: expiringToken }),
    })).status, { timeout: 90_000, intervals: [4_000] }).toBe(404);
    await client.reload();
    await calm();
    await expectAccessible(client, "client page, expired link");
    // The first process's clock is the real one: there the same link has most of its hour left.
    await client.goto(expiring.link);
    await expect(form).toBeVisible();
  } finally {
    await phone.close();
    await (later ?? (await ahead.catch(() => undefined)))?.stop();
  }
});

test("the page speaks the organization's wording in the browser's language", async ({ browser, baseURL }) => {
  const clinic = await newClinic(["North clinic"]);
  const site = clinic.sites[0]!;
  const therapist = clinic.therapists[0]!;
  const item = (label: string, low: string | null = null, high: string | null = null) => ({ label, low, high });
  await gql(`mutation($i: UpdateClientFeedbackSettingsInput!) { updateClientFeedbackSettings(input: $i) { changedAt } }`, {
    i: { wordings: [{ instrument: "ORS", population: "ADULT", language: "de", items: [item("Persönlich", "schlecht", "gut"), item("Beziehungen"), item("Sozial"), item("Insgesamt")] }] },
  }, clinic.admin);
  const clinician = token({ role: "clinician", org: clinic.org, site: [site.id], therapist: therapist.id });
  const episodeId = randomUUID();
  const sessionId = randomUUID();
  await gql(`mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }`,
    { i: { episodeId, siteId: site.id, therapistId: therapist.id, clientId: "C-4002", population: "ADULT" } }, clinician);
  await gql(`mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }`, { i: { episodeId, sessionId, heldAt: new Date().toISOString() } }, clinician);
  const { requestFeedback } = await gql<{ requestFeedback: { link: string } }>(
    `mutation($i: RequestFeedbackInput!) { requestFeedback(input: $i) { link } }`, { i: { episodeId, sessionId, instruments: ["ORS"] } }, clinician);

  const tablet = await browser.newContext({ baseURL, viewport: { width: 820, height: 1180 }, hasTouch: true, locale: "de-DE" });
  const page = await tablet.newPage();
  await page.goto(requestFeedback.link);
  await expect(page.getByRole("heading", { name: "Wie ist es Ihnen ergangen?" })).toBeVisible();
  await expect(page.getByRole("slider", { name: "Persönlich" })).toBeVisible();
  await expect(page.getByText("schlecht")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
  // The line is 10 cm (378 CSS pixels) where the screen allows.
  const box = (await page.getByRole("slider", { name: "Persönlich" }).boundingBox())!;
  expect(Math.round(box.width)).toBe(378);
  await expectAccessible(page, "client page, German");
  await tablet.close();
});

test("client mode hands the tablet to the client: only the client's page, and back in only by signing in again", async ({ browser, baseURL }) => {
  const clinic = await newClinic(["North clinic"]);
  const site = clinic.sites[0]!;
  const therapist = clinic.therapists[0]!;
  const clinician = await person(clinic, "CLINICIAN", "Casey Clinician", [site.id], therapist.id);
  const tablet = await browser.newContext({ baseURL, viewport: { width: 820, height: 1180 }, hasTouch: true, locale: "en-GB" });
  const page = await tablet.newPage();
  await signIn(page, clinic, clinician);
  await page.getByLabel("Client id").fill("C-4003");
  await page.getByRole("button", { name: "Open episode" }).click();
  await expect(page.getByRole("heading", { name: /Episode of client/ })).toBeVisible();
  await page.getByRole("button", { name: "Record session" }).click();
  await expect(page.getByText("Session recorded.")).toBeVisible();

  const panel = page.getByRole("region", { name: "Client feedback by the client" });
  await panel.getByRole("button", { name: "Create link" }).click();
  await expect(panel.getByTestId("link-url")).toContainText("/f/");
  await expect(panel.getByRole("img", { name: "QR code of the client's link" })).toBeVisible();
  await expectAccessible(page, "episode with a client link");

  await panel.getByRole("button", { name: "Hand this device to the client" }).click();
  await expect(page.getByRole("heading", { name: "How was today's session?" })).toBeVisible();
  await expect(page.getByRole("link")).toHaveCount(0);
  await expectAccessible(page, "client mode");
  // Back, or any page of the app: the clinician's session has ended, so sign-in it is.
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Sign in to FeedbackPlatform" })).toBeVisible();
  await page.goto("/caseload");
  await expect(page.getByRole("heading", { name: "Sign in to FeedbackPlatform" })).toBeVisible();
  const me = await page.evaluate(async () => (await fetch("/auth/me")).status);
  expect(me).toBe(401);
  await signIn(page, clinic, clinician);
  await expect(page.getByRole("heading", { name: "My caseload" })).toBeVisible();
  await tablet.close();
});
