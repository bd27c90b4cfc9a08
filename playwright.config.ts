import { defineConfig, devices } from "@playwright/test";
import { E2E_URLS } from "./apps/web/e2e/stack-urls.js";

// End-to-end tests of the SPA against the real processes (apps/web/e2e).
// `npm test` builds every app first (turbo: test depends on build); the global
// setup only starts the built processes on fresh data, on ports of their own.
export default defineConfig({
  testDir: "./apps/web/e2e",
  outputDir: "./test-results",
  globalSetup: "./apps/web/e2e/global-setup.ts",
  // One shared stack: its breaker and bank faults are global, so tests run in order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 45_000,
  expect: { timeout: 7_500 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    ...devices["Desktop Chrome"],
    baseURL: E2E_URLS.web,
    locale: "en-US",
    screenshot: "only-on-failure",
    trace: "on-first-retry",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
