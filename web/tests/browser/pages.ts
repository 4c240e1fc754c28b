import { expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { repositoryRoot, type Account, type Clinic } from "./platform";

const shots = process.env.WEB_RESULTS ?? resolve(repositoryRoot, ".local/test-results/web");

/** WCAG 2.1 AA by axe-core on the page as it is now: no violation allowed. */
export async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `accessibility violations on ${what}`).toEqual([]);
}

/** The page at desktop and at tablet width (768 px), for people to look at; then back to desktop. */
export async function screenshots(page: Page, name: string) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: resolve(shots, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.screenshot({ path: resolve(shots, `${name}-tablet.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Every page a flow visits: checked for accessibility and photographed at both widths. */
export async function visit(page: Page, name: string) {
  await expectAccessible(page, name);
  await screenshots(page, name);
}

export async function signIn(page: Page, clinic: Clinic, account: Account) {
  await page.goto("/sign-in");
  await page.getByLabel("Organization").fill(clinic.org);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}
