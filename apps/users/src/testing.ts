import type { Logger } from "@shop/kit";
import { listen } from "@shop/kit";
import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { createApp } from "./app.js";
import { DEMO_ACCOUNTS } from "./domain/seed.js";
import { type Config, configFromEnv, envSchema } from "./env.js";

const signIn = <A extends { id: number; username: string; password: string }>(account: A) => ({
  id: account.id as A["id"],
  username: account.username as A["username"],
  password: account.password as A["password"],
});

/**
 * The demo accounts a fresh users database is seeded with: their ids and what
 * signs them in. Every service's tests and the proof suites use these.
 */
export const SEEDED = {
  admin: signIn(DEMO_ACCOUNTS.admin),
  user1: signIn(DEMO_ACCOUNTS.user1),
  maxim: signIn(DEMO_ACCOUNTS.maxim),
};

/** Options of {@link startUsersForTest}. */
export interface UsersTestOptions {
  /** JWKS of the token issuer (a test issuer, or a real auth service). */
  jwksUrl: string;
  issuer: string;
  /** bcrypt cost; defaults to 4 so suites stay fast. */
  bcryptCost?: number;
  /** Seed admin/user1/maxim (ids 1, 2, 3); default true. */
  seedDemoUsers?: boolean;
  /** Reuse a DATA_DIR (for example to start two instances on one file); default a fresh temp dir. */
  dataDir?: string;
  log?: Logger;
  /** Anything else to override in the config. */
  config?: Partial<Config>;
}

/** A users service running in-process on 127.0.0.1. */
export interface UsersForTest {
  url: string;
  config: Config;
  close(): Promise<void>;
}

/**
 * Starts the real users service (real HTTP, real libSQL file) on a free port.
 * `close` stops it and removes the temp DATA_DIR it made.
 */
export async function startUsersForTest(options: UsersTestOptions): Promise<UsersForTest> {
  const temp = options.dataDir ? null : tempDataDir("shop-users-");
  const config: Config = {
    ...configFromEnv(
      envSchema.parse({
        NODE_ENV: "test",
        PORT: "0",
        DATA_DIR: options.dataDir ?? temp!.dir,
        JWT_ISSUER: options.issuer,
        BCRYPT_COST: String(options.bcryptCost ?? 4),
        SEED_DEMO_USERS: String(options.seedDemoUsers ?? true),
      }),
    ),
    jwksUrls: [options.jwksUrl],
    ...options.config,
  };
  const log = options.log ?? silentLogger;
  const { app, close } = await createApp(config, log);
  const server = await listen(app, { port: 0, host: "127.0.0.1" });
  return {
    url: server.url,
    config,
    async close() {
      await server.close();
      await close();
      temp?.cleanup();
    },
  };
}
