import { beforeAll, describe, expect, it } from "vitest";
import type { AuthDb } from "../db/index.js";
import { auditEvents } from "../db/schema.js";
import { useTempAuthDatabase } from "../test/temp-database.js";
import { deleteAuditEventsBefore, listAudit, recordAudit } from "./audit.js";

const database = useTempAuthDatabase("shop-auth-audit-");
let db: AuthDb;
beforeAll(() => {
  db = database();
});

const DAY = 24 * 3600 * 1000;

describe("audit retention", () => {
  it("deletes the events past the cutoff, oldest first, in batches, and keeps the rest", async () => {
    const now = Date.now();
    // 2,500 old events (more than two batches), then 10 recent ones.
    const old = Array.from({ length: 2_500 }, (_, i) => ({
      kind: "login_failed" as const,
      username: `old${i}`,
      createdAt: now - 400 * DAY + i,
    }));
    for (let i = 0; i < old.length; i += 500) {
      await db.insert(auditEvents).values(old.slice(i, i + 500));
    }
    for (let i = 0; i < 10; i++) {
      await recordAudit(db, { kind: "login_succeeded", username: `new${i}`, now: now - i });
    }
    expect(await deleteAuditEventsBefore(db, now - 365 * DAY)).toBe(2_500);
    const left = await listAudit(db, { limit: 100 });
    expect(left.events.map((e) => e.username).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `new${i}`).sort(),
    );
    expect(await deleteAuditEventsBefore(db, now - 365 * DAY)).toBe(0);
  });

  it("records details as JSON, in a batch or alone", async () => {
    await recordAudit(db, { kind: "logout", username: "x", details: { sessionId: 7, all: false } });
    const [event] = (await listAudit(db, { limit: 1 })).events;
    expect(event).toMatchObject({ kind: "logout", details: { sessionId: 7, all: false } });
  });
});
