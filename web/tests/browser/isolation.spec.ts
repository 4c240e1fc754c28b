import { randomUUID } from "node:crypto";
import { test, expect } from "./fixtures";
import { gql, newClinic, person } from "./platform";
import { signIn, visit } from "./pages";

test("a director of one site never sees another site's episodes or alerts, even by typing their URLs", async ({ page }) => {
  const clinic = await newClinic(["North clinic", "South clinic"]);
  const [north, south] = clinic.sites as [{ id: string; name: string }, { id: string; name: string }];
  const southTherapist = clinic.therapists.find((t) => t.siteId === south.id)!;
  const director = await person(clinic, "DIRECTOR", "Nora North", [north.id]);

  // At the south site: an episode with an SRS of 30, so it has a LOW_ALLIANCE alert.
  const episodeId = randomUUID();
  const sessionId = randomUUID();
  await gql(
    `mutation($input: ImportEpisodeHistoryInput!) { importEpisodeHistory(input: $input) { id } }`,
    {
      input: {
        episodeId, siteId: south.id, therapistId: southTherapist.id, clientId: "S-2001", population: "ADULT", openedAt: new Date(Date.now() - 7 * 86400_000).toISOString(),
        sessions: [{ sessionId, heldAt: new Date(Date.now() - 86400_000).toISOString(), sessionRating: { relationship: 7.5, goalsAndTopics: 7.5, approachOrMethod: 7.5, overall: 7.5 } }],
      },
    },
    clinic.admin,
  );
  const alerts = await gql<{ alerts: { nodes: { id: string; kind: string }[] } }>(
    `query($filter: AlertFilter) { alerts(filter: $filter) { nodes { id kind } } }`, { filter: { episodeId } }, clinic.admin);
  const alertId = alerts.alerts.nodes.find((a) => a.kind === "LOW_ALLIANCE")!.id;

  await signIn(page, clinic, director);
  await expect(page.getByRole("heading", { name: "Alert worklist" })).toBeVisible();
  await expect(page.getByText("No alerts match.")).toBeVisible();
  await expect(page.getByRole("option", { name: "South clinic" })).toHaveCount(0);

  await page.getByRole("link", { name: "Sites overview" }).click();
  await expect(page.getByRole("heading", { name: "North clinic" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "South clinic" })).toHaveCount(0);
  await visit(page, "overview");

  await page.getByRole("link", { name: "North clinic" }).click();
  await expect(page.getByRole("heading", { name: "Therapists compared, last 365 days" })).toBeVisible();
  await expect(page.getByText("No episodes match.")).toBeVisible();
  await visit(page, "site");

  for (const [path, name] of [[`/episodes/${episodeId}`, "episode-missing"], [`/alerts/${alertId}`, "alert-missing"], [`/sites/${south.id}`, "site-missing"]] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByText("S-2001")).toHaveCount(0);
    await visit(page, name);
  }
});
