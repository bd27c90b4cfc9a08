import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type Harness, SEEDED, startHarness } from "../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function denials(on: Harness, userId: number) {
  const { rows } = await on.sql.execute({
    sql: "select count(*) as n from audit_events where kind = 'authorization_denied' and user_id = ?",
    args: [userId],
  });
  return Number(rows[0]!.n);
}

const refuse = (on: Harness, accessToken: string) =>
  codeOf(on.as(accessToken).audit.query({ limit: 1 }));

describe("authorization_denied audit", () => {
  it("refuses every call, and records one per user, path and reason in a window", async () => {
    const { accessToken } = await h.login(SEEDED.user1);
    const parallel = await Promise.all(Array.from({ length: 25 }, () => refuse(h, accessToken)));
    const sequential: Array<string | undefined> = [];
    for (let i = 0; i < 25; i++) sequential.push(await refuse(h, accessToken));
    expect(new Set([...parallel, ...sequential])).toEqual(new Set(["FORBIDDEN"]));
    expect(await denials(h, SEEDED.user1.id)).toBe(1);

    // Another user's refusal is its own event.
    const maxim = await h.login(SEEDED.maxim);
    expect(await refuse(h, maxim.accessToken)).toBe("FORBIDDEN");
    expect(await denials(h, SEEDED.maxim.id)).toBe(1);
    expect(await denials(h, SEEDED.user1.id)).toBe(1);
  });

  it("records the same refusal again once the window has passed", async () => {
    // A short window, so the test can see the next one open.
    const short = await startHarness({ config: { deniedAuditWindowS: 1 } });
    try {
      const { accessToken } = await short.login(SEEDED.user1);
      for (let i = 0; i < 5; i++) expect(await refuse(short, accessToken)).toBe("FORBIDDEN");
      expect(await denials(short, SEEDED.user1.id)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      for (let i = 0; i < 5; i++) expect(await refuse(short, accessToken)).toBe("FORBIDDEN");
      expect(await denials(short, SEEDED.user1.id)).toBe(2);
    } finally {
      await short.close();
    }
  });
});
