import { tempDataDir } from "@shop/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, errorOf, type Harness, SEEDED, startHarness } from "../test/harness.js";

// A first block of a minute rather than a second, so no assertion races the clock.
const throttle = {
  accountLimit: 5,
  addressLimit: 20,
  windowS: 900,
  baseBlockS: 60,
  maxBlockS: 900,
};
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { throttle } });
});
afterAll(() => h.close());

// Auth trusts X-Forwarded-For from loopback (the gateway), so each test picks its own address.
const from = (address: string) => h.client({ "x-forwarded-for": address });
const wrong = (address: string, username = "user1") =>
  from(address).login.mutate({ username, password: "wrong-password" });

async function count(kind: string, username: string) {
  const { rows } = await h.sql.execute({
    sql: "select count(*) as n from audit_events where kind = ? and username = ?",
    args: [kind, username],
  });
  return Number(rows[0]!.n);
}

describe("login throttling", () => {
  it("blocks an account after 5 failures, even the right password, with 429 and Retry-After", async () => {
    const admin = await h.usersAdmin();
    await admin.create.mutate({ username: "target", password: "target-password" });
    for (let i = 0; i < 5; i++)
      expect(await codeOf(wrong(`10.0.1.${i}`, "target"))).toBe("UNAUTHORIZED");
    const res = await h.post(
      "login",
      { username: "target", password: "target-password" },
      { "x-forwarded-for": "10.0.1.99" },
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(50);
    const body = (await res.json()) as { error: { data: { retryAfterSeconds: number } } };
    expect(body.error.data.retryAfterSeconds).toBeGreaterThan(0);
    expect(await count("login_failed", "target")).toBe(5);
    expect(await count("login_throttled", "target")).toBe(1);
    // Hammering the blocked account adds no audit rows: one per block is enough.
    for (let i = 0; i < 3; i++)
      expect(await codeOf(wrong("10.0.1.98", "target"))).toBe("TOO_MANY_REQUESTS");
    expect(await count("login_throttled", "target")).toBe(1);
  });

  it("counts per account case-insensitively", async () => {
    const admin = await h.usersAdmin();
    await admin.create.mutate({ username: "casey", password: "casey-password" });
    for (const name of ["casey", "CASEY", "Casey", "cAsey", "caseY"]) {
      expect(await codeOf(wrong("10.0.2.1", name))).toBe("UNAUTHORIZED");
    }
    expect(await codeOf(wrong("10.0.2.2", "CaSeY"))).toBe("TOO_MANY_REQUESTS");
  });

  it("blocks an address after 20 failures across accounts; other addresses go on", async () => {
    for (let i = 0; i < 20; i++) {
      expect(await codeOf(wrong("10.0.3.1", `sprayed-${i}`))).toBe("UNAUTHORIZED");
    }
    const blocked = await errorOf(from("10.0.3.1").login.mutate(SEEDED.maxim));
    expect(blocked.data?.code).toBe("TOO_MANY_REQUESTS");
    await expect(from("10.0.3.2").login.mutate(SEEDED.maxim)).resolves.toHaveProperty(
      "accessToken",
    );
  });

  it("clears the account's counter on success", async () => {
    const admin = await h.usersAdmin();
    await admin.create.mutate({ username: "forgetful", password: "forgetful-pw" });
    const user = { username: "forgetful", password: "forgetful-pw" };
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) await codeOf(wrong("10.0.4.1", "forgetful"));
      await expect(from("10.0.4.1").login.mutate(user)).resolves.toHaveProperty("accessToken");
    }
  });

  it("lets at most 5 of a parallel burst of guesses reach the password check", async () => {
    const admin = await h.usersAdmin();
    await admin.create.mutate({ username: "burst", password: "burst-password" });
    const codes = await Promise.all(
      Array.from({ length: 15 }, (_, i) => codeOf(wrong(`10.0.5.${i}`, "burst"))),
    );
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(5);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(10);
    expect(await count("login_failed", "burst")).toBe(5);
  });

  it("ignores X-Forwarded-For from an untrusted peer", async () => {
    const strict = await startHarness({
      config: { throttle, trustedProxies: new Set(["10.9.9.9"]) },
    });
    try {
      for (let i = 0; i < 20; i++) {
        const client = strict.client({ "x-forwarded-for": `10.0.6.${i}` });
        await codeOf(client.login.mutate({ username: `spoof-${i}`, password: "x" }));
      }
      // Every attempt counted against the real peer (127.0.0.1), whatever the header said.
      const blocked = strict.client({ "x-forwarded-for": "10.0.6.200" }).login.mutate(SEEDED.user1);
      expect(await codeOf(blocked)).toBe("TOO_MANY_REQUESTS");
    } finally {
      await strict.close();
    }
  });

  it("keeps its counters across a restart", async () => {
    const data = tempDataDir("shop-auth-restart-");
    try {
      const first = await startHarness({ dataDir: data.dir, config: { throttle } });
      for (let i = 0; i < 5; i++)
        await codeOf(first.login({ username: "user1", password: "nope" }));
      await first.close();
      const second = await startHarness({ dataDir: data.dir, config: { throttle } });
      try {
        expect(await codeOf(second.login(SEEDED.user1))).toBe("TOO_MANY_REQUESTS");
      } finally {
        await second.close();
      }
    } finally {
      data.cleanup();
    }
  });
});
