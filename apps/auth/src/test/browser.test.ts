import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SEEDED, startHarness } from "./harness.js";

const ORIGIN = "http://localhost:5000";
let h: Harness;
let secure: Harness;
beforeAll(async () => {
  [h, secure] = await Promise.all([
    startHarness(),
    startHarness({ config: { cookieSecure: true } }),
  ]);
});
afterAll(() => Promise.all([h.close(), secure.close()]));

function refreshCookie(res: Response): string | null {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("shop_refresh="));
  return cookie ?? null;
}
const cookieValue = (setCookie: string) => setCookie.split(";")[0]!;

async function browserLogin(harness = h) {
  const res = await harness.post("login", SEEDED.user1, { origin: ORIGIN });
  expect(res.status).toBe(200);
  const cookie = refreshCookie(res)!;
  return { res, cookie, body: (await res.json()) as { result: { data: Record<string, unknown> } } };
}

describe("a browser (Origin header)", () => {
  it("gets the refresh token only as an httpOnly SameSite=Strict cookie on /trpc/auth", async () => {
    const { cookie, body } = await browserLogin();
    expect(body.result.data.refreshToken).toBeNull();
    expect(body.result.data.accessToken).toEqual(expect.any(String));
    expect(cookie).toMatch(/^shop_refresh=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/trpc/auth");
    expect(cookie).toMatch(/Max-Age=60479\d/);
    expect(cookie).not.toContain("Secure");
  });

  it("gets a Secure cookie when COOKIE_SECURE is on", async () => {
    const { cookie } = await browserLogin(secure);
    expect(cookie).toContain("Secure");
  });

  it("is refused when its Origin is not allowed", async () => {
    const res = await h.post("login", SEEDED.user1, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(refreshCookie(res)).toBeNull();
  });

  it("refreshes from the cookie only with the CSRF header, and gets a rotated cookie", async () => {
    const { cookie } = await browserLogin();
    const headers = { origin: ORIGIN, cookie: cookieValue(cookie) };
    const noCsrf = await h.post("refresh", {}, headers);
    expect(noCsrf.status).toBe(403);
    const ok = await h.post("refresh", {}, { ...headers, "x-shop-csrf": "1" });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { result: { data: { refreshToken: unknown } } };
    expect(body.result.data.refreshToken).toBeNull();
    const rotated = refreshCookie(ok)!;
    expect(cookieValue(rotated)).not.toBe(cookieValue(cookie));
  });

  it("refuses a cookie refresh or logout without an Origin, and never puts the token in a body", async () => {
    const { cookie } = await browserLogin();
    const headers = { cookie: cookieValue(cookie), "x-shop-csrf": "1" };
    const res = await h.post("refresh", {}, headers);
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toMatch(/Origin/);
    expect(text).not.toContain(cookieValue(cookie).split("=")[1]!);
    expect(refreshCookie(res)).toBeNull();
    expect((await h.post("logout", {}, headers)).status).toBe(403);
    // The session is untouched: the browser itself may still refresh.
    const ok = await h.post("refresh", {}, { ...headers, origin: ORIGIN });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { result: { data: { refreshToken: unknown } } };
    expect(body.result.data.refreshToken).toBeNull();
  });

  it("refuses a cookie refresh from a foreign Origin even with the CSRF header", async () => {
    const { cookie } = await browserLogin();
    const res = await h.post(
      "refresh",
      {},
      { origin: "https://evil.example", cookie: cookieValue(cookie), "x-shop-csrf": "1" },
    );
    expect(res.status).toBe(403);
  });

  it("clears the cookie when the refresh token is dead", async () => {
    const res = await h.post(
      "refresh",
      {},
      { origin: ORIGIN, cookie: `shop_refresh=${"B".repeat(43)}`, "x-shop-csrf": "1" },
    );
    expect(res.status).toBe(401);
    expect(refreshCookie(res)).toMatch(/^shop_refresh=;.*Max-Age=0/);
  });

  it("logs out from the cookie (CSRF header required) and clears it", async () => {
    const { cookie } = await browserLogin();
    const headers = { origin: ORIGIN, cookie: cookieValue(cookie) };
    expect((await h.post("logout", {}, headers)).status).toBe(403);
    const res = await h.post("logout", {}, { ...headers, "x-shop-csrf": "1" });
    expect(res.status).toBe(200);
    expect(refreshCookie(res)).toMatch(/Max-Age=0/);
    const after = await h.post("refresh", {}, { ...headers, "x-shop-csrf": "1" });
    expect(after.status).toBe(401);
  });
});

describe("a non-browser client (no Origin)", () => {
  it("gets the refresh token in the body and no cookie", async () => {
    const res = await h.post("login", SEEDED.user1);
    expect(refreshCookie(res)).toBeNull();
    const body = (await res.json()) as { result: { data: { refreshToken: string } } };
    expect(body.result.data.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("answers no-store on every procedure", async () => {
    const res = await h.post("login", SEEDED.user1);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
