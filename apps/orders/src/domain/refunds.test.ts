import { type Database, openDatabase } from "@shop/kit";
import { captureLog, silentLogger, tempDataDir } from "@shop/kit/testing";
import { afterEach, describe, expect, it } from "vitest";
import { orders, payments } from "../db/index.js";
import * as schema from "../db/schema.js";
import { MIGRATIONS_FOLDER } from "../paths.js";
import { eventually, type Harness, sleep, startHarness } from "../test/harness.js";
import { BankError } from "./bank-client.js";
import { RefundSweeper } from "./refunds.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("refunds owed", () => {
  it("survive a bank that is down and a restart, and are paid back once", async () => {
    // The sweep retries every 100 ms, so a refund left owed is retried many times below.
    h = await startHarness({ orders: { config: { refundRetryMs: 100 } } });
    const [buyer, admin] = await Promise.all([h.as("bob"), h.as("admin")]);
    const order = await buyer.create.mutate({ items: [{ productId: 1, quantity: 1 }] });
    const paid = await buyer.pay.mutate({ orderId: order.id, idempotencyKey: "refund-owed-1" });
    expect(paid.payment.bank).toBe("primary");

    await h.control({ bank: "primary", down: true });
    await admin.updateStatus.mutate({ id: order.id, status: "cancelled" });
    // Down: retried, never confirmed, the charge stands.
    await sleep(400);
    expect(await h.charged("primary")).toMatchObject([{ refunded_at: null }]);
    expect((await buyer.byId.query({ id: order.id })).payment?.refund).toBe("owed");

    // The owed refund is in the database, not in memory: a new process finds it.
    await h.orders.close();
    // Keep close() of the harness from closing the first process twice.
    h.orders.close = async () => {};
    await h.control({ bank: "primary", down: false });
    const restarted = await h.startOrders({ config: { refundRetryMs: 60_000 } });
    await eventually(async () => (await h!.charged("primary"))[0]?.refunded_at !== null);

    const owner = await h.client(restarted, "bob");
    await sleep(300);
    const completed = (await owner.history.query()).history.filter(
      (entry) => entry.action === "refund_completed",
    );
    expect(completed).toMatchObject([
      {
        username: "maxim",
        details: { orderId: order.id, amountCents: order.totalCents, bank: "primary" },
      },
    ]);
    expect((await owner.byId.query({ id: order.id })).payment?.refund).toBe("paid");
    const [record] = await h.charged("primary");
    expect(record).toMatchObject({ amount_cents: order.totalCents });
  });

  it("retries a bank that fails the refund until it confirms it", async () => {
    h = await startHarness({ orders: { config: { refundRetryMs: 100 } } });
    const [buyer, admin] = await Promise.all([h.as("alice"), h.as("admin")]);
    const order = await buyer.create.mutate({ items: [{ productId: 2, quantity: 1 }] });
    await buyer.pay.mutate({ orderId: order.id, idempotencyKey: "refund-owed-2" });
    await h.control({ bank: "primary", fail_next: 3 });
    await admin.updateStatus.mutate({ id: order.id, status: "cancelled" });
    await eventually(async () => (await h!.charged("primary"))[0]?.refunded_at !== null);
    const faults = (await (await fetch(`${h.bank.url}/control`)).json()) as {
      primary: { fail_next: number };
    };
    expect(faults.primary.fail_next).toBe(0);
  });

  it("stops after the bank call in flight, leaving the rest owed", async () => {
    await withOwedRefunds(["primary", "primary", "primary"], async (database) => {
      // A bank that takes 200 ms per refund.
      const asked: string[] = [];
      const bank = {
        refund: async (_bank: string, paymentId: string) => {
          asked.push(paymentId);
          await sleep(200);
          return {} as never;
        },
      };
      const sweeper = new RefundSweeper({ db: database.db, bank, log: silentLogger }, 60_000);
      const sweep = sweeper.kick();
      await eventually(async () => asked.length === 1);
      await sweeper.stop();
      await sweep;
      expect(asked).toEqual(["pay-1"]);
      const owed = await database.db.select().from(payments);
      expect(owed.map((p) => p.refundConfirmedAt === null)).toEqual([false, true, true]);
      // Stopped: a kick does nothing.
      await sweeper.kick();
      expect(asked).toEqual(["pay-1"]);
    });
  });

  it("asks a bank that is down for one refund a sweep, and says once how many wait", async () => {
    await withOwedRefunds(["primary", "primary", "backup", "primary"], async (database) => {
      const asked: string[] = [];
      const bank = {
        refund: async (name: "primary" | "backup", paymentId: string) => {
          asked.push(paymentId);
          if (name === "primary") throw new BankError(name, "unknown", "primary bank timed out");
          return {} as never;
        },
      };
      const { log, lines } = captureLog("orders");
      const sweeper = new RefundSweeper({ db: database.db, bank, log }, 60_000);
      await sweeper.kick();
      // The backup bank is still asked for its own.
      expect(asked).toEqual(["pay-1", "pay-3"]);
      expect(lines.filter((l) => l.refundsOwed !== undefined)).toMatchObject([
        { level: 40, bank: "primary", refundsOwed: 3 },
      ]);
      await sweeper.kick();
      expect(asked).toEqual(["pay-1", "pay-3", "pay-1"]);
      const owed = await database.db.select().from(payments);
      expect(owed.map((p) => p.refundConfirmedAt === null)).toEqual([true, true, false, true]);
    });
  });

  it("takes a bank's 429 as later, not as a refusal", async () => {
    await withOwedRefunds(["primary", "primary"], async (database) => {
      const asked: string[] = [];
      const bank = {
        refund: async (name: "primary" | "backup", paymentId: string) => {
          asked.push(paymentId);
          throw new BankError(name, "unknown", "primary bank refund answered 429", 429);
        },
      };
      const { log, lines } = captureLog("orders");
      const sweeper = new RefundSweeper({ db: database.db, bank, log }, 60_000);
      await sweeper.kick();
      await sweeper.kick();
      expect(asked).toEqual(["pay-1", "pay-1"]);
      expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    });
  });

  it("logs a refund the bank refuses once as an error, and asks again after a doubling wait", async () => {
    await withOwedRefunds(["primary", "primary"], async (database) => {
      const asked: string[] = [];
      let refuse = true;
      const bank = {
        refund: async (name: "primary" | "backup", paymentId: string) => {
          asked.push(paymentId);
          if (paymentId === "pay-1" && refuse) {
            throw new BankError(name, "unknown", "primary bank refund answered 409", 409);
          }
          return {} as never;
        },
      };
      const { log, lines } = captureLog("orders");
      const intervalMs = 400;
      const sweeper = new RefundSweeper({ db: database.db, bank, log }, intervalMs);
      const askedFor1 = () => asked.filter((id) => id === "pay-1").length;
      await sweeper.kick();
      // The refusal does not hold up the next refund.
      expect(asked).toEqual(["pay-1", "pay-2"]);
      await sweeper.kick();
      expect(askedFor1()).toBe(1);
      await sleep(intervalMs + 50);
      await sweeper.kick();
      expect(askedFor1()).toBe(2);
      // Now twice the interval.
      await sleep(intervalMs + 50);
      await sweeper.kick();
      expect(askedFor1()).toBe(2);
      await sleep(intervalMs);
      refuse = false;
      await sweeper.kick();
      expect(askedFor1()).toBe(3);
      const refusals = lines.filter((l) => l.paymentId === "pay-1" && l.status === 409);
      expect(refusals).toMatchObject([
        { level: 50, attempts: 1, retryInMs: intervalMs },
        { level: 40, attempts: 2, retryInMs: 2 * intervalMs },
      ]);
      const owed = await database.db.select().from(payments);
      expect(owed.every((p) => p.refundConfirmedAt !== null)).toBe(true);
    });
  });
});

/** Cancelled, paid orders of user 2 whose refunds are owed, one per bank given (pay-1, pay-2, …). */
async function withOwedRefunds(
  banks: Array<"primary" | "backup">,
  run: (database: Database<typeof schema>) => Promise<void>,
): Promise<void> {
  const data = tempDataDir("orders-refunds-");
  const database = await openDatabase({
    url: `file:${data.dir}/orders.db`,
    schema,
    migrationsFolder: MIGRATIONS_FOLDER,
    log: silentLogger,
  });
  try {
    const now = Date.now();
    for (const [i, bank] of banks.entries()) {
      const [order] = await database.db
        .insert(orders)
        .values({ userId: 2, status: "cancelled", totalCents: 100, createdAt: now, updatedAt: now })
        .returning({ id: orders.id });
      await database.db.insert(payments).values({
        orderId: order!.id,
        userId: 2,
        idempotencyKey: `key-${i + 1}`,
        paymentId: `pay-${i + 1}`,
        amountCents: 100,
        status: "succeeded",
        bank,
        createdAt: now,
        updatedAt: now,
        refundedAt: now,
      });
    }
    await run(database);
  } finally {
    database.close();
    data.cleanup();
  }
}
