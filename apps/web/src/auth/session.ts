import { RETRY_UNAVAILABLE_MS, refreshDelayMs, tokenLifetimeMs } from "./refresh-timing.js";
import type { TabMessage, TabSync } from "./tab-sync.js";
import type { SessionGrant, SessionState, SessionUser, SignedOutReason } from "./types.js";

/** The three auth calls the session makes; the refresh token rides in the httpOnly cookie. */
export interface AuthApi {
  login(input: { username: string; password: string }): Promise<SessionGrant>;
  refresh(): Promise<SessionGrant>;
  logout(): Promise<unknown>;
}

/** Options of {@link createSession}. */
export interface SessionOptions {
  api: AuthApi;
  tabs: TabSync;
  /** True when an error means the session is over (401/403), not that a server is unreachable. */
  isAuthFailure(error: unknown): boolean;
  /** Remembers whether this browser probably holds a session cookie (see HINT_KEY). */
  hint?: { get(): boolean; set(on: boolean): void };
  now?: () => number;
}

/** The browser's session: the access token in memory, refreshed before it expires. */
export interface Session {
  getState(): SessionState;
  subscribe(listener: () => void): () => void;
  accessToken(): string | null;
  /** Restores the session after a (re)load with a silent refresh, when one may exist. */
  start(): Promise<void>;
  login(username: string, password: string): Promise<SessionUser>;
  logout(): Promise<void>;
  /**
   * Gets a new access token once for everyone waiting (in this tab and across
   * tabs). `stale` is the token a caller saw fail: if the session already
   * holds another one, that one is returned without a refresh.
   */
  refresh(stale?: string | null): Promise<string | null>;
}

/** Ends that only a new login undoes (not "unavailable": auth could not be asked). */
const ENDED = new Set<SignedOutReason | null>(["loggedOut", "elsewhere", "expired"]);

export function createSession(options: SessionOptions): Session {
  const { api, tabs, isAuthFailure } = options;
  const now = options.now ?? Date.now;
  const hint = options.hint ?? { get: () => true, set: () => {} };
  const listeners = new Set<() => void>();
  let state: SessionState = { status: "loading" };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<string | null> | null = null;
  // Bumped whenever the session ends or restarts here (a logout in any tab, a
  // login): a refresh that was already on the wire must not bring back what
  // the person just ended, nor overwrite a newer login.
  let epoch = 0;

  function setState(next: SessionState): void {
    state = next;
    for (const listener of listeners) listener();
  }

  function schedule(delay: number, stale: string): void {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(stale), delay);
  }

  function adopt(user: SessionUser, accessToken: string, expiresAt: number): void {
    hint.set(true);
    setState({ status: "signedIn", user, accessToken, expiresAt });
    schedule(refreshDelayMs(expiresAt, now(), now()), accessToken);
  }

  function grant(result: SessionGrant, via: "login" | "refresh"): string {
    // Expiry on this browser's clock: arrival time plus the token's own lifetime.
    const lifetime =
      tokenLifetimeMs(result.accessToken) ?? Date.parse(result.accessExpiresAt) - now();
    const expiresAt = now() + (Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 60_000);
    adopt(result.user, result.accessToken, expiresAt);
    tabs.post({
      type: "session",
      user: result.user,
      accessToken: result.accessToken,
      expiresAt,
      via,
    });
    return result.accessToken;
  }

  function end(reason: SignedOutReason | null, tellOtherTabs: boolean): void {
    clearTimeout(timer);
    if (reason !== "unavailable") hint.set(false);
    setState({ status: "signedOut", reason });
    if (tellOtherTabs) tabs.post({ type: "signedOut" });
  }

  tabs.onMessage((message: TabMessage) => {
    if (message.type === "session") {
      // A session that ended (logged out here or elsewhere, refused) comes back only
      // by a login: a renewal posted by a tab that had not heard of the end yet is stale.
      if (state.status === "signedOut" && ENDED.has(state.reason) && message.via !== "login") {
        return;
      }
      const current = state.status === "signedIn" ? state.expiresAt : 0;
      if (message.expiresAt >= current) {
        adopt(message.user, message.accessToken, message.expiresAt);
      }
    } else {
      epoch++;
      if (state.status !== "signedOut") end("elsewhere", false);
    }
  });

  async function redeem(stale: string | null | undefined): Promise<string | null> {
    // Another tab may have refreshed while this one waited for the lock.
    if (state.status === "signedIn" && state.accessToken !== stale) return state.accessToken;
    const started = epoch;
    try {
      const result = await api.refresh();
      if (epoch !== started) return null;
      return grant(result, "refresh");
    } catch (error) {
      if (epoch !== started) return null;
      if (isAuthFailure(error)) {
        end("expired", true);
        return null;
      }
      // Unreachable, not refused: keep the session while its token still works.
      if (state.status === "signedIn" && state.expiresAt - now() > RETRY_UNAVAILABLE_MS) {
        schedule(RETRY_UNAVAILABLE_MS, state.accessToken);
        return state.accessToken === stale ? null : state.accessToken;
      }
      end("unavailable", false);
      return null;
    }
  }

  function refresh(stale?: string | null): Promise<string | null> {
    inFlight ??= tabs
      .exclusive(() => redeem(stale))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    accessToken: () => (state.status === "signedIn" ? state.accessToken : null),
    async start() {
      if (!hint.get()) {
        setState({ status: "signedOut", reason: null });
        return;
      }
      await refresh(null);
    },
    async login(username, password) {
      const result = await api.login({ username, password });
      epoch++;
      grant(result, "login");
      return result.user;
    },
    async logout() {
      epoch++;
      clearTimeout(timer);
      try {
        await api.logout();
      } catch {
        // The cookie may already be gone; this tab forgets the session either way.
      }
      end("loggedOut", true);
    },
    refresh,
  };
}
