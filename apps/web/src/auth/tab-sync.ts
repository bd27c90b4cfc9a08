import type { SessionUser } from "./types.js";

/**
 * What one tab tells the others of the same origin. A session says how it
 * was got: a login starts a new one; a refresh only renews the current one.
 */
export type TabMessage =
  | {
      type: "session";
      user: SessionUser;
      accessToken: string;
      expiresAt: number;
      via: "login" | "refresh";
    }
  | { type: "signedOut" };

const CHANNEL = "shop-session";
const LOCK = "shop-session-refresh";

/**
 * The tabs of one browser share one refresh cookie, so only one may redeem it
 * at a time (two redemptions of the same token look like theft and revoke the
 * session). A Web Lock serialises refreshes across tabs; a BroadcastChannel
 * hands the new access token to the others, so they skip their own refresh.
 */
export interface TabSync {
  post(message: TabMessage): void;
  onMessage(listener: (message: TabMessage) => void): void;
  /** Runs `task` while holding the cross-tab refresh lock. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

export function createTabSync(): TabSync {
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
  return {
    post: (message) => channel?.postMessage(message),
    onMessage(listener) {
      channel?.addEventListener("message", (event: MessageEvent<TabMessage>) =>
        listener(event.data),
      );
    },
    exclusive<T>(task: () => Promise<T>): Promise<T> {
      // Web Locks need a secure context (https or localhost). Without them the
      // in-tab single flight still holds, and auth returns the same successor
      // to a second redemption within a few seconds, as a backstop.
      if (typeof navigator !== "undefined" && navigator.locks) {
        return navigator.locks.request(LOCK, task) as Promise<T>;
      }
      return task();
    },
  };
}
