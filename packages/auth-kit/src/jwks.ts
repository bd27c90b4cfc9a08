import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";

/** Options of {@link createRemoteKeySet}. All durations in milliseconds. */
export interface RemoteKeySetOptions {
  /** Minimum time between two fetches triggered by an unknown `kid`. */
  cooldownMs?: number;
  /** How long a fetched key set is trusted before it is fetched again. */
  cacheMaxAgeMs?: number;
  /** Per-fetch timeout, for each replica tried. */
  timeoutMs?: number;
  /** How long the last good key set may stand in when the issuer is unreachable. */
  maxStaleMs?: number;
  /** Told when the stale key set is used, so the caller can log it. */
  onStale?: (error: unknown) => void;
}

/**
 * A key resolver that also says which key ids its last fetch published, so a
 * verifier can forget tokens signed by a key that was withdrawn.
 */
export interface RemoteKeySet extends JWTVerifyGetKey {
  /** Goes up each time a fetch publishes another set of key ids. */
  readonly generation: number;
  /** Whether the last key set fetched publishes `kid`. */
  publishes(kid: string): boolean;
}

/**
 * jose's remote JWKS (cached, cooldown, refetch on an unknown `kid`) plus a
 * bounded serve-stale fallback: when the issuer cannot be reached, the last key
 * set fetched successfully is reused for at most `maxStaleMs`. Tokens live 15
 * minutes, so an auth outage does not stop reads with tokens already issued.
 *
 * `url` may list several replicas of the issuer (one key set, in one
 * database): a fetch tries them in turn, from the last one that answered,
 * each for at most `timeoutMs`, so one replica down does not stop key
 * refreshes.
 */
export function createRemoteKeySet(
  url: string | URL | readonly (string | URL)[],
  options: RemoteKeySetOptions = {},
): RemoteKeySet {
  const urls = (Array.isArray(url) ? url : [url]).map((u: string | URL) => new URL(u).href);
  if (urls.length === 0) throw new Error("createRemoteKeySet needs at least one URL");
  const maxStaleMs = options.maxStaleMs ?? 60 * 60 * 1000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  let lastGood: { body: string; fetchedAt: number } | null = null;
  /** Where the next fetch starts: the replica that answered last. */
  let first = 0;
  let kids: ReadonlySet<string> = new Set();
  let generation = 0;

  function notePublished(body: string): void {
    const next = publishedKids(body);
    if (next === null) return;
    if (next.size === kids.size && [...next].every((kid) => kids.has(kid))) return;
    kids = next;
    generation++;
  }

  async function fetchFrom(
    index: number,
    init: { headers: Headers; method: "GET"; redirect: "manual"; signal: AbortSignal },
  ): Promise<string> {
    const signal = AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]);
    const response = await fetch(urls[index]!, { ...init, signal });
    if (!response.ok) throw new Error(`JWKS endpoint answered ${response.status}`);
    return response.text();
  }

  const fetchWithFallbacks = async (
    _input: string,
    init: { headers: Headers; method: "GET"; redirect: "manual"; signal: AbortSignal },
  ): Promise<Response> => {
    let lastError: unknown;
    for (let tried = 0; tried < urls.length; tried++) {
      const index = (first + tried) % urls.length;
      try {
        const body = await fetchFrom(index, init);
        first = index;
        lastGood = { body, fetchedAt: Date.now() };
        notePublished(body);
        return jsonResponse(body);
      } catch (error) {
        lastError = error;
        if (init.signal.aborted) break;
      }
    }
    if (lastGood && Date.now() - lastGood.fetchedAt <= maxStaleMs) {
      options.onStale?.(lastError);
      return jsonResponse(lastGood.body);
    }
    throw lastError;
  };

  const remote = createRemoteJWKSet(new URL(urls[0]!), {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 5 * 60_000,
    // Every replica may take its own timeout.
    timeoutDuration: timeoutMs * urls.length,
    [customFetch]: fetchWithFallbacks,
  });
  const keySet = ((header, token) => remote(header, token)) as RemoteKeySet;
  return Object.defineProperties(keySet, {
    generation: { get: () => generation },
    publishes: { value: (kid: string) => kids.has(kid) },
  });
}

/** The key ids a JWKS body publishes; null when it is not one (jose refuses it too). */
function publishedKids(body: string): Set<string> | null {
  try {
    const { keys } = JSON.parse(body) as { keys?: unknown };
    if (!Array.isArray(keys)) return null;
    return new Set(keys.map((key) => key?.kid).filter((kid) => typeof kid === "string"));
  } catch {
    return null;
  }
}

function jsonResponse(body: string): Response {
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}
