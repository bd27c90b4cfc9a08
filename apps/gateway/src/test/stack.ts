import { type AuthForTest, type AuthTestOptions, startAuthForTest } from "@shop/auth/testing";
import { startBankForTest, type TestBank } from "@shop/bank/testing";
import type { Logger } from "@shop/kit";
import { type OrdersForTest, startOrdersForTest } from "@shop/orders/testing";
import { SEEDED } from "@shop/users/testing";
import { type GatewayTestOptions, startGatewayForTest, type TestGateway } from "../testing.js";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions
type Json = any;

/** The seeded demo accounts (ids and passwords), as the users service seeds them. */
export { SEEDED };

/** The real services, in-process on temp data, behind the real gateway. */
export interface Stack {
  auth: AuthForTest;
  orders: OrdersForTest;
  bank: TestBank;
  gateway: TestGateway;
  url: string;
  /** A JSON call to the gateway; `token` becomes a bearer header. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: Json }>;
  /** Logs in over REST and returns the access and refresh tokens. */
  login(user?: {
    username: string;
    password: string;
  }): Promise<{ access: string; refresh: string }>;
  close(): Promise<void>;
}

export async function startStack(
  gatewayOptions: Partial<GatewayTestOptions> = {},
  services: { log?: Logger; auth?: AuthTestOptions } = {},
): Promise<Stack> {
  const [auth, bank] = await Promise.all([
    startAuthForTest({ log: services.log, ...services.auth }),
    startBankForTest(),
  ]);
  const orders = await startOrdersForTest({
    jwksUrl: auth.jwksUrl,
    issuer: auth.config.issuer,
    bankUrl: bank.url,
    log: services.log,
  });
  const gateway = await startGatewayForTest({
    authUrl: auth.url,
    usersUrl: auth.users!.url,
    ordersUrl: orders.url,
    issuer: auth.config.issuer,
    ...gatewayOptions,
  });

  const call: Stack["call"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === "string"
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, body };
  };

  return {
    auth,
    orders,
    bank,
    gateway,
    url: gateway.url,
    call,
    async login(user = SEEDED.user1) {
      const response = await call("POST", "/gateway/auth/login", { body: user });
      if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
      return { access: response.body.access_token, refresh: response.body.refresh_token };
    },
    async close() {
      await gateway.close();
      await orders.close();
      await auth.close();
      await bank.close();
    },
  };
}
