import { test, expect } from "./fixtures";
import { newClinic, person } from "./platform";
import { signIn, visit } from "./pages";

const local = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
};

test("a clinician records and revises a goal, a WAI-SR and a rupture, closes the episode, and it is seen as it stood before", async ({ page }) => {
  const clinic = await newClinic(["North clinic"]);
  const clinician = await person(clinic, "CLINICIAN", "Kim Clinician", [clinic.sites[0]!.id], clinic.therapists[0]!.id);

  await signIn(page, clinic, clinician);
  await page.getByLabel("Client id").fill("C-4001");
  await page.getByLabel("Population").selectOption("ADOLESCENT");
  await page.getByRole("button", { name: "Open episode" }).click();
  await expect(page.getByRole("heading", { name: /Episode of client/ })).toBeVisible();
  await page.getByRole("button", { name: "Record session" }).click();
  await expect(page.getByText("Session recorded.")).toBeVisible();

  await page.getByLabel("Description").fill("Sleep through the night");
  await page.getByRole("button", { name: "Record goal" }).click();
  await expect(page.getByText("Goal recorded.")).toBeVisible();
  const goals = page.locator("section[aria-labelledby='goals-heading']");
  await expect(goals).toContainText("Sleep through the night — agreed by client and therapist");
  await page.getByLabel("Goal", { exact: true }).selectOption({ label: "Goal 1 (agreed)" });
  await page.getByLabel("Description").fill("Sleep six hours a night");
  await page.getByLabel("Agreed by the client").uncheck();
  await page.getByRole("button", { name: "Revise goal" }).click();
  await expect(page.getByText("Goal revised.")).toBeVisible();
  await expect(goals).toContainText("Sleep six hours a night — agreed by the therapist");

  const wai = page.getByRole("group", { name: "WAI-SR" });
  await wai.getByRole("button", { name: "Save WAI-SR" }).click();
  await expect(wai.getByText("Item 1 needs an answer from 1 to 5.")).toBeVisible();
  for (const select of await wai.locator("select").all()) {
    if ((await select.locator("option", { hasText: "Session 1" }).count()) > 0) continue;
    await select.selectOption({ label: "4 very often" });
  }
  await wai.getByRole("button", { name: "Save WAI-SR" }).click();
  await expect(page.getByText("WAI-SR saved.")).toBeVisible();
  await expect(page.locator("section[aria-labelledby='sessions-heading']")).toContainText("4.00");

  await page.getByLabel("What you observed").fill("The client felt unheard about school.");
  await page.getByRole("button", { name: "Note rupture" }).click();
  await expect(page.getByText("Rupture noted.")).toBeVisible();

  const beforeClosing = new Date();
  await expect.poll(() => Date.now(), { intervals: [250] }).toBeGreaterThan(beforeClosing.getTime() + 1000);
  await page.getByLabel("How it ended").selectOption("PLANNED");
  await page.getByRole("button", { name: "Close episode" }).click();
  await expect(page.getByText("Tick the box: a closed episode takes no further facts.")).toBeVisible();
  await page.getByLabel("No further sessions or ratings will be taken").check();
  await page.getByRole("button", { name: "Close episode" }).click();
  await expect(page.getByText("Closed (Planned)")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Record for this episode" })).toHaveCount(0);
  await visit(page, "episode-closed");

  await page.getByLabel("As of (your local time)").fill(local(beforeClosing));
  await page.getByRole("button", { name: "Show as of then" }).click();
  await expect(page.getByText(/Showing the episode as it stood at/)).toBeVisible();
  await expect(page.locator("dl.stats")).toContainText("StatusOpen");
  await visit(page, "episode-as-of");
  await page.getByRole("button", { name: "Back to now" }).click();
  await expect(page.getByText("Closed (Planned)")).toBeVisible();

  await page.getByRole("link", { name: "My caseload" }).click();
  await expect(page.getByText("No episodes here.")).toBeVisible();
  await page.getByLabel("Status at North clinic").selectOption("CLOSED");
  await expect(page.getByRole("link", { name: "C-4001" })).toBeVisible();
});
