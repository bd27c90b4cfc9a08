import { describe, expect, it, vi } from "vitest";
import { clearOnSessionSwitch } from "./clear-on-switch.js";
import type { SessionState } from "./types.js";

function fakeSession() {
  let state: SessionState = { status: "loading" };
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: SessionState) {
      state = next;
      for (const listener of listeners) listener();
    },
  };
}

const person = (id: number, username: string) => ({
  status: "signedIn" as const,
  user: { id, username, email: null, role: "user" as const, createdAt: "2026-01-01T00:00:00Z" },
  accessToken: `token-${id}`,
  expiresAt: 0,
});

describe("clearOnSessionSwitch", () => {
  it("keeps the cache across a token renewal of the same person", () => {
    const session = fakeSession();
    const clear = vi.fn();
    clearOnSessionSwitch(session, clear);
    session.set(person(1, "alice"));
    session.set({ ...person(1, "alice"), accessToken: "renewed" });
    expect(clear).not.toHaveBeenCalled();
  });

  it("empties the cache when the session ends", () => {
    const session = fakeSession();
    const clear = vi.fn();
    clearOnSessionSwitch(session, clear);
    session.set(person(1, "alice"));
    session.set({ status: "signedOut", reason: "loggedOut" });
    expect(clear).toHaveBeenCalledTimes(1);
  });

  it("empties the cache when another tab hands over someone else's session", () => {
    const session = fakeSession();
    const clear = vi.fn();
    clearOnSessionSwitch(session, clear);
    session.set(person(1, "alice"));
    session.set(person(2, "bob"));
    expect(clear).toHaveBeenCalledTimes(1);
  });
});
