import { AUDIENCE, createAccessVerifier } from "@shop/auth-kit";
import { createServiceApp, type Logger, mountTrpc } from "@shop/kit";
import { openAuthDatabase } from "./db/index.js";
import { deleteAuditEventsBefore } from "./domain/audit.js";
import type { AuthDeps } from "./domain/deps.js";
import { ensureSigningKey, KeyStore, retirementDelayMs } from "./domain/keys/index.js";
import { OncePerWindow } from "./domain/once-per-window.js";
import { deleteEndedFamilies } from "./domain/sessions/session-lifecycle.js";
import { LoginThrottle } from "./domain/throttle.js";
import { ServiceTokenSource } from "./domain/tokens.js";
import { UsersClient } from "./domain/users-client.js";
import type { Config } from "./env.js";
import { authRouter } from "./router.js";

export const ENDPOINT = "/trpc/auth";
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** Ended sessions are kept a while for the `sessions`/audit trail, then deleted. */
const KEEP_ENDED_SESSIONS_MS = 30 * DAY_MS;

/**
 * Builds the auth service: opens and migrates its database, makes sure a
 * signing key exists (generated on first start, or AUTH_PRIVATE_KEY), and
 * mounts the JWKS and the auth router.
 */
export async function createApp(config: Config, log: Logger) {
  const database = await openAuthDatabase(
    { url: config.databaseUrl, authToken: config.databaseAuthToken },
    log,
  );
  const { db } = database;
  const { envKey, generatedKid } = await ensureSigningKey(db, config);
  if (generatedKid) log.info({ kid: generatedKid }, "generated the first signing key");
  if (envKey) log.info({ kid: envKey.kid }, "signing with AUTH_PRIVATE_KEY");

  const keys = new KeyStore({
    db,
    log,
    reloadIntervalMs: config.keyReloadIntervalMs,
    retirementDelayMs: retirementDelayMs(config),
    envKey,
  });
  const verifier = createAccessVerifier({
    keys: keys.getKey,
    issuer: config.issuer,
    audience: AUDIENCE.auth,
  });
  const deps: AuthDeps = {
    db,
    config,
    keys,
    verifier,
    users: new UsersClient({
      baseUrl: () => config.userServiceUrl,
      timeouts: {
        verifyCredentialsMs: config.userServiceTimeoutMs,
        accountStatusMs: config.userStatusTimeoutMs,
      },
      serviceToken: new ServiceTokenSource(keys, config.issuer),
    }),
    throttle: new LoginThrottle(db, config.throttle),
    deniedAudit: new OncePerWindow(config.deniedAuditWindowS * 1000),
    now: Date.now,
  };

  const app = createServiceApp({
    service: "auth",
    port: config.port,
    log,
    healthCheck: () => database.client.execute("select 1"),
  });
  app.get("/.well-known/jwks.json", async (c) => {
    const jwks = await keys.publicKeys();
    // Short: a new key is published KEY_ACTIVATION_DELAY_S before it signs.
    c.header("cache-control", "public, max-age=15");
    return c.json(jwks);
  });
  mountTrpc<AuthDeps>(app, {
    endpoint: ENDPOINT,
    router: authRouter,
    deps,
    verifier,
    trustedProxies: config.trustedProxies,
  });

  const prune = setInterval(() => {
    const now = Date.now();
    deleteEndedFamilies(db, now - KEEP_ENDED_SESSIONS_MS).catch((error) =>
      log.warn({ err: error }, "pruning ended sessions failed"),
    );
    deleteAuditEventsBefore(db, now - config.auditRetentionDays * DAY_MS)
      .then((deleted) => {
        if (deleted > 0) log.info({ deleted }, "deleted security events past their retention");
      })
      .catch((error) => log.warn({ err: error }, "pruning security events failed"));
  }, PRUNE_EVERY_MS);
  prune.unref();

  return {
    app,
    deps,
    close: async () => {
      clearInterval(prune);
      await deps.users.close();
      database.close();
    },
  };
}
