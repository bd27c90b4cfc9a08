import { listen } from "@shop/kit";
import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { createApp } from "./app.js";
import { type Config, configFromEnv, envSchema } from "./env.js";

/** A running bank for tests. */
export interface TestBank {
  url: string;
  /** The app itself, to hand it requests the network here cannot make (another peer address). */
  app: Awaited<ReturnType<typeof createApp>>["app"];
  config: Config;
  close(): Promise<void>;
}

/**
 * Starts the real bank in-process on 127.0.0.1, port 0, with a temporary
 * DATA_DIR (removed on close unless `dataDir` was given). `overrides` are
 * env-style settings, e.g. `{ PRIMARY_FAIL_FIRST: "3" }`.
 */
export async function startBankForTest(
  overrides: Record<string, string | undefined> = {},
): Promise<TestBank> {
  const temp = overrides.DATA_DIR ? null : tempDataDir("shop-bank-");
  const env = envSchema.parse({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    ...overrides,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: overrides.DATA_DIR ?? temp!.dir,
  });
  const config = configFromEnv(env);
  const { app, close } = await createApp(config, silentLogger);
  const server = await listen(app, { port: 0, host: "127.0.0.1" });
  return {
    url: server.url,
    app,
    config: { ...config, port: server.port },
    async close() {
      await server.close();
      close();
      temp?.cleanup();
    },
  };
}
