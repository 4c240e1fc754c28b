import { test, expect } from "./fixtures";
import { gql, newClinic, person, totp } from "./platform";
import { signIn, visit } from "./pages";

test("an invited person sets a password, enrols the second factor with the QR code and signs in with it", async ({ page }) => {
  const clinic = await newClinic(["North clinic"]);
  await gql(`mutation { updateSecurityPolicy(input: { requireSecondFactor: true }) { requireSecondFactor } }`, {}, clinic.admin);
  const email = `ines.invited.${Date.now()}@example.org`;
  const invited = await gql<{ invitePerson: { invitationLink: string } }>(
    `mutation($input: InvitePersonInput!) { invitePerson(input: $input) { invitationLink } }`,
    { input: { email, displayName: "Ines Invited", role: "DIRECTOR", sites: [clinic.sites[0]!.id] } },
    clinic.admin,
  );
  const link = new URL(invited.invitePerson.invitationLink);

  await page.goto(link.pathname + link.hash);
  await expect(page.getByRole("heading", { name: "Accept your invitation" })).toBeVisible();
  // The token is taken off the address bar at once.
  await expect.poll(() => new URL(page.url()).hash).toBe("");
  await visit(page, "invitation");
  const password = "Ines-chooses-a-long-passphrase-7";
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Set password" }).click();

  await expect(page.getByRole("img", { name: "QR code of your authenticator key" })).toBeVisible();
  const secret = (await page.getByTestId("enrolment-secret").textContent())!.trim();
  await visit(page, "invitation-second-factor");
  const enrolledAt = Date.now();
  await page.getByLabel("Authenticator code").fill(totp(secret, enrolledAt));
  await page.getByRole("button", { name: "Enrol and activate" }).click();
  await expect(page.getByRole("heading", { name: "Your account is ready" })).toBeVisible();
  await expect(page.locator("ul.code li")).toHaveCount(10);
  await visit(page, "invitation-done");

  await page.getByRole("link", { name: "Go to sign-in" }).click();
  await page.getByLabel("Organization").fill(clinic.org);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Authenticator code")).toBeVisible();
  await visit(page, "sign-in-second-factor");
  // A code is taken once: the next one comes with the authenticator's next 30-second step.
  const step = Math.floor(enrolledAt / 30_000);
  await expect.poll(() => Math.floor(Date.now() / 30_000), { timeout: 45_000, intervals: [500] }).toBeGreaterThan(step);
  await page.getByLabel("Authenticator code").fill(totp(secret));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Alert worklist" })).toBeVisible();
  await expect(page.getByText("Ines Invited · director")).toBeVisible();
});

test("a wrong password is refused, an ended session returns to sign-in and then to where the person was", async ({ page, context }) => {
  const clinic = await newClinic(["North clinic"]);
  const director = await person(clinic, "DIRECTOR", "Sam Session", [clinic.sites[0]!.id]);

  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Sign in to FeedbackPlatform" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in with your organization's account" })).toHaveCount(0);
  await visit(page, "sign-in");
  await page.getByLabel("Organization").fill(clinic.org);
  await page.getByLabel("Email").fill(director.email);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password-at-all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The organization, e-mail address, password or code is not right.");
  await visit(page, "sign-in-refused");

  await signIn(page, clinic, director);
  await page.getByRole("link", { name: "Sites overview" }).click();
  await page.getByRole("link", { name: "North clinic" }).click();
  await expect(page.getByRole("heading", { name: "North clinic" })).toBeVisible();
  const sitePath = new URL(page.url()).pathname;
  // The page has finished its own queries first: one still in flight when the cookie goes would end the session
  // before the person acts (the heading shows before the episode list and its filters).
  await expect(page.getByLabel("Episode status")).toBeVisible();
  await page.waitForLoadState("networkidle");

  // The session ends under the person (here: its cookie is gone, as after expiry); their next request is answered 401.
  await context.clearCookies();
  await page.getByLabel("Episode status").selectOption("CLOSED");
  await expect(page.getByText("Your session has ended. Sign in again to go back to where you were.")).toBeVisible();
  await expect.poll(() => { const url = new URL(page.url()); return url.pathname + url.search; }).toBe(`/sign-in?next=${encodeURIComponent(sitePath)}`);
  await page.getByLabel("Organization").fill(clinic.org);
  await page.getByLabel("Email").fill(director.email);
  await page.getByLabel("Password", { exact: true }).fill(director.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(sitePath);
  await expect(page.getByRole("heading", { name: "North clinic" })).toBeVisible();

  await page.goto(sitePath);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to FeedbackPlatform" })).toBeVisible();
  await page.goto(sitePath);
  await expect.poll(() => { const url = new URL(page.url()); return url.pathname + url.search; }).toBe(`/sign-in?next=${encodeURIComponent(sitePath)}`);
});
