import { defineConfig } from "vitest/config";

// Unit tests of the client's own logic (chart scales, form parsing); the browser tests are Playwright's.
export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    reporters: ["default", "junit"],
    outputFile: { junit: process.env.WEB_RESULTS ? `${process.env.WEB_RESULTS}/unit.xml` : "../.local/test-results/web/unit.xml" },
  },
});
