import { test, expect } from "./fixtures";
import { gql, newClinic, person } from "./platform";
import { signIn, visit } from "./pages";

test("an SRS item of 10.5 typed into the number field shows the API's message on that field and stores nothing", async ({ page }) => {
  const clinic = await newClinic(["North clinic"]);
  const site = clinic.sites[0]!;
  const clinician = await person(clinic, "CLINICIAN", "Robin Refused", [site.id], clinic.therapists[0]!.id);

  await signIn(page, clinic, clinician);
  await page.getByLabel("Client id").fill("C-3001");
  await page.getByRole("button", { name: "Open episode" }).click();
  await expect(page.getByRole("heading", { name: /Episode of client/ })).toBeVisible();
  const episodeId = page.url().split("/episodes/")[1]!;
  await page.getByRole("button", { name: "Record session" }).click();
  await expect(page.getByText("Session recorded.")).toBeVisible();

  const srs = page.getByRole("group", { name: "SRS" });
  for (const item of ["Relationship", "Goals and topics", "Approach or method"]) await srs.getByLabel(item, { exact: true }).fill("8");
  const overall = srs.getByLabel("Overall", { exact: true });
  await overall.fill("10.5");
  await srs.getByRole("button", { name: "Save SRS" }).click();

  // The message is the API's (the clinical core's), under the field it names, and tied to it for screen readers.
  const error = srs.getByTestId("error-overall");
  await expect(error).toHaveText(/^overall must be from 0\.0 to 10\.0 \(was 10\.5\)\.$/);
  await expect(overall).toHaveAttribute("aria-invalid", "true");
  await expect(overall).toHaveAccessibleDescription(/overall must be from 0\.0 to 10\.0/);
  await expect(srs.getByTestId("error-relationship")).toHaveCount(0);
  await visit(page, "refusal");

  const stored = await gql<{ episode: { sessions: { sessionRating: unknown }[]; allianceHealth: { srsSeries: unknown[] } } }>(
    `query($id: ID!) { episode(id: $id) { sessions { sessionRating { total } } allianceHealth { srsSeries { total } } } }`, { id: episodeId }, clinic.admin);
  expect(stored.episode.sessions).toHaveLength(1);
  expect(stored.episode.sessions[0]!.sessionRating).toBeNull();
  expect(stored.episode.allianceHealth.srsSeries).toEqual([]);
});
