// Adds a new signing key: published now, signing after KEY_ACTIVATION_DELAY_S;
// the keys it replaces stay published until their last tokens have expired.
// Run: `npm run rotate-key -w apps/auth` (built) or `npx tsx src/cli/rotate-key.ts`.
import { createLogger } from "@shop/kit";
import { openAuthDatabase } from "../db/index.js";
import { rotateSigningKey } from "../domain/keys/index.js";
import { loadConfig } from "../env.js";

const config = loadConfig();
const log = createLogger({ service: "auth", level: config.logLevel, format: config.logFormat });
const database = await openAuthDatabase(
  { url: config.databaseUrl, authToken: config.databaseAuthToken },
  log,
);
try {
  const rotated = await rotateSigningKey(database.db, config);
  log.info(
    {
      kid: rotated.kid,
      activatesAt: new Date(rotated.activatesAt).toISOString(),
      retiring: rotated.retiring,
      retiresAt: new Date(rotated.retiresAt).toISOString(),
    },
    "signing key rotated",
  );
} catch (error) {
  log.error({ err: error }, "key rotation failed");
  process.exitCode = 1;
} finally {
  database.close();
}
