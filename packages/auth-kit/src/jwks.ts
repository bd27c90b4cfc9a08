import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";

/** Options of {@link createRemoteKeySet}. All durations in milliseconds. */
export interface RemoteKeySetOptions {
  /** Minimum time between two fetches triggered by an unknown `kid`. */
  cooldownMs?: number;
  /** How long a fetched key set is trusted before it is fetched again. */
  cacheMaxAgeMs?: number;
  /** Per-fetch timeout. */
  timeoutMs?: number;
  /** How long the last good key set may stand in when the issuer is unreachable. */
  maxStaleMs?: number;
  /** Told when the stale key set is used, so the caller can log it. */
  onStale?: (error: unknown) => void;
}

/**
 * jose's remote JWKS (cached, cooldown, refetch on an unknown `kid`) plus a
 * bounded serve-stale fallback: when the issuer cannot be reached, the last key
 * set fetched successfully is reused for at most `maxStaleMs`. Tokens live 15
 * minutes, so an auth outage does not stop reads with tokens already issued.
 */
export function createRemoteKeySet(
  url: string | URL,
  options: RemoteKeySetOptions = {},
): JWTVerifyGetKey {
  const maxStaleMs = options.maxStaleMs ?? 60 * 60 * 1000;
  let lastGood: { body: string; fetchedAt: number } | null = null;

  const fetchWithStaleFallback = async (
    input: string,
    init: { headers: Headers; method: "GET"; redirect: "manual"; signal: AbortSignal },
  ): Promise<Response> => {
    try {
      const response = await fetch(input, init);
      if (!response.ok) throw new Error(`JWKS endpoint answered ${response.status}`);
      const body = await response.text();
      lastGood = { body, fetchedAt: Date.now() };
      return jsonResponse(body);
    } catch (error) {
      if (lastGood && Date.now() - lastGood.fetchedAt <= maxStaleMs) {
        options.onStale?.(error);
        return jsonResponse(lastGood.body);
      }
      throw error;
    }
  };

  return createRemoteJWKSet(new URL(url), {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 5 * 60_000,
    timeoutDuration: options.timeoutMs ?? 2_000,
    [customFetch]: fetchWithStaleFallback,
  });
}

function jsonResponse(body: string): Response {
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}
