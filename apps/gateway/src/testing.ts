import type { Logger } from "@shop/kit";
import { silentLogger } from "@shop/kit/testing";
import { createApp } from "./app.js";
import { type Config, configFromEnv, envSchema } from "./env.js";
import { listenGateway } from "./server.js";

/** What a test may set: the services' URLs (or replica lists) and any Config field. */
export interface GatewayTestOptions extends Partial<Omit<Config, "upstreams">> {
  authUrl: string | string[];
  usersUrl: string | string[];
  ordersUrl: string | string[];
  log?: Logger;
}

/** A gateway running in-process on 127.0.0.1, port 0. */
export interface TestGateway {
  url: string;
  config: Config;
  close(): Promise<void>;
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/**
 * Starts the real gateway in front of the given services, with short timeouts
 * suited to tests (1 s upstream timeout, 1 s replica ejection).
 */
export async function startGatewayForTest(options: GatewayTestOptions): Promise<TestGateway> {
  const { authUrl, usersUrl, ordersUrl, log, ...overrides } = options;
  const base = configFromEnv(envSchema.parse({ NODE_ENV: "test", PORT: "0" }));
  const auth = list(authUrl);
  const config: Config = {
    ...base,
    upstreamTimeoutMs: 1_000,
    connectTimeoutMs: 500,
    replicaEjectMs: 1_000,
    jwksUrls: auth.map((url) => new URL("/.well-known/jwks.json", url).href),
    ...overrides,
    upstreams: { auth, users: list(usersUrl), orders: list(ordersUrl) },
  };
  const gateway = await createApp(config, log ?? silentLogger);
  const running = await listenGateway(gateway.listener, { port: 0, host: "127.0.0.1" });
  return {
    url: running.url,
    config,
    close: async () => {
      await running.close();
      await gateway.close();
    },
  };
}
