import { AppError } from "@shop/kit";
import { parse, serialize } from "hono/utils/cookie";
import type { IssuedPair } from "./domain/sessions/issue.js";

/** The refresh cookie: httpOnly, SameSite=Strict, sent only to auth's procedures. */
export const REFRESH_COOKIE = "shop_refresh";
export const REFRESH_COOKIE_PATH = "/trpc/auth";
/** The fixed header cookie-based refresh and logout demand (a cross-site form cannot send it). */
export const CSRF_HEADER = "x-shop-csrf";

interface Transport {
  headers: Headers;
  resHeaders: Headers;
}

/**
 * A request with an Origin header is a browser's, and its Origin must be one
 * of ours; a request without one (curl, the gateway's REST surface) is not.
 */
export function isBrowser(headers: Headers, allowedOrigins: readonly string[]): boolean {
  const origin = headers.get("origin");
  if (origin === null) return false;
  if (!allowedOrigins.includes(origin)) throw new AppError("FORBIDDEN", "Origin not allowed");
  return true;
}

/**
 * The refresh token of this request: from the input when given, else from the
 * cookie, which also requires an allowed Origin (`browser`, from
 * {@link isBrowser}) and the CSRF header. Null when there is none.
 */
export function presentedRefreshToken(
  ctx: Transport,
  fromInput: string | undefined,
  browser: boolean,
): string | null {
  if (fromInput !== undefined) return fromInput;
  const cookie = ctx.headers.get("cookie");
  const token = cookie ? parse(cookie, REFRESH_COOKIE)[REFRESH_COOKIE] : undefined;
  if (!token) return null;
  // Without an Origin the answer is a non-browser's, with the refresh token in
  // its body: a cookie's token must never be handed out that way.
  if (!browser)
    throw new AppError("FORBIDDEN", "The refresh cookie needs an allowed Origin header");
  if (ctx.headers.get(CSRF_HEADER) !== "1") {
    throw new AppError("FORBIDDEN", `Missing ${CSRF_HEADER} header`);
  }
  return token;
}

export function setRefreshCookie(
  resHeaders: Headers,
  token: string,
  expiresAt: number,
  secure: boolean,
) {
  const maxAge = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
  resHeaders.append(
    "set-cookie",
    serialize(REFRESH_COOKIE, token, {
      httpOnly: true,
      sameSite: "Strict",
      path: REFRESH_COOKIE_PATH,
      secure,
      maxAge,
    }),
  );
}

export function clearRefreshCookie(resHeaders: Headers, secure: boolean) {
  resHeaders.append(
    "set-cookie",
    serialize(REFRESH_COOKIE, "", {
      httpOnly: true,
      sameSite: "Strict",
      path: REFRESH_COOKIE_PATH,
      secure,
      maxAge: 0,
    }),
  );
}

/**
 * The wire answer of login and refresh: for a browser the refresh token goes
 * into the cookie and the body says null; otherwise it is in the body.
 */
export function tokenPairResponse(
  ctx: Transport,
  pair: IssuedPair,
  browser: boolean,
  cookieSecure: boolean,
) {
  if (browser)
    setRefreshCookie(ctx.resHeaders, pair.refreshToken, pair.refreshExpiresAt, cookieSecure);
  return {
    accessToken: pair.access.token,
    accessExpiresAt: pair.access.expiresAt.toISOString(),
    refreshToken: browser ? null : pair.refreshToken,
    refreshExpiresAt: new Date(pair.refreshExpiresAt).toISOString(),
    tokenType: "Bearer" as const,
    user: pair.user,
  };
}
