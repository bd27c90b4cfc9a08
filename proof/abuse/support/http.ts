import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { Agent } from "undici";

/** What came back, with the body both raw and parsed (`undefined` when not JSON). */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** A request as the fuzzers describe it. */
export interface Ask {
  method: string;
  /** Path and query, already encoded as the client means them. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

const clip = (text: string, max = 240) =>
  text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;

/**
 * Makes fast-check print a request short enough to read in a failure report
 * (a 20 kB body or a 2,000-deep object would bury the seed and the cause).
 */
export function printable<T extends Ask>(ask: T): T {
  Object.defineProperty(ask, fc.toStringMethod, {
    enumerable: false,
    value: () =>
      JSON.stringify({
        method: ask.method,
        path: clip(ask.path),
        headers: Object.fromEntries(
          Object.entries(ask.headers ?? {}).map(([name, value]) => [name, clip(value, 80)]),
        ),
        body:
          typeof ask.body === "string" ? clip(ask.body) : ask.body && `<${ask.body.length} bytes>`,
      }),
  });
  return ask;
}

/** Node's default `--max-http-header-size`: request line plus headers. */
const NODE_MAX_HEADER_BYTES = 16 * 1024;

function headSize(ask: Ask): number {
  let size = ask.method.length + ask.path.length + 12;
  for (const [name, value] of Object.entries(ask.headers ?? {}))
    size += name.length + value.length + 4;
  return size;
}

function isClosedSocket(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return (
    cause?.code === "UND_ERR_SOCKET" || cause?.code === "ECONNRESET" || cause?.code === "EPIPE"
  );
}

/** Long enough for a loaded 2-core machine, short enough that a hang fails the property. */
export const REQUEST_TIMEOUT_MS = 15_000;

/**
 * One HTTP request with a deadline: a service that hangs fails the property
 * that sent it instead of stalling the suite.
 */
export async function send(base: string, ask: Ask): Promise<Answer> {
  let response: Response;
  // A body past the limits goes on a connection of its own: after answering
  // 413 early, the server may drop the connection (see edge-fuzz), and a
  // shared pool would hand the dead socket to the next, unrelated request.
  const dispatcher =
    (ask.body?.length ?? 0) > 60 * 1024 ? new Agent({ connections: 1 }) : undefined;
  try {
    response = await fetch(`${base}${ask.path}`, {
      method: ask.method,
      headers: ask.headers,
      body: ask.body,
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      dispatcher,
    } as unknown as RequestInit);
  } catch (error) {
    void dispatcher?.close();
    // Past 16 kB of request head, Node answers a bare 431 and closes the
    // socket; a client still writing a large body sees the close first.
    if (headSize(ask) > NODE_MAX_HEADER_BYTES && isClosedSocket(error)) {
      return { status: 431, headers: new Headers(), text: "", json: undefined };
    }
    throw error;
  }
  const text = await response.text();
  void dispatcher?.close();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * A request written byte for byte through node:http, for what fetch refuses to
 * send: non-normalized paths, duplicate or odd headers, a body whose declared
 * type lies. Header values must still be valid HTTP header bytes.
 */
export function sendRaw(
  base: string,
  ask: Ask & { rawHeaders?: Array<[string, string]> },
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: ask.method,
        path: ask.path,
        headers: ask.rawHeaders ? ask.rawHeaders.flat() : ask.headers,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined)
              headers.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers, text, json });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(ask.body);
  });
}
