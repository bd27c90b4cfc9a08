import { beforeAll, describe, expect, it } from "vitest";
import type { AuthDb } from "../db/index.js";
import { useTempAuthDatabase } from "../test/temp-database.js";
import { LoginThrottle } from "./throttle.js";

const database = useTempAuthDatabase("shop-auth-throttle-");
let db: AuthDb;
beforeAll(() => {
  db = database();
});

const config = { accountLimit: 3, addressLimit: 10, windowS: 900, baseBlockS: 1, maxBlockS: 900 };

function clocked(start = 1_000_000_000) {
  const clock = { now: start };
  return { clock, throttle: new LoginThrottle(db, config, () => clock.now) };
}

async function retryAfter(promise: Promise<unknown>): Promise<number | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return (error as { retryAfterSeconds: number }).retryAfterSeconds;
  }
}

describe("LoginThrottle", () => {
  it("blocks from the limit on, doubling from 1 s and capped", async () => {
    const { clock, throttle } = clocked();
    const key = [{ key: "account:doubling", limit: 3 }];
    await throttle.charge(key);
    await throttle.charge(key);
    await throttle.charge(key); // the 3rd attempt is allowed, and blocks the next for 1 s
    expect(await retryAfter(throttle.charge(key))).toBe(1);
    const waits: number[] = [];
    let wait = 1;
    for (let i = 0; i < 14; i++) {
      clock.now += wait * 1000; // sit out the block, then fail again
      await throttle.charge(key);
      wait = (await retryAfter(throttle.charge(key)))!;
      waits.push(wait);
    }
    expect(waits.slice(0, 5)).toEqual([2, 4, 8, 16, 32]);
    expect(Math.max(...waits)).toBe(900);
    // Still capped, not reset, after sitting out a full 15-minute block.
    expect(waits.slice(-2)).toEqual([900, 900]);
  });

  it("starts over once the window has passed since the last failure", async () => {
    const { clock, throttle } = clocked();
    const key = [{ key: "account:window", limit: 3 }];
    await throttle.charge(key);
    await throttle.charge(key);
    clock.now += 901_000;
    await throttle.charge(key);
    await throttle.charge(key);
    expect(await retryAfter(throttle.charge(key))).toBeNull();
  });

  it("refunds and clears", async () => {
    const { throttle } = clocked();
    const key = [{ key: "address:refund", limit: 3 }];
    await throttle.charge(key);
    await throttle.charge(key);
    await throttle.refund("address:refund");
    await throttle.refund("address:refund");
    await throttle.charge(key);
    await throttle.charge(key);
    expect(await retryAfter(throttle.charge(key))).toBeNull();
    await throttle.clear("address:refund");
    const rows = await db.query.loginThrottles.findMany();
    expect(rows.some((r) => r.key === "address:refund")).toBe(false);
  });

  it("lets no more than the limit through a parallel burst", async () => {
    const { throttle } = clocked();
    const key = [{ key: "account:burst", limit: 3 }];
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => throttle.charge(key)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
  });
});
