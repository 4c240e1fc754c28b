import { test, expect } from "./fixtures";
import { newClinic, person } from "./platform";
import { signIn, visit } from "./pages";

test("a clinician's SRS of 30 reaches the director's worklist live; the director opens the episode and works the alert", async ({ browser, baseURL }) => {
  const clinic = await newClinic(["North clinic"]);
  const site = clinic.sites[0]!;
  const therapist = clinic.therapists[0]!;
  const director = await person(clinic, "DIRECTOR", "Dana Director", [site.id]);
  const clinician = await person(clinic, "CLINICIAN", "Chris Clinician", [site.id], therapist.id);

  const directorContext = await browser.newContext({ baseURL });
  const directorPage = await directorContext.newPage();
  await signIn(directorPage, clinic, director);
  await expect(directorPage.getByRole("heading", { name: "Alert worklist" })).toBeVisible();
  // The live feed is open once the subscription's event stream has answered.
  const stream = directorPage.waitForResponse((r) => r.url().endsWith("/graphql") && (r.request().headers()["accept"] ?? "").includes("text/event-stream"));
  await directorPage.reload();
  await stream;
  await expect(directorPage.getByText("No alerts match.")).toBeVisible();
  await visit(directorPage, "worklist-empty");

  const clinicianContext = await browser.newContext({ baseURL });
  const clinicianPage = await clinicianContext.newPage();
  await signIn(clinicianPage, clinic, clinician);
  await expect(clinicianPage.getByRole("heading", { name: "My caseload" })).toBeVisible();
  await expect(clinicianPage.getByText("No episodes here.")).toBeVisible();
  await visit(clinicianPage, "caseload");
  await clinicianPage.getByLabel("Client id").fill("C-1001");
  await clinicianPage.getByRole("button", { name: "Open episode" }).click();
  await expect(clinicianPage.getByRole("heading", { name: /Episode of client/ })).toBeVisible();
  await clinicianPage.getByRole("button", { name: "Record session" }).click();
  await expect(clinicianPage.getByText("Session recorded.")).toBeVisible();
  const srs = clinicianPage.getByRole("group", { name: "SRS" });
  for (const item of ["Relationship", "Goals and topics", "Approach or method", "Overall"]) await srs.getByLabel(item, { exact: true }).fill("7.5");
  await expect(srs.getByText("Total: 30.0 of 40")).toBeVisible();
  await srs.getByRole("button", { name: "Save SRS" }).click();
  await expect(clinicianPage.getByText("SRS saved for session 1.")).toBeVisible();
  // The intake ORS: its chart shows the intake, its reliable-change band and the population's cutoff.
  const ors = clinicianPage.getByRole("group", { name: "ORS" });
  for (const item of ["Individually", "Interpersonally", "Socially", "Overall"]) await ors.getByLabel(item, { exact: true }).fill("5");
  await ors.getByRole("button", { name: "Save ORS" }).click();
  await expect(clinicianPage.getByText("ORS saved for session 1.")).toBeVisible();
  await expect(clinicianPage.getByTestId("ors-chart")).toHaveAttribute("aria-label", /intake 20\.0, reliable change ±5\.0, population cutoff 25\.0/);
  await visit(clinicianPage, "episode-clinician");

  // No reload: the alert arrives through alertRaised, with an announcement for screen readers.
  const row = directorPage.locator('[data-testid="alert-row"][data-kind="LOW_ALLIANCE"]');
  await expect(row).toBeVisible();
  await expect(directorPage.getByTestId("alert-announcement")).toContainText("New alert: Low alliance");
  await expect(row).toContainText("Open");
  await visit(directorPage, "worklist");

  await row.getByRole("link", { name: /Open episode/ }).click();
  await expect(directorPage.getByRole("heading", { name: /Episode of client/ })).toBeVisible();
  await expect(directorPage.getByTestId("srs-chart").locator("canvas")).toBeVisible();
  await expect(directorPage.getByTestId("srs-points")).toContainText("Session 1: SRS 30.0 — under the cutoff");
  await expect(directorPage.getByTestId("srs-chart")).toHaveAttribute("aria-label", /cutoff at 36\.0/);
  await visit(directorPage, "episode-director");

  const alert = directorPage.locator('[data-testid="episode-alert"][data-kind="LOW_ALLIANCE"]');
  await alert.getByRole("button", { name: "Acknowledge" }).click();
  await alert.getByLabel("Note (optional)").fill("Seen; raising it at the next session.");
  await alert.getByRole("button", { name: "Acknowledge alert" }).click();
  await expect(alert).toContainText("Status: Acknowledged");
  await alert.getByRole("button", { name: "Resolve" }).click();
  await alert.getByLabel("Resolution note (required)").fill("Talked it through with the client and therapist.");
  await alert.getByRole("button", { name: "Resolve alert" }).click();
  await expect(alert).toContainText("Status: Resolved");
  await expect(alert).toContainText("Talked it through with the client and therapist.");

  await directorPage.getByRole("link", { name: "Alert worklist" }).click();
  await expect(directorPage.getByText("No alerts match.")).toBeVisible();

  await directorContext.close();
  await clinicianContext.close();
});
