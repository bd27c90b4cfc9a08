import { type AppRouter, serviceLink } from "@shop/api";
import { createTRPCClient, TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { retryOnUnauthorizedLink } from "../auth/retry-link.js";
import { type AuthApi, createSession, type Session } from "../auth/session.js";
import { createTabSync } from "../auth/tab-sync.js";
import { timedFetch } from "./timed-fetch.js";

/** React bindings: `useTRPC()` gives typed query and mutation options for every procedure. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Requests that outlive this are abandoned, so a hung server never hangs the page. */
const REQUEST_TIMEOUT_MS = 20_000;
const fetchWithDeadline = timedFetch(REQUEST_TIMEOUT_MS);

/**
 * The session's own client: no bearer token and no 401 retry (it is what
 * retries use), and the CSRF header auth demands before it reads the cookie.
 * The page and the API share one origin, so the URL is relative.
 */
function createAuthApi(): AuthApi {
  const clientWith = (fetcher: typeof fetch) =>
    createTRPCClient<AppRouter>({
      links: [serviceLink({ url: "", fetch: fetcher, headers: () => ({ "x-shop-csrf": "1" }) })],
    });
  const client = clientWith(fetchWithDeadline);
  // A logout outlives the page: leaving it at once (a link, a reload) must not
  // cancel the request and leave the session alive behind the person's back.
  const leaving = clientWith(
    timedFetch(REQUEST_TIMEOUT_MS, (input, init) => fetch(input, { ...init, keepalive: true })),
  );
  return {
    login: (input) => client.auth.login.mutate(input),
    refresh: () => client.auth.refresh.mutate({}),
    logout: () => leaving.auth.logout.mutate({}),
  };
}

function isAuthFailure(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
  return status === 400 || status === 401 || status === 403;
}

/**
 * Set while this browser probably holds a refresh cookie, so a first visit
 * does not fire a refresh that can only fail. A flag, not a token: the
 * cookie itself is httpOnly and never readable here.
 */
const HINT_KEY = "shop.session-hint";
const sessionHint = {
  get: () => {
    try {
      return localStorage.getItem(HINT_KEY) === "1";
    } catch {
      return true;
    }
  },
  set: (on: boolean) => {
    try {
      if (on) localStorage.setItem(HINT_KEY, "1");
      else localStorage.removeItem(HINT_KEY);
    } catch {
      // Without storage, every load tries a silent refresh: still correct.
    }
  },
};

/** Everything the app needs to talk to the API, built once at start-up. */
export function createApi(): {
  session: Session;
  client: ReturnType<typeof createTRPCClient<AppRouter>>;
} {
  const session = createSession({
    api: createAuthApi(),
    tabs: createTabSync(),
    isAuthFailure,
    hint: sessionHint,
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      retryOnUnauthorizedLink(session),
      serviceLink({
        url: "",
        fetch: fetchWithDeadline,
        headers: () => {
          const token = session.accessToken();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
  return { session, client };
}

type Outputs = inferRouterOutputs<AppRouter>;
/** Shapes the pages share, inferred from the services' routers. */
export type Product = Outputs["orders"]["products"]["products"][number];
export type Order = Outputs["orders"]["byId"];
export type User = Outputs["users"]["me"];
