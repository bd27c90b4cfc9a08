import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, startStack } from "@shop/stack";
import { E2E_ACCESS_TOKEN_TTL_S, E2E_BASE_PORT, E2E_BREAKER_RESET_S } from "./stack-urls.js";

/**
 * Starts the real, built processes (auth, users, orders, bank, gateway, web)
 * on fresh temporary data, and returns the teardown. Nothing is built here:
 * `npm test` has built every app before the e2e suite runs.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const entries = ["auth", "users", "orders", "bank", "gateway"].map(
    (app) => `apps/${app}/dist/index.js`,
  );
  const missing = [...entries, "apps/web/dist-server/index.js", "apps/web/dist/index.html"].filter(
    (entry) => !existsSync(join(REPO_ROOT, entry)),
  );
  if (missing.length > 0) {
    throw new Error(
      `e2e runs the built apps; build first (npm run build). Missing: ${missing.join(", ")}`,
    );
  }
  const logDir = join(REPO_ROOT, "test-results");
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, "e2e-stack.log"));
  const stack = await startStack({
    basePort: E2E_BASE_PORT,
    env: {
      LOG_LEVEL: "info",
      BCRYPT_COST: "4",
      ACCESS_TOKEN_TTL_S: String(E2E_ACCESS_TOKEN_TTL_S),
      BREAKER_RESET_S: String(E2E_BREAKER_RESET_S),
      BANK_TIMEOUT_MS: "1500",
      // Every test logs in from 127.0.0.1; the per-address limits are for abusers, not this suite.
      LOGIN_RATE_LIMIT: "1000",
      REFRESH_RATE_LIMIT: "1000",
    },
    onLine: (service, line) => log.write(`${service} ${line}\n`),
    startTimeoutMs: 30_000,
  });
  return async () => {
    await stack.stop();
    log.end();
  };
}
