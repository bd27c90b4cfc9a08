import { AUDIENCE } from "@shop/auth-kit";
import { createTestIssuer, forgedTokens, misissuedTokens } from "@shop/auth-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type Harness, SEEDED, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function rawCall(path: string, headers: Record<string, string>) {
  return fetch(`${h.users.url}${path}`, { headers });
}

describe("public API token checks", () => {
  it("accepts a valid access token", async () => {
    await expect(h.user1.me.query()).resolves.toMatchObject({ id: SEEDED.user1 });
  });

  it("refuses a call without a token with 401 and WWW-Authenticate", async () => {
    const response = await rawCall("/trpc/users/me", {});
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(await codeOf(h.client().me.query())).toBe("UNAUTHORIZED");
  });

  it("refuses every forged token (alg none, HS256 with the public key, foreign key, jwk header, tampered payload, ...)", async () => {
    const valid = await h.tokenFor(SEEDED.user1, "user1");
    const attacks = await forgedTokens(valid, h.issuer.publicJwk);
    expect(attacks.length).toBeGreaterThan(10);
    for (const attack of attacks) {
      expect(await codeOf(h.client(attack.token).me.query()), attack.name).toBe("UNAUTHORIZED");
      expect(await codeOf(h.client(attack.token).list.query()), attack.name).toBe("UNAUTHORIZED");
    }
  });

  it("refuses every mis-issued token (expired, not yet valid, wrong iss/aud/typ, ...)", async () => {
    const attacks = await misissuedTokens((o) =>
      h.issuer.mintAccess({ sub: String(SEEDED.admin), username: "admin", role: "admin", ...o }),
    );
    for (const attack of attacks) {
      expect(await codeOf(h.client(attack.token).list.query()), attack.name).toBe("UNAUTHORIZED");
    }
  });

  it("refuses a token signed by another issuer's key", async () => {
    const other = await createTestIssuer(h.issuer.issuer);
    try {
      const token = await other.mintAccess({ sub: "1", role: "admin", kid: h.issuer.kid });
      expect(await codeOf(h.client(token).me.query())).toBe("UNAUTHORIZED");
    } finally {
      await other.close();
    }
  });

  it("refuses auth's service token on the public API", async () => {
    const service = await h.issuer.mintService();
    expect(await codeOf(h.client(service).me.query())).toBe("UNAUTHORIZED");
    const aimed = await h.issuer.mintService({ aud: AUDIENCE.users, sub: "1" });
    expect(await codeOf(h.client(aimed).list.query())).toBe("UNAUTHORIZED");
  });

  it("reads the token only from the Authorization header, never a query string or cookie", async () => {
    const token = await h.tokenFor(SEEDED.admin, "admin", { role: "admin" });
    expect((await rawCall(`/trpc/users/me?access_token=${token}`, {})).status).toBe(401);
    expect((await rawCall("/trpc/users/me", { cookie: `access_token=${token}` })).status).toBe(401);
  });
});

describe("identity headers", () => {
  it("x-user-id / x-user-role change nothing", async () => {
    const spoof = {
      "x-user-id": String(SEEDED.admin),
      "x-user-role": "admin",
      "x-user-name": "admin",
    };
    expect(await codeOf(h.client(undefined, spoof).me.query())).toBe("UNAUTHORIZED");
    const user1Token = await h.tokenFor(SEEDED.user1, "user1");
    const spoofed = h.client(user1Token, spoof);
    await expect(spoofed.me.query()).resolves.toMatchObject({ id: SEEDED.user1, role: "user" });
    expect(await codeOf(spoofed.list.query())).toBe("FORBIDDEN");
    expect(await codeOf(spoofed.byId.query({ id: SEEDED.admin }))).toBe("FORBIDDEN");
    const internal = await rawCall("/internal/trpc/accountStatus?input=%7B%22userId%22%3A1%7D", {
      ...spoof,
      "x-service": "auth",
    });
    expect(internal.status).toBe(401);
  });
});

describe("internal API token checks", () => {
  it("accepts auth's service token", async () => {
    const internal = await h.internal();
    await expect(internal.accountStatus.query({ userId: SEEDED.admin })).resolves.toMatchObject({
      role: "admin",
    });
  });

  it("refuses a call without a token", async () => {
    const internal = await h.internal("");
    expect(await codeOf(internal.accountStatus.query({ userId: 1 }))).toBe("UNAUTHORIZED");
    expect(
      (await rawCall("/internal/trpc/accountStatus?input=%7B%22userId%22%3A1%7D", {})).status,
    ).toBe(401);
  });

  it("refuses a user's access token, even an admin's aimed at the internal audience", async () => {
    const access = await h.tokenFor(SEEDED.admin, "admin", { role: "admin" });
    const aimed = await h.tokenFor(SEEDED.admin, "admin", {
      role: "admin",
      aud: AUDIENCE.usersInternal,
    });
    for (const token of [access, aimed]) {
      const internal = await h.internal(token);
      expect(await codeOf(internal.accountStatus.query({ userId: 1 }))).toBe("UNAUTHORIZED");
      expect(
        await codeOf(
          internal.verifyCredentials.mutate({ username: "admin", password: "admin123" }),
        ),
      ).toBe("UNAUTHORIZED");
    }
  });

  it("refuses a service token whose sub is not auth", async () => {
    for (const sub of ["orders", "gateway", "Auth", "1"]) {
      const internal = await h.internal(await h.issuer.mintService({ sub }));
      expect(await codeOf(internal.accountStatus.query({ userId: 1 })), sub).toBe("UNAUTHORIZED");
    }
  });

  it("refuses a service token for another audience, expired, or forged", async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = [
      await h.issuer.mintService({ aud: AUDIENCE.users }),
      await h.issuer.mintService({ iat: now - 300, exp: now - 200 }),
      // Valid for 15 minutes, but service tokens may be at most 60 s old.
      await h.issuer.mintService({ iat: now - 120, exp: now + 600 }),
      await h.issuer.mintService({ iss: "https://evil.example" }),
      await h.issuer.mintService({ typ: "at+jwt" }),
      ...(await forgedTokens(await h.issuer.mintService(), h.issuer.publicJwk)).map((a) => a.token),
    ];
    for (const [i, token] of bad.entries()) {
      const internal = await h.internal(token);
      expect(await codeOf(internal.accountStatus.query({ userId: 1 })), String(i)).toBe(
        "UNAUTHORIZED",
      );
    }
  });

  it("is not reachable under the public prefix, nor the public API under the internal one", async () => {
    const service = await h.issuer.mintService();
    const viaPublic = await rawCall("/trpc/users/accountStatus?input=%7B%22userId%22%3A1%7D", {
      authorization: `Bearer ${service}`,
    });
    expect(viaPublic.status).toBe(404);
    const viaInternal = await rawCall("/internal/trpc/me", { authorization: `Bearer ${service}` });
    expect(viaInternal.status).toBe(404);
  });
});
