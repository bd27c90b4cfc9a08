import { type AuthForTest, startAuthForTest } from "@shop/auth/testing";
import { startBankForTest, type TestBank } from "@shop/bank/testing";
import { startGatewayForTest, type TestGateway } from "@shop/gateway/testing";
import { createLogger, type Logger } from "@shop/kit";
import { type OrdersForTest, startOrdersForTest } from "@shop/orders/testing";
import { SEEDED, type UsersForTest } from "@shop/users/testing";
import type { Callers } from "./trpc-requests.js";

/**
 * Services are silent unless ABUSE_LOG names a level (ABUSE_LOG=error shows
 * every 500's cause, with the request id the failure report carries).
 */
function abuseLogger(): Logger | undefined {
  const level = process.env.ABUSE_LOG;
  return level ? createLogger({ service: "abuse", level, format: "json" }) : undefined;
}

/** The seeded demo accounts (ids and passwords), as the users service seeds them. */
export { SEEDED };

/** Where each service answers, straight or through the gateway. */
export interface AbuseStack {
  auth: AuthForTest;
  users: UsersForTest;
  orders: OrdersForTest;
  bank: TestBank;
  gateway: TestGateway;
  /** Base URL of each process, by service name. */
  urls: { auth: string; users: string; orders: string; bank: string; gateway: string };
  /** An access token signed with auth's live key for an account that exists. */
  token(user: { id: number; username: string; role: "admin" | "user" }): Promise<string>;
  /** Tokens of the seeded user1 and admin, the callers the fuzzers send. */
  callers(): Promise<Callers>;
  close(): Promise<void>;
}

/**
 * The real services in-process on temp data (bcrypt cost 4), behind the real
 * gateway. The gateway's per-address login/refresh budgets are raised: every
 * fuzzed request comes from 127.0.0.1, and a 429 would hide what the services
 * do with the input. (The budgets themselves are the gateway's own tests' subject.)
 */
export async function startAbuseStack(): Promise<AbuseStack> {
  const log = abuseLogger();
  const [auth, bank] = await Promise.all([startAuthForTest({ log }), startBankForTest()]);
  const users = auth.users;
  if (!users) throw new Error("auth did not start its users service");
  const orders = await startOrdersForTest({
    jwksUrl: auth.jwksUrl,
    issuer: auth.config.issuer,
    bankUrl: bank.url,
    log,
  });
  const gateway = await startGatewayForTest({
    authUrl: auth.url,
    usersUrl: users.url,
    ordersUrl: orders.url,
    issuer: auth.config.issuer,
    loginRateLimit: 1_000_000,
    refreshRateLimit: 1_000_000,
    // Generous for a loaded 2-core machine: a 504 here would be a false alarm.
    upstreamTimeoutMs: 10_000,
    log,
  });
  const token: AbuseStack["token"] = (user) =>
    auth.signAccessToken({ sub: String(user.id), username: user.username, role: user.role });
  return {
    auth,
    users,
    orders,
    bank,
    gateway,
    urls: {
      auth: auth.url,
      users: users.url,
      orders: orders.url,
      bank: bank.url,
      gateway: gateway.url,
    },
    token,
    callers: async () => ({
      user: await token({ ...SEEDED.user1, role: "user" }),
      admin: await token({ ...SEEDED.admin, role: "admin" }),
    }),
    async close() {
      await gateway.close();
      await orders.close();
      await auth.close();
      await bank.close();
    },
  };
}
