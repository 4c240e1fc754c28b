import { test, expect } from "./fixtures";
import { newClinic, person, totp } from "./platform";
import { signIn, visit } from "./pages";

test("an admin invites a person, the person accepts the invitation, enrols the second factor and signs in", async ({ page, browser, baseURL }) => {
  const clinic = await newClinic(["North clinic", "South clinic"]);
  const admin = await person(clinic, "ADMIN", "Ada Admin", []);
  await signIn(page, clinic, admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Administration" }).click();
  await expect(page.getByRole("heading", { name: "People", level: 1 })).toBeVisible();
  const menu = page.getByRole("navigation", { name: "Administration" });

  // From now on the organization asks for a second factor with passwords (its sign-in policy, on the Security page).
  await menu.getByRole("link", { name: "Security" }).click();
  const policy = page.getByRole("region", { name: "Sign-in policy" });
  await expect(policy.getByLabel("Require a second factor")).not.toBeChecked();
  await policy.getByLabel("Require a second factor").check();
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(policy.getByText("The sign-in policy is saved.")).toBeVisible();

  await menu.getByRole("link", { name: "People" }).click();
  const invite = page.getByRole("region", { name: "Invite a person" });
  // A refusal of the API is shown on the field it names, and nobody is invited.
  await invite.getByLabel("Email").fill("not-an-address");
  await invite.getByLabel("Display name").fill("Dora Director");
  await invite.getByRole("button", { name: "Invite" }).click();
  await expect(invite.locator(".field-error")).toHaveCount(1);
  await expect(invite.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("person-row")).toHaveCount(1);

  const email = `dora.director.${Date.now()}@example.org`;
  await invite.getByLabel("Email").fill(email);
  await invite.getByLabel("Role").selectOption("DIRECTOR");
  await invite.getByRole("checkbox", { name: "South clinic" }).check();
  await invite.getByRole("button", { name: "Invite" }).click();
  const shown = page.getByTestId("shown-once");
  await expect(shown).toContainText("/invitation#");
  const link = new URL((await shown.textContent())!.trim());
  const row = page.getByTestId("person-row").filter({ hasText: "Dora Director" });
  await expect(row).toContainText("Invited");
  await expect(row).toContainText("South clinic");
  await expect(row).toContainText("Not enrolled");
  await visit(page, "admin-people");

  // The invited person, in a browser of their own: the link, a password, the authenticator, then signing in.
  const theirs = await browser.newContext({ baseURL });
  const dora = await theirs.newPage();
  await dora.goto(link.pathname + link.hash);
  await expect(dora.getByRole("heading", { name: "Accept your invitation" })).toBeVisible();
  const password = "Dora-picks-a-long-passphrase-42";
  await dora.getByLabel("New password").fill(password);
  await dora.getByLabel("Repeat the password").fill(password);
  await dora.getByRole("button", { name: "Set password" }).click();
  await expect(dora.getByRole("img", { name: "QR code of your authenticator key" })).toBeVisible();
  const secret = (await dora.getByTestId("enrolment-secret").textContent())!.trim();
  const enrolledAt = Date.now();
  await dora.getByLabel("Authenticator code").fill(totp(secret, enrolledAt));
  await dora.getByRole("button", { name: "Enrol and activate" }).click();
  await expect(dora.getByRole("heading", { name: "Your account is ready" })).toBeVisible();

  await dora.getByRole("link", { name: "Go to sign-in" }).click();
  await dora.getByLabel("Organization").fill(clinic.org);
  await dora.getByLabel("Email").fill(email);
  await dora.getByLabel("Password", { exact: true }).fill(password);
  await dora.getByRole("button", { name: "Sign in" }).click();
  await expect(dora.getByLabel("Authenticator code")).toBeVisible();
  // A code is taken once: the next one comes with the authenticator's next 30-second step.
  const step = Math.floor(enrolledAt / 30_000);
  await expect.poll(() => Math.floor(Date.now() / 30_000), { timeout: 45_000, intervals: [500] }).toBeGreaterThan(step);
  await dora.getByLabel("Authenticator code").fill(totp(secret));
  await dora.getByRole("button", { name: "Sign in" }).click();
  await expect(dora.getByRole("heading", { name: "Alert worklist" })).toBeVisible();
  await expect(dora.getByText("Dora Director · director")).toBeVisible();
  // Only what a director may: no administration.
  await expect(dora.getByRole("link", { name: "Administration" })).toHaveCount(0);
  await theirs.close();

  // The admin sees the person active with a second factor, and the security log tells how it went.
  await page.reload();
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Enrolled");
  await menu.getByRole("link", { name: "Security" }).click();
  const log = page.getByRole("region", { name: "Security log" });
  for (const what of ["Invitation sent", "Invitation accepted", "Second factor enrolled", "Security policy changed"])
    await expect(log.getByRole("cell", { name: what, exact: true }).first()).toBeVisible();
  await expect(log.getByRole("cell", { name: "Dora Director" }).first()).toBeVisible();
  await visit(page, "admin-security");
});
