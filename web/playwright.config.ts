import { defineConfig } from "@playwright/test";
import { resolve } from "node:path";

// Browser tests against the real platform process (started by tests/browser/global-setup.ts on a free port and
// the real PostgreSQL), in Debian's chromium: Playwright never downloads a browser here.
const results = process.env.WEB_RESULTS ?? resolve(import.meta.dirname, "../.local/test-results/web");

export default defineConfig({
  testDir: "tests/browser",
  testMatch: "*.spec.ts",
  globalSetup: "./tests/browser/global-setup.ts",
  globalTeardown: "./tests/browser/global-teardown.ts",
  // Two cores shared with the platform and PostgreSQL: one test at a time, generous waits on conditions.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  outputDir: resolve(results, "artifacts"),
  reporter: [["list"], ["junit", { outputFile: resolve(results, "browser.xml") }]],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      // Root in a container: chromium's sandbox needs user namespaces it may not have.
      args: ["--no-sandbox", "--disable-dev-shm-usage"],
    },
    viewport: { width: 1280, height: 900 },
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
});
