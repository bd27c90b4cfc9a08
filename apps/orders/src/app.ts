import { createAccessVerifier, createRemoteKeySet } from "@shop/auth-kit";
import { createServiceApp, databaseUrl, type Logger, mountTrpc, openDatabase } from "@shop/kit";
import * as schema from "./db/schema.js";
import { BankClient } from "./domain/bank-client.js";
import { PrimaryBankBreaker } from "./domain/breaker.js";
import { seedCatalog } from "./domain/catalog.js";
import { createOrderReads } from "./domain/order-view.js";
import { paymentLeaseMs } from "./domain/payment-store.js";
import { PaymentSweeper } from "./domain/payment-sweep.js";
import { RefundSweeper } from "./domain/refunds.js";
import type { Config } from "./env.js";
import { MIGRATIONS_FOLDER } from "./paths.js";
import { ordersRouter } from "./router.js";
import type { Deps } from "./trpc.js";

/** Where the router is mounted. */
export const ENDPOINT = "/trpc/orders";

/**
 * Builds the orders service: opens and migrates its database, seeds the
 * catalog (idempotently), and mounts the router behind token verification.
 */
export async function createApp(config: Config, log: Logger) {
  const database = await openDatabase({
    url: databaseUrl("orders", config.dataDir, config.databaseUrl),
    authToken: config.databaseAuthToken,
    schema,
    migrationsFolder: MIGRATIONS_FOLDER,
    log,
  });
  const seeded = await seedCatalog(database.db);
  if (seeded > 0) log.info(`seeded ${seeded} catalog products`);

  const verifier = createAccessVerifier({
    keys: createRemoteKeySet(config.jwksUrls, {
      cooldownMs: config.jwksCooldownMs,
      onStale: (error) =>
        log.warn({ err: error }, "auth's JWKS unreachable; using the last key set"),
    }),
    issuer: config.issuer,
    audience: config.audience,
  });
  const bank = new BankClient(config.bankUrl, config.bankTimeoutMs);
  const breaker = new PrimaryBankBreaker(
    bank,
    { threshold: config.breakerThreshold, resetAfterMs: config.breakerResetMs },
    log,
  );

  const refunds = new RefundSweeper({ db: database.db, bank, log }, config.refundRetryMs);
  refunds.start();
  const reads = createOrderReads(database);
  const leaseMs = paymentLeaseMs(config.bankTimeoutMs);
  const sweep = { db: database.db, reads, bank, breaker, refunds, leaseMs, log };
  const unsettled = new PaymentSweeper(sweep, config.refundRetryMs);
  unsettled.start();

  const app = createServiceApp({
    service: "orders",
    port: config.port,
    log,
    healthCheck: () => database.client.execute("select 1"),
  });
  mountTrpc<Deps>(app, {
    endpoint: ENDPOINT,
    router: ordersRouter,
    deps: { db: database.db, reads, config, bank, breaker, refunds },
    verifier,
    trustedProxies: config.trustedProxies,
  });

  return {
    app,
    close: async () => {
      await unsettled.stop();
      breaker.shutdown();
      await refunds.stop();
      database.close();
    },
  };
}
