/** Refresh at most this long before the access token expires. */
export const MAX_REFRESH_LEAD_MS = 60_000;

/**
 * How long to wait before refreshing a token that expires at `expiresAt` and
 * was received at `receivedAt`: about a minute before expiry, but never more
 * than a quarter of the token's life before it, so short-lived tokens (tests,
 * strict deployments) are not refreshed in a loop.
 */
export function refreshDelayMs(expiresAt: number, receivedAt: number, now: number): number {
  const lifetime = Math.max(0, expiresAt - receivedAt);
  const lead = Math.min(MAX_REFRESH_LEAD_MS, lifetime / 4);
  return Math.max(0, expiresAt - lead - now);
}

/** How soon to try again after a refresh failed because the server could not be reached. */
export const RETRY_UNAVAILABLE_MS = 5_000;

/**
 * How long an access token lives, read from its own `iat` and `exp` (the
 * server's clock at both ends), or null if they cannot be read. Scheduling
 * from this and the local arrival time keeps working when the browser's
 * clock is off: comparing the server's `exp` to the local clock would, say
 * twenty minutes fast, see every new token as expired and refresh in a loop.
 * The token is only read here, never trusted: the servers verify it.
 */
export function tokenLifetimeMs(token: string): number | null {
  try {
    const payload = token.split(".")[1];
    if (!payload) return null;
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const { iat, exp } = JSON.parse(json) as { iat?: unknown; exp?: unknown };
    if (typeof iat !== "number" || typeof exp !== "number" || exp <= iat) return null;
    return (exp - iat) * 1000;
  } catch {
    return null;
  }
}
