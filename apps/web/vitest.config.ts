import { defineConfig } from "vitest/config";

// Unit and integration tests beside the code (the SPA's logic, the web server).
// The browser tests are Playwright's, in e2e/ (root playwright.config.ts).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "server/**/*.test.ts"],
    environment: "node",
  },
});
