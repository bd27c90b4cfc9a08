import { createTestIssuer, type TestIssuer } from "@shop/auth-kit/testing";
import { startBankForTest, type TestBank } from "@shop/bank/testing";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { expect } from "vitest";
import type { OrdersRouter } from "../router.js";
import { type OrdersForTest, type OrdersTestOptions, startOrdersForTest } from "../testing.js";

/** Users the tests act as (ids as auth would issue them). */
export const USERS = {
  admin: { sub: "1", username: "admin", role: "admin" },
  alice: { sub: "2", username: "user1", role: "user" },
  bob: { sub: "3", username: "maxim", role: "user" },
} as const;
export type TestUser = keyof typeof USERS;

export type OrdersClient = ReturnType<typeof clientFor>;

function clientFor(url: string, token: string) {
  return createTRPCClient<OrdersRouter>({
    links: [httpLink({ url: `${url}/trpc/orders`, headers: { authorization: `Bearer ${token}` } })],
  });
}

/** A bank's record of one charge. */
export interface BankRecord {
  payment_id: string;
  transaction_id: string;
  amount_cents: number;
  refunded_at: string | null;
}

/** A test issuer, a bank and an orders service, all on real HTTP with real libSQL files. */
export interface Harness {
  issuer: TestIssuer;
  bank: TestBank;
  orders: OrdersForTest;
  as(user: TestUser): Promise<OrdersClient>;
  /** Starts another orders process (a replica, or a restart) on the same data. */
  startOrders(overrides?: Partial<OrdersTestOptions>): Promise<OrdersForTest>;
  client(orders: OrdersForTest, user: TestUser): Promise<OrdersClient>;
  control(body: Record<string, unknown>): Promise<void>;
  /** What a bank charged (succeeded charges), refunded or not. */
  charged(bank: "primary" | "backup"): Promise<BankRecord[]>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { bankEnv?: Record<string, string>; orders?: Partial<OrdersTestOptions> } = {},
): Promise<Harness> {
  const issuer = await createTestIssuer();
  const bank = await startBankForTest(options.bankEnv);
  const { tempDataDir } = await import("@shop/kit/testing");
  const data = tempDataDir("shop-orders-");
  const extra: OrdersForTest[] = [];
  const start = (overrides: Partial<OrdersTestOptions> = {}) =>
    startOrdersForTest({
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      bankUrl: bank.url,
      dataDir: data.dir,
      ...options.orders,
      ...overrides,
    });
  const orders = await start();
  const client = async (target: OrdersForTest, user: TestUser) =>
    clientFor(target.url, await issuer.mintAccess({ ...USERS[user] }));
  return {
    issuer,
    bank,
    orders,
    as: (user) => client(orders, user),
    client,
    async startOrders(overrides) {
      const started = await start(overrides);
      extra.push(started);
      return started;
    },
    async control(body) {
      const res = await fetch(`${bank.url}/control`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    },
    async charged(name) {
      const res = await fetch(`${bank.url}/${name}/charges`);
      return ((await res.json()) as { charges: BankRecord[] }).charges;
    },
    async close() {
      for (const o of extra) await o.close();
      await orders.close();
      await bank.close();
      await issuer.close();
      data.cleanup();
    },
  };
}

/** Awaits a tRPC call expected to fail with this HTTP status; returns the error. */
export async function expectStatus(call: Promise<unknown>, httpStatus: number) {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    expect({ status: error.data?.httpStatus, message: error.message }).toMatchObject({
      status: httpStatus,
    });
    return error as TRPCClientError<OrdersRouter>;
  }
  throw new Error(`expected HTTP ${httpStatus}, but the call succeeded`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true, failing after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await sleep(25);
  }
}
