import { randomUUID } from "node:crypto";
import { test, expect } from "./fixtures";
import { gql, newClinic, person, type Clinic } from "./platform";
import { signIn, visit } from "./pages";

const day = 24 * 3600 * 1000;

async function session(clinic: Clinic, episodeId: string, heldAt: Date): Promise<string> {
  const sessionId = randomUUID();
  await gql(`mutation($input: RecordSessionInput!) { recordSession(input: $input) { id } }`, { input: { episodeId, sessionId, heldAt: heldAt.toISOString() } }, clinic.admin);
  return sessionId;
}

/** An SRS of 37.0: over the default cutoff of 36, under a stricter 38. */
async function srsOf37(clinic: Clinic, episodeId: string, sessionId: string): Promise<{ kind: string; status: string }[]> {
  const answer = await gql<{ submitSessionRating: { alerts: { kind: string; status: string }[] } }>(
    `mutation($input: SubmitSessionRatingInput!) { submitSessionRating(input: $input) { alerts { kind status } } }`,
    { input: { episodeId, sessionId, relationship: 9.3, goalsAndTopics: 9.2, approachOrMethod: 9.3, overall: 9.2 } },
    clinic.admin,
  );
  return answer.submitSessionRating.alerts;
}

test("an admin tries a stricter SRS cutoff, sees the what-if counts, saves it, and the next rating uses it", async ({ page }) => {
  const clinic = await newClinic(["North clinic"]);
  const site = clinic.sites[0]!;
  const admin = await person(clinic, "ADMIN", "Ada Admin", []);
  // The clinic's history: one episode whose SRS of 37.0 raised nothing under the rules in force.
  const episodeId = randomUUID();
  const now = Date.now();
  await gql(
    `mutation($input: OpenEpisodeInput!) { openEpisode(input: $input) { id } }`,
    { input: { episodeId, siteId: site.id, therapistId: clinic.therapists[0]!.id, clientId: "C-4001", population: "ADULT", openedAt: new Date(now - 7 * day).toISOString() } },
    clinic.admin,
  );
  expect(await srsOf37(clinic, episodeId, await session(clinic, episodeId, new Date(now - 2 * day)))).toEqual([]);

  await signIn(page, clinic, admin);
  await page.goto("/admin/rules");
  await expect(page.getByRole("heading", { name: "Alert rules", level: 1 })).toBeVisible();
  const cutoff = page.getByLabel("SRS cutoff", { exact: true });
  await expect(cutoff).toHaveValue("36");
  const save = page.getByRole("button", { name: "Save these rules" });
  await expect(save).toBeDisabled();
  await visit(page, "admin-rules");

  // Something that is not a number is refused on its field before anything is asked.
  await cutoff.fill("thirty-eight");
  await page.getByRole("button", { name: "Try these rules" }).click();
  await expect(cutoff).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("SRS cutoff must be a number")).toBeVisible();

  await cutoff.fill("38");
  await page.getByLabel("Site").selectOption({ label: "North clinic" });
  await page.getByRole("button", { name: "Try these rules" }).click();
  const whatIf = page.getByTestId("what-if");
  const lowAlliance = whatIf.locator('tr[data-kind="LOW_ALLIANCE"]');
  await expect(lowAlliance.getByTestId("current")).toHaveText("0");
  await expect(lowAlliance.getByTestId("proposed")).toHaveText("1");
  await expect(lowAlliance).toContainText("1 more");
  await expect(whatIf).toContainText("of 1 episode at North clinic");
  await expect(page.getByText("Changed: SRS cutoff 36 → 38.")).toBeVisible();
  await expect(save).toBeEnabled();
  await visit(page, "admin-rules-what-if");

  // A threshold changed after the what-if cannot be saved untried.
  await cutoff.fill("38.5");
  await expect(save).toBeDisabled();
  await expect(whatIf).toContainText("The thresholds changed since this what-if");
  await cutoff.fill("38");
  await expect(save).toBeEnabled();
  await save.click();
  await expect(page.getByText("The rules are saved")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("SRS cutoff", { exact: true })).toHaveValue("38");

  // The next rating is decided under the saved cutoff: the same 37.0 now raises LOW_ALLIANCE.
  expect(await srsOf37(clinic, episodeId, await session(clinic, episodeId, new Date(now - day)))).toContainEqual({ kind: "LOW_ALLIANCE", status: "OPEN" });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alert worklist" }).click();
  await expect(page.getByTestId("alert-row").filter({ hasText: "Low alliance" })).toHaveCount(1);
  await expect(page.getByTestId("alert-row")).toContainText("under the cutoff 38");
});
