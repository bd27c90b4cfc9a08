import { beforeAll, describe, expect, it } from "vitest";
import type { AuthDb } from "../../db/index.js";
import { useTempAuthDatabase } from "../../test/temp-database.js";
import {
  hashRefreshToken,
  newRefreshToken,
  openSuccessor,
  sealSuccessor,
} from "./refresh-token.js";
import { findRefreshToken, rotateRefreshToken, startSession } from "./session-store.js";

const database = useTempAuthDatabase("shop-auth-sessions-");
let db: AuthDb;
beforeAll(() => {
  db = database();
});

describe("refresh token primitives", () => {
  it("are 256 random bits, and only their hash is comparable", () => {
    const token = newRefreshToken();
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(newRefreshToken()).not.toBe(token);
    expect(hashRefreshToken(token)).not.toContain(token);
    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token));
  });

  it("seal the successor so only the parent's holder can open it", () => {
    const parent = newRefreshToken();
    const successor = newRefreshToken();
    const sealed = sealSuccessor(parent, successor);
    expect(sealed).not.toContain(successor);
    expect(openSuccessor(parent, sealed)).toBe(successor);
    expect(openSuccessor(newRefreshToken(), sealed)).toBeNull();
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith("A") ? "B" : "A"}A`;
    expect(openSuccessor(parent, tampered)).toBeNull();
    expect(openSuccessor(parent, "short")).toBeNull();
  });
});

describe("rotateRefreshToken", () => {
  it("lets exactly one of two redemptions of the same snapshot win", async () => {
    const session = await startSession(db, {
      userId: 7,
      passwordStamp: 1,
      sessionStamp: 0,
      userAgent: null,
      ipAddress: "127.0.0.1",
      accessJti: "jti-first-0001",
      now: Date.now(),
      ttlMs: 60_000,
    });
    const snapshot = (await findRefreshToken(db, session.token))!;
    const results = await Promise.all([
      rotateRefreshToken(db, snapshot, session.token, {
        accessJti: "jti-a-00001",
        now: Date.now(),
      }),
      rotateRefreshToken(db, snapshot, session.token, {
        accessJti: "jti-b-00001",
        now: Date.now(),
      }),
    ]);
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const after = (await findRefreshToken(db, session.token))!;
    expect(after.usedAt).not.toBeNull();
    expect(after.successorId).toBe(winners[0]!.tokenId);
    expect(openSuccessor(session.token, after.successorSealed!)).toBe(winners[0]!.token);
  });
});
