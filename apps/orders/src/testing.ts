import type { Logger } from "@shop/kit";
import { listen } from "@shop/kit";
import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { createApp } from "./app.js";
import { type Config, configFromEnv, envSchema } from "./env.js";

/** Options of {@link startOrdersForTest}. */
export interface OrdersTestOptions {
  /** JWKS of the token issuer (a test issuer, or a real auth service). */
  jwksUrl: string;
  issuer: string;
  /** The bank stand-in (see `startBankForTest` in @shop/bank/testing). */
  bankUrl: string;
  /** Breaker and bank settings; defaults: 3 failures, 1 s reset, 500 ms bank timeout. */
  breakerThreshold?: number;
  breakerResetMs?: number;
  bankTimeoutMs?: number;
  /** Reuse a DATA_DIR (a restart, or two replicas on one file); default a fresh temp dir. */
  dataDir?: string;
  log?: Logger;
  /** Anything else to override in the config. */
  config?: Partial<Config>;
}

/** An orders service running in-process on 127.0.0.1. */
export interface OrdersForTest {
  url: string;
  config: Config;
  close(): Promise<void>;
}

/**
 * Starts the real orders service (real HTTP, real libSQL file) on a free port.
 * `close` stops it and removes the temp DATA_DIR it made.
 */
export async function startOrdersForTest(options: OrdersTestOptions): Promise<OrdersForTest> {
  const temp = options.dataDir ? null : tempDataDir("shop-orders-");
  const config: Config = {
    ...configFromEnv(
      envSchema.parse({
        NODE_ENV: "test",
        PORT: "0",
        DATA_DIR: options.dataDir ?? temp!.dir,
        JWT_ISSUER: options.issuer,
        BANK_URL: options.bankUrl,
      }),
    ),
    jwksUrls: [options.jwksUrl],
    breakerThreshold: options.breakerThreshold ?? 3,
    breakerResetMs: options.breakerResetMs ?? 1_000,
    bankTimeoutMs: options.bankTimeoutMs ?? 500,
    ...options.config,
  };
  const { app, close } = await createApp(config, options.log ?? silentLogger);
  const server = await listen(app, { port: 0, host: "127.0.0.1" });
  return {
    url: server.url,
    config: { ...config, port: server.port },
    async close() {
      await server.close();
      await close();
      temp?.cleanup();
    },
  };
}
