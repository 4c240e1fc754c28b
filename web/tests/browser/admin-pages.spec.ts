import { randomUUID } from "node:crypto";
import { test, expect } from "./fixtures";
import { gql, newClinic, person } from "./platform";
import { signIn, visit } from "./pages";

test("an admin keeps the directory, API keys, notifications, logs and erasures, every page accessible", async ({ page }) => {
  const clinic = await newClinic(["North clinic"]);
  const admin = await person(clinic, "ADMIN", "Ada Admin", []);
  // An episode with free text (a goal) to read and to erase.
  const episodeId = randomUUID();
  await gql(
    `mutation($input: OpenEpisodeInput!) { openEpisode(input: $input) { id } }`,
    { input: { episodeId, siteId: clinic.sites[0]!.id, therapistId: clinic.therapists[0]!.id, clientId: "C-5001", population: "ADULT", openedAt: new Date(Date.now() - 86_400_000).toISOString() } },
    clinic.admin,
  );
  await gql(
    `mutation($input: RecordGoalAgreementInput!) { recordGoalAgreement(input: $input) { id } }`,
    { input: { episodeId, goalId: randomUUID(), description: "Sleep through the night", agreedByClient: true, agreedByTherapist: true } },
    clinic.admin,
  );
  await signIn(page, clinic, admin);
  const menu = page.getByRole("navigation", { name: "Administration" });

  // Sites and therapists: a new site in its time zone, a therapist there, a rename.
  await page.goto("/admin/sites");
  await expect(page.getByRole("heading", { name: "Sites and therapists", level: 1 })).toBeVisible();
  const register = page.getByRole("region", { name: "Register a site" });
  await register.getByLabel("Site name").fill("Harbour clinic");
  await register.getByLabel("Time zone").fill("Mars/Olympus");
  await register.getByRole("button", { name: "Register site" }).click();
  await expect(register.getByLabel("Time zone")).toHaveAttribute("aria-invalid", "true");
  await expect(register.getByText("Unknown time zone")).toBeVisible();
  await register.getByLabel("Time zone").fill("Europe/Lisbon");
  await register.getByRole("button", { name: "Register site" }).click();
  await expect(register.getByText("Harbour clinic is registered (times in Europe/Lisbon).")).toBeVisible();
  const harbour = page.getByRole("region", { name: /Harbour clinic/ });
  await expect(harbour).toContainText("Time zone Europe/Lisbon.");
  await harbour.getByLabel("New therapist at Harbour clinic").fill("Therapist H");
  await harbour.getByRole("button", { name: "Register therapist" }).click();
  await expect(harbour.getByText("Therapist H")).toBeVisible();
  await harbour.getByRole("button", { name: "Rename Therapist H" }).click();
  await harbour.getByLabel("New name of Therapist H").fill("Therapist Harbour");
  await harbour.getByRole("button", { name: "Save name" }).click();
  await expect(harbour.getByText("Therapist Harbour")).toBeVisible();
  await visit(page, "admin-sites");

  // API keys: the key shown once, then revoked.
  await menu.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByText("No API key yet.")).toBeVisible();
  const make = page.getByRole("region", { name: "Make a key" });
  await make.getByLabel("Key name").fill("Record system");
  await make.getByRole("button", { name: "Make key" }).click();
  await expect(page.getByTestId("shown-once")).toContainText("fp_");
  const key = (await page.getByTestId("shown-once").textContent())!.trim();
  const keyRow = page.getByRole("row").filter({ hasText: "Record system" });
  await expect(keyRow).toContainText("Active");
  await visit(page, "admin-api-keys");
  const asKey = await fetch(`${new URL(page.url()).origin}/graphql`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` }, body: JSON.stringify({ query: "{ organization { key } }" }) });
  expect(asKey.status).toBe(200);
  await keyRow.getByRole("button", { name: "Revoke Record system" }).click();
  await keyRow.getByRole("button", { name: "Revoke key" }).click();
  await expect(keyRow).toContainText("Revoked");
  const revoked = await fetch(`${new URL(page.url()).origin}/graphql`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` }, body: JSON.stringify({ query: "{ organization { key } }" }) });
  expect(revoked.status).toBe(401);

  // Notifications: a subscription; no failed delivery.
  await menu.getByRole("link", { name: "Notifications" }).click();
  const subscribe = page.getByRole("region", { name: "Subscribe" });
  await subscribe.getByLabel("Alerts of").selectOption({ label: "North clinic" });
  await subscribe.getByLabel("E-mail address").fill("director@clinic.example");
  await subscribe.getByLabel("When").selectOption("DAILY");
  await subscribe.getByRole("button", { name: "Subscribe" }).click();
  const subscription = page.getByRole("row").filter({ hasText: "director@clinic.example" });
  await expect(subscription).toContainText("Daily digest");
  await expect(subscription).toContainText("North clinic");
  await expect(page.getByText("No failed delivery")).toBeVisible();
  await visit(page, "admin-notifications");

  // The access log names who read the episode.
  await page.goto(`/episodes/${episodeId}`);
  await expect(page.getByText("Sleep through the night")).toBeVisible();
  await page.goto("/admin/access-log");
  await page.getByLabel("Episode id").fill("not-a-uuid");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByLabel("Episode id")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Episode id").fill(episodeId);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Ada Admin" }).first()).toBeVisible();
  await visit(page, "admin-access-log");

  // Erasure: only once the client id is typed again; then the goal's text is gone.
  await menu.getByRole("link", { name: "Erasure" }).click();
  const erase = page.getByRole("button", { name: "Erase free text" });
  await page.getByLabel("Client id", { exact: true }).fill("C-5001");
  await expect(erase).toBeDisabled();
  await page.getByLabel("Type the client id again to confirm").fill("C-5002");
  await expect(erase).toBeDisabled();
  await visit(page, "admin-erasure");
  await page.getByLabel("Type the client id again to confirm").fill("C-5001");
  await erase.click();
  await expect(page.getByText("The free text of 1 episode of this client is erased.")).toBeVisible();
  const after = await gql<{ episode: { goals: { description: string }[] } }>(`query($id: ID!) { episode(id: $id) { goals { description } } }`, { id: episodeId }, clinic.admin);
  expect(after.episode.goals.map((g) => g.description)).toEqual(["[erased]"]);
});
