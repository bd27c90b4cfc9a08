import { afterEach, describe, expect, it } from "vitest";
import { startBankForTest, type TestBank } from "./testing.js";

let bank: TestBank | undefined;
afterEach(async () => {
  await bank?.close();
  bank = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

function charge(bankName: string, paymentId: string, amount = 1999) {
  return post(`${bank!.url}/${bankName}/charges`, {
    payment_id: paymentId,
    amount_cents: amount,
    currency: "EUR",
  });
}

async function charged(bankName: string) {
  const res = await fetch(`${bank!.url}/${bankName}/charges`);
  return ((await res.json()) as { charges: unknown[] }).charges;
}

describe("bank charges", () => {
  it("charges once per payment id and answers a repeat with the first charge", async () => {
    bank = await startBankForTest();
    const first = await charge("primary", "pay-00000001");
    expect(first.status).toBe(201);
    const body = (await first.json()) as { transaction_id: string };
    expect(body).toMatchObject({
      payment_id: "pay-00000001",
      bank: "primary",
      amount_cents: 1999,
      status: "succeeded",
    });
    const again = await charge("primary", "pay-00000001");
    expect(again.status).toBe(200);
    expect(((await again.json()) as { transaction_id: string }).transaction_id).toBe(
      body.transaction_id,
    );
    expect(await charged("primary")).toHaveLength(1);
    expect(await charged("backup")).toHaveLength(0);

    const status = await fetch(`${bank.url}/primary/charges/pay-00000001`);
    expect(await status.json()).toMatchObject({
      transaction_id: body.transaction_id,
      status: "succeeded",
    });
    const unknown = await fetch(`${bank.url}/backup/charges/pay-00000001`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "not_found" });
  });

  it("refunds a succeeded charge once, and refuses what it cannot refund", async () => {
    bank = await startBankForTest();
    const refund = (bankName: string, paymentId: string) =>
      post(`${bank!.url}/${bankName}/charges/${paymentId}/refund`, {});
    expect((await charge("primary", "pay-00000010")).status).toBe(201);
    const first = await refund("primary", "pay-00000010");
    expect(first.status).toBe(200);
    const body = (await first.json()) as { refunded_at: string | null; status: string };
    expect(body.status).toBe("succeeded");
    expect(body.refunded_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    // A repeat answers the same refund; the charge's record shows it.
    expect(await (await refund("primary", "pay-00000010")).json()).toMatchObject({
      refunded_at: body.refunded_at,
    });
    expect(await charged("primary")).toMatchObject([{ refunded_at: body.refunded_at }]);

    const missing = await refund("backup", "pay-00000010");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "not_found" });
    await post(`${bank.url}/control`, { bank: "primary", decline_over_cents: 100 });
    expect((await charge("primary", "pay-00000011")).status).toBe(402);
    const declined = await refund("primary", "pay-00000011");
    expect(declined.status).toBe(409);
    expect(await declined.json()).toMatchObject({ code: "not_refundable" });

    // Faults apply: a failing or down bank refunds nothing, and a retry does.
    await post(`${bank.url}/control/reset`, {});
    expect((await charge("primary", "pay-00000012")).status).toBe(201);
    await post(`${bank.url}/control`, { bank: "primary", fail_next: 1 });
    expect((await refund("primary", "pay-00000012")).status).toBe(503);
    await post(`${bank.url}/control`, { bank: "primary", down: true });
    expect((await refund("primary", "pay-00000012")).status).toBe(503);
    await post(`${bank.url}/control/reset`, {});
    const retried = (await (await refund("primary", "pay-00000012")).json()) as {
      refunded_at: string | null;
    };
    expect(retried.refunded_at).not.toBeNull();
  });

  it("refuses a charge arriving after its not_after time, charging nothing", async () => {
    bank = await startBankForTest();
    const late = await post(`${bank.url}/primary/charges`, {
      payment_id: "pay-00000006",
      amount_cents: 1999,
      currency: "EUR",
      not_after: new Date(Date.now() - 1).toISOString(),
    });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: "expired" });
    expect((await fetch(`${bank.url}/primary/charges/pay-00000006`)).status).toBe(404);
    const inTime = await post(`${bank.url}/primary/charges`, {
      payment_id: "pay-00000006",
      amount_cents: 1999,
      currency: "EUR",
      not_after: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(inTime.status).toBe(201);
  });

  it("refuses a payment id reused for another amount", async () => {
    bank = await startBankForTest();
    await charge("backup", "pay-00000002", 100);
    const res = await charge("backup", "pay-00000002", 200);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "mismatch" });
  });

  it("answers bad input and unknown routes as JSON", async () => {
    bank = await startBankForTest();
    const bad = await post(`${bank.url}/primary/charges`, { payment_id: "x", amount_cents: 1.5 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_request" });
    const notJson = await fetch(`${bank.url}/primary/charges`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
    const otherBank = await charge("central", "pay-00000003");
    expect(otherBank.status).toBe(404);
    expect(await otherBank.json()).toMatchObject({ code: "not_found" });
    const nowhere = await fetch(`${bank.url}/nowhere`);
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get("content-type")).toContain("application/json");
  });

  it("persists charges in its own file across a restart", async () => {
    const { tempDataDir } = await import("@shop/kit/testing");
    const dir = tempDataDir();
    try {
      bank = await startBankForTest({ DATA_DIR: dir.dir });
      await charge("primary", "pay-00000004");
      await bank.close();
      bank = await startBankForTest({ DATA_DIR: dir.dir });
      expect(await charged("primary")).toHaveLength(1);
      expect((await charge("primary", "pay-00000004")).status).toBe(200);
    } finally {
      await bank?.close();
      bank = undefined;
      dir.cleanup();
    }
  });

  it("fails the charges a crash left processing, so they can be asked about and retried", async () => {
    const { tempDataDir } = await import("@shop/kit/testing");
    const { createClient } = await import("@libsql/client");
    const dir = tempDataDir();
    try {
      bank = await startBankForTest({ DATA_DIR: dir.dir });
      await bank.close();
      // The process died between recording the charge and settling it.
      const db = createClient({ url: `file:${dir.dir}/bank.db` });
      await db.execute(`insert into charges (bank, payment_id, transaction_id, amount_cents, currency, status)
        values ('primary', 'pay-00000005', 'PRI-crashed', 1999, 'EUR', 'processing')`);
      db.close();

      bank = await startBankForTest({ DATA_DIR: dir.dir });
      const status = await fetch(`${bank.url}/primary/charges/pay-00000005`);
      expect(await status.json()).toMatchObject({ status: "failed" });
      const retried = await charge("primary", "pay-00000005");
      expect(retried.status).toBe(201);
      expect(await retried.json()).toMatchObject({ status: "succeeded" });
    } finally {
      await bank?.close();
      bank = undefined;
      dir.cleanup();
    }
  });
});

describe("bank faults", () => {
  it("fails the first N primary calls from env, without charging, then recovers", async () => {
    bank = await startBankForTest({ PRIMARY_FAIL_FIRST: "2" });
    const one = await charge("primary", "pay-00000010");
    expect(one.status).toBe(503);
    expect(await one.json()).toMatchObject({ code: "unavailable" });
    const failed = await fetch(`${bank.url}/primary/charges/pay-00000010`);
    expect(await failed.json()).toMatchObject({ status: "failed" });
    expect((await charge("primary", "pay-00000011")).status).toBe(503);
    // A failed charge may be retried with the same payment id.
    expect((await charge("primary", "pay-00000010")).status).toBe(201);
    expect((await charge("backup", "pay-00000012")).status).toBe(201);
    expect(await charged("primary")).toHaveLength(1);
  });

  it("is driven by the control route: down, failure rate, decline, reset", async () => {
    bank = await startBankForTest();
    const set = await post(`${bank.url}/control`, {
      bank: "backup",
      down: true,
      decline_over_cents: 5000,
    });
    expect(await set.json()).toMatchObject({
      backup: { down: true, decline_over_cents: 5000 },
      primary: { down: false },
    });
    expect((await charge("backup", "pay-00000020")).status).toBe(503);
    expect((await fetch(`${bank.url}/backup/charges/pay-00000020`)).status).toBe(503);

    await post(`${bank.url}/control`, { bank: "backup", down: false });
    const declined = await charge("backup", "pay-00000021", 9999);
    expect(declined.status).toBe(402);
    expect(await declined.json()).toMatchObject({ code: "declined" });
    expect((await charge("backup", "pay-00000021", 9999)).status).toBe(402);

    await post(`${bank.url}/control`, { bank: "primary", failure_rate: 1 });
    expect((await charge("primary", "pay-00000022")).status).toBe(503);

    const reset = await post(`${bank.url}/control/reset`, {});
    expect(await reset.json()).toMatchObject({
      primary: { failure_rate: 0 },
      backup: { decline_over_cents: null },
    });
    expect((await charge("primary", "pay-00000022")).status).toBe(201);
    expect((await post(`${bank.url}/control`, { bank: "primary", failure_rate: 2 })).status).toBe(
      400,
    );
    expect((await post(`${bank.url}/control`, { bank: "central" })).status).toBe(400);
  });

  it("keeps the control route to callers on this machine", async () => {
    bank = await startBankForTest();
    // The same request as from a socket, once from loopback and once from elsewhere.
    const from = (remoteAddress: string, path: string, init?: RequestInit) =>
      bank!.app.fetch(new Request(`http://bank${path}`, init), {
        incoming: { socket: { remoteAddress } },
      });
    const down = {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bank: "primary", down: true }),
    };
    for (const path of ["/control", "/control/reset"]) {
      const refused = await from("192.0.2.9", path, down);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: "forbidden" });
    }
    expect((await from("::ffff:198.51.100.7", "/control")).status).toBe(403);
    expect((await charge("primary", "pay-00000040")).status).toBe(201);
    // Charges answer anyone; loopback, over IPv4 or IPv6, may set faults.
    expect((await from("192.0.2.9", "/primary/charges/pay-00000040")).status).toBe(200);
    expect((await from("::1", "/control", down)).status).toBe(200);
    expect((await charge("primary", "pay-00000041")).status).toBe(503);
    expect((await from("::ffff:127.0.0.1", "/control/reset", { method: "POST" })).status).toBe(200);
  });

  it("records a slow charge as processing before it completes", async () => {
    bank = await startBankForTest({ PRIMARY_LATENCY_MS: "300" });
    const pending = charge("primary", "pay-00000030");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during = await fetch(`${bank.url}/primary/charges/pay-00000030`);
    expect(await during.json()).toMatchObject({ status: "processing" });
    const concurrent = await charge("primary", "pay-00000030");
    expect(concurrent.status).toBe(409);
    expect(await concurrent.json()).toMatchObject({ code: "in_progress" });
    expect((await pending).status).toBe(201);
    const after = await fetch(`${bank.url}/primary/charges/pay-00000030`);
    expect(await after.json()).toMatchObject({ status: "succeeded" });
  });
});
