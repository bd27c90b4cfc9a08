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
