import { createAccessVerifier, createRemoteKeySet } from "@shop/auth-kit";
import { createServiceApp, type Logger, mountTrpc } from "@shop/kit";
import { openUsersDatabase } from "./db/open.js";
import { createFailureLimiter } from "./domain/failure-limiter.js";
import { createPasswordHasher } from "./domain/password.js";
import { seedDemoUsers } from "./domain/seed.js";
import type { Config } from "./env.js";
import { usersInternalRouter } from "./internal-router.js";
import { usersRouter } from "./router.js";
import { createInternalVerifier } from "./service-verifier.js";
import type { Deps } from "./trpc.js";

/** Where each router is mounted. */
export const PUBLIC_ENDPOINT = "/trpc/users";
export const INTERNAL_ENDPOINT = "/internal/trpc";

/**
 * Builds the users service: opens and migrates its database, seeds the demo
 * accounts into an empty table when configured to, and mounts the public API
 * (user access tokens) and the internal API (auth's service token).
 */
export async function createApp(config: Config, log: Logger) {
  const database = await openUsersDatabase(config, log);
  const passwords = await createPasswordHasher(config.bcryptCost, { threads: config.hashThreads });
  if (config.seedDemoUsers) await seedDemoUsers(database.db, passwords, log);

  // One cached key set for both verifiers: user and service tokens are both auth's.
  const keys = createRemoteKeySet(config.jwksUrls, {
    cooldownMs: config.jwksCooldownMs,
    onStale: (error) => log.warn({ err: error }, "auth's JWKS unreachable; using the last key set"),
  });
  const accessVerifier = createAccessVerifier({
    keys,
    issuer: config.issuer,
    audience: config.audience,
  });
  const internalVerifier = createInternalVerifier({
    keys,
    issuer: config.issuer,
    audience: config.internalAudience,
  });

  const app = createServiceApp({
    service: "users",
    port: config.port,
    log,
    healthCheck: () => database.client.execute("select 1"),
  });
  const deps: Omit<Deps, "surface"> = {
    db: database.db,
    passwords,
    passwordGuesses: createFailureLimiter({ maxFailures: 5, windowMs: 15 * 60_000 }),
    config,
  };
  mountTrpc<Deps>(app, {
    endpoint: PUBLIC_ENDPOINT,
    router: usersRouter,
    deps: { ...deps, surface: "public" },
    verifier: accessVerifier,
    trustedProxies: config.trustedProxies,
  });
  mountTrpc<Deps>(app, {
    endpoint: INTERNAL_ENDPOINT,
    router: usersInternalRouter,
    deps: { ...deps, surface: "internal" },
    verifier: internalVerifier,
    trustedProxies: config.trustedProxies,
  });

  return {
    app,
    close: async () => {
      database.close();
      await passwords.close();
    },
  };
}
