import { openDatabase } from "@shop/kit";
import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { afterEach, describe, expect, it } from "vitest";
import { orders, payments } from "../db/index.js";
import * as schema from "../db/schema.js";
import { MIGRATIONS_FOLDER } from "../paths.js";
import { eventually, type Harness, sleep, startHarness } from "../test/harness.js";
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
    const data = tempDataDir("orders-refunds-");
    const database = await openDatabase({
      url: `file:${data.dir}/orders.db`,
      schema,
      migrationsFolder: MIGRATIONS_FOLDER,
      log: silentLogger,
    });
    try {
      const now = Date.now();
      for (let i = 1; i <= 3; i++) {
        const [order] = await database.db
          .insert(orders)
          .values({
            userId: 2,
            status: "cancelled",
            totalCents: 100,
            createdAt: now,
            updatedAt: now,
          })
          .returning({ id: orders.id });
        await database.db.insert(payments).values({
          orderId: order!.id,
          userId: 2,
          idempotencyKey: `key-${i}`,
          paymentId: `pay-${i}`,
          amountCents: 100,
          status: "succeeded",
          bank: "primary",
          createdAt: now,
          updatedAt: now,
          refundedAt: now,
        });
      }
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
    } finally {
      database.close();
      data.cleanup();
    }
  });
});
