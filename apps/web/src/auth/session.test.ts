import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { refreshDelayMs, tokenLifetimeMs } from "./refresh-timing.js";
import { type AuthApi, createSession } from "./session.js";
import type { TabMessage, TabSync } from "./tab-sync.js";
import type { SessionGrant } from "./types.js";

const user = {
  id: 7,
  username: "ada",
  email: null,
  role: "user" as const,
  createdAt: "2026-01-01T00:00:00.000Z",
};

/** A JWT-shaped token whose payload carries iat/exp (signature irrelevant here). */
function jwt(iatS: number, expS: number): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "EdDSA" })}.${encode({ iat: iatS, exp: expS, sub: "7" })}.sig`;
}

function grant(token: string, lifetimeMs = 15 * 60_000): SessionGrant {
  return {
    accessToken: token,
    accessExpiresAt: new Date(Date.now() + lifetimeMs).toISOString(),
    refreshToken: null,
    refreshExpiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    tokenType: "Bearer",
    user,
  };
}

class AuthRefused extends Error {}

/** Tabs of one browser: what one posts, the others receive. */
function fakeTabs() {
  const posted: TabMessage[] = [];
  let listener: ((message: TabMessage) => void) | undefined;
  const tabs: TabSync = {
    post: (message) => posted.push(message),
    onMessage: (l) => {
      listener = l;
    },
    exclusive: (task) => task(),
  };
  return { tabs, posted, receive: (message: TabMessage) => listener?.(message) };
}

function setUp(options: { hint?: boolean; refresh?: AuthApi["refresh"] } = {}) {
  let issued = 0;
  const api = {
    login: vi.fn(async () => grant("login-token")),
    refresh: vi.fn(options.refresh ?? (async () => grant(`refreshed-${++issued}`))),
    logout: vi.fn(async () => ({ message: "bye" })),
  };
  let hint = options.hint ?? true;
  const { tabs, posted, receive } = fakeTabs();
  const session = createSession({
    api,
    tabs,
    isAuthFailure: (error) => error instanceof AuthRefused,
    hint: { get: () => hint, set: (on) => (hint = on) },
  });
  return { api, session, posted, receive, hint: () => hint };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("session", () => {
  it("does not try a refresh on a first visit, when no session can exist", async () => {
    const { api, session } = setUp({ hint: false });
    await session.start();
    expect(session.getState()).toEqual({ status: "signedOut", reason: null });
    expect(api.refresh).not.toHaveBeenCalled();
  });

  it("restores the session after a reload with one silent refresh", async () => {
    const { api, session } = setUp();
    await session.start();
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(session.accessToken()).toBe("refreshed-1");
    expect(session.getState()).toMatchObject({ status: "signedIn", user });
  });

  it("refreshes once for every caller that asks at the same time", async () => {
    const { api, session } = setUp();
    await session.start();
    const results = await Promise.all([
      session.refresh("refreshed-1"),
      session.refresh("refreshed-1"),
      session.refresh("refreshed-1"),
    ]);
    expect(results).toEqual(["refreshed-2", "refreshed-2", "refreshed-2"]);
    expect(api.refresh).toHaveBeenCalledTimes(2);
  });

  it("does not refresh for a stale token when it already holds a newer one", async () => {
    const { api, session } = setUp();
    await session.start();
    expect(await session.refresh("some-older-token")).toBe("refreshed-1");
    expect(api.refresh).toHaveBeenCalledTimes(1);
  });

  it("renews the token about a minute before it expires, and tells the other tabs", async () => {
    const { api, session, posted } = setUp();
    await session.login("ada", "pw");
    expect(api.refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(14 * 60_000 - 1_000);
    expect(api.refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(session.accessToken()).toBe("refreshed-1");
    expect(posted.map((m) => m.type)).toEqual(["session", "session"]);
  });

  it("adopts a token another tab refreshed, and skips its own refresh", async () => {
    const { api, session, receive } = setUp();
    await session.login("ada", "pw");
    receive({
      type: "session",
      via: "refresh",
      user,
      accessToken: "from-other-tab",
      expiresAt: Date.now() + 15 * 60_000 + 5_000,
    });
    expect(session.accessToken()).toBe("from-other-tab");
    expect(await session.refresh("login-token")).toBe("from-other-tab");
    expect(api.refresh).not.toHaveBeenCalled();
  });

  it("ends when another tab logs out", async () => {
    const { session, receive } = setUp();
    await session.login("ada", "pw");
    receive({ type: "signedOut" });
    expect(session.getState()).toEqual({ status: "signedOut", reason: "elsewhere" });
  });

  it("ends with the reason when the refresh is refused, and tells the other tabs", async () => {
    const { session, posted, hint } = setUp({
      refresh: async () => {
        throw new AuthRefused("revoked");
      },
    });
    await session.start();
    expect(session.getState()).toEqual({ status: "signedOut", reason: "expired" });
    expect(posted).toEqual([{ type: "signedOut" }]);
    expect(hint()).toBe(false);
  });

  it("keeps a still-valid session when auth is unreachable, and tries again", async () => {
    let calls = 0;
    const { api, session } = setUp({
      refresh: async () => {
        calls++;
        if (calls === 2) throw new TypeError("fetch failed");
        return grant(`t${calls}`);
      },
    });
    await session.start();
    await vi.advanceTimersByTimeAsync(14 * 60_000 + 1_000);
    expect(api.refresh).toHaveBeenCalledTimes(2);
    expect(session.accessToken()).toBe("t1");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(api.refresh).toHaveBeenCalledTimes(3);
    expect(session.accessToken()).toBe("t3");
  });

  it("logs out: the server forgets the session, this tab and the others too", async () => {
    const { api, session, posted } = setUp();
    await session.login("ada", "pw");
    await session.logout();
    expect(api.logout).toHaveBeenCalledTimes(1);
    expect(session.getState()).toEqual({ status: "signedOut", reason: "loggedOut" });
    expect(posted.at(-1)).toEqual({ type: "signedOut" });
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    expect(api.refresh).not.toHaveBeenCalled();
  });
});

describe("a refresh still running when the session ends", () => {
  function deferredRefresh() {
    let resolve: (value: SessionGrant) => void = () => {};
    const refresh = vi.fn(
      () =>
        new Promise<SessionGrant>((r) => {
          resolve = r;
        }),
    );
    return { refresh, answer: (token: string) => resolve(grant(token)) };
  }

  it("does not sign this tab back in after a logout", async () => {
    const pending = deferredRefresh();
    const { session, posted } = setUp({ refresh: pending.refresh });
    await session.login("ada", "pw");
    const refreshing = session.refresh("login-token");
    await session.logout();
    pending.answer("late-token");
    expect(await refreshing).toBeNull();
    expect(session.getState()).toEqual({ status: "signedOut", reason: "loggedOut" });
    expect(posted.at(-1)).toEqual({ type: "signedOut" });
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    expect(pending.refresh).toHaveBeenCalledTimes(1);
  });

  it("ignores another tab's refresh that crossed its logout, but adopts a new login", async () => {
    const { session, receive } = setUp();
    await session.login("ada", "pw");
    await session.logout();
    // Posted by a tab whose refresh finished just before it heard of the logout.
    const late = { type: "session", user, expiresAt: Date.now() + 15 * 60_000 } as const;
    receive({ ...late, accessToken: "late-token", via: "refresh" });
    expect(session.getState()).toEqual({ status: "signedOut", reason: "loggedOut" });
    receive({ ...late, accessToken: "new-login", via: "login" });
    expect(session.accessToken()).toBe("new-login");
  });

  it("does not sign this tab (or the others) back in after another tab logged out", async () => {
    const pending = deferredRefresh();
    const { session, posted, receive } = setUp({ refresh: pending.refresh });
    const starting = session.start();
    receive({ type: "signedOut" });
    pending.answer("late-token");
    await starting;
    expect(session.getState()).toMatchObject({ status: "signedOut" });
    expect(posted.filter((m) => m.type === "session")).toEqual([]);
  });
});

describe("with the browser's clock far off", () => {
  it("schedules from the token's own lifetime, so it does not refresh in a loop", async () => {
    // The server's clock is 20 minutes behind: every exp looks past to the browser.
    const serverNowS = Math.floor(Date.now() / 1000) - 20 * 60;
    const api = {
      login: vi.fn(async () => ({
        ...grant("unused"),
        accessToken: jwt(serverNowS, serverNowS + 600),
        accessExpiresAt: new Date((serverNowS + 600) * 1000).toISOString(),
      })),
      refresh: vi.fn(async () => grant("refreshed")),
      logout: vi.fn(async () => ({})),
    };
    const session = createSession({ api, tabs: fakeTabs().tabs, isAuthFailure: () => false });
    await session.login("ada", "pw");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
  });

  it("reads a token's lifetime, and nothing from a token it cannot read", () => {
    expect(tokenLifetimeMs(jwt(1_000, 1_900))).toBe(900_000);
    expect(tokenLifetimeMs("not-a-jwt")).toBeNull();
    expect(tokenLifetimeMs(jwt(1_000, 900))).toBeNull();
  });
});

describe("refreshDelayMs", () => {
  it("is a minute before expiry for a normal token, and a quarter of a short one's life", () => {
    expect(refreshDelayMs(900_000, 0, 0)).toBe(840_000);
    expect(refreshDelayMs(10_000, 0, 0)).toBe(7_500);
    expect(refreshDelayMs(10_000, 0, 9_000)).toBe(0);
  });
});
