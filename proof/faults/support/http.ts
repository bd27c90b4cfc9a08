// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions
export type Json = any;

/** One HTTP exchange as the assertions need it: status, time, body, content type. */
export interface Exchange {
  status: number;
  /** From sending the request to reading the whole body, in milliseconds. */
  ms: number;
  contentType: string;
  body: Json;
  headers: Headers;
  /** When the request started, for placing it before or after a fault. */
  startedAt: number;
}

/** Bound on any single call: a hang fails the test instead of stalling it. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A JSON request. The body is parsed when the answer says it is JSON; any
 * other answer keeps its text, so "not JSON" is visible to the assertion. A
 * client-side timeout or a refused connection becomes status 0.
 */
export async function request(
  url: string,
  options: {
    method?: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<Exchange> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const startedAt = Date.now();
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    const contentType = response.headers.get("content-type") ?? "";
    let body: Json = text;
    if (contentType.includes("application/json")) {
      try {
        body = JSON.parse(text);
      } catch {
        // left as text: the assertion on the body shows it
      }
    }
    return {
      status: response.status,
      ms: performance.now() - started,
      contentType,
      body,
      headers: response.headers,
      startedAt,
    };
  } catch (error) {
    return {
      status: 0,
      ms: performance.now() - started,
      contentType: "",
      body: String((error as Error).cause ?? error),
      headers: new Headers(),
      startedAt,
    };
  }
}

/** The tokens of a REST login. */
export interface Tokens {
  access: string;
  refresh: string;
}

/** Logs in through the gateway's REST surface; throws unless it answers 200. */
export async function login(
  gateway: string,
  user: { username: string; password: string },
): Promise<Tokens> {
  const answer = await request(`${gateway}/gateway/auth/login`, { body: user });
  if (answer.status !== 200) {
    throw new Error(`login ${user.username}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return { access: answer.body.access_token, refresh: answer.body.refresh_token };
}

/** The `kid` of a JWT's protected header (no verification: only to tell keys apart). */
export function kidOf(token: string): string {
  const header = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString());
  return header.kid;
}

/** A compact summary of statuses for assertion messages: `{201: 40, 503: 12}`. */
export function countStatuses(exchanges: readonly Exchange[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const e of exchanges) counts[e.status] = (counts[e.status] ?? 0) + 1;
  return counts;
}
