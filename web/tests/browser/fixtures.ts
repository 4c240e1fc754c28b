import { test as base } from "@playwright/test";
import { platformUrl } from "./platform";

/** Playwright's test with the run's platform as base URL (its port is chosen when the run starts). */
export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(platformUrl());
  },
});
export { expect } from "@playwright/test";
