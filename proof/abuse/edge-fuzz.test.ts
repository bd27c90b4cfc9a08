import fc from "fast-check";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostileString, wellFormed } from "./support/arbitraries.js";
import { expectSafe } from "./support/expect-safe.js";
import { expectAllHealthy } from "./support/health.js";
import { type Ask, printable, send, sendRaw } from "./support/http.js";
import { type AbuseStack, SEEDED, startAbuseStack } from "./support/stack.js";

const RUNS = Number(process.env.ABUSE_RUNS ?? 100);

let stack: AbuseStack;
let userToken: string;

beforeAll(async () => {
  stack = await startAbuseStack();
  userToken = await stack.token({ ...SEEDED.user1, role: "user" });
});
afterAll(async () => {
  await stack?.close();
});

/** Bytes Node's client accepts in a request path (0x21-0x7e); anything else percent-encoded. */
const rawPathSafe = (value: string) =>
  Array.from(wellFormed(value), (ch: string) =>
    ch > " " && ch <= "~" ? ch : encodeURIComponent(ch),
  ).join("");

const prefix = fc.constantFrom(
  "/",
  "//",
  "/trpc/",
  "/trpc/auth/",
  "/trpc/users/",
  "/trpc/orders/",
  "/trpc/users/me,",
  "/trpc/orders/products,orders.",
  "/internal/trpc/",
  "/gateway/",
  "/gateway/users/",
  "/gateway/orders/1/",
  "/.well-known/",
  "/health/",
  "/%2e%2e/",
  "/trpc/%2e%2e/internal/trpc/",
);
const suffix = fc.oneof(
  hostileString,
  fc.constantFrom(
    "..",
    "../..",
    "./",
    "%2F",
    "%00",
    "%ff",
    "?batch=1",
    "?batch=1&input=",
    "?input=%7B",
    "#frag",
    ";x",
    "*",
  ),
);
const method = fc.constantFrom(
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
);

describe("any method on any path", () => {
  for (const target of ["gateway", "auth", "users", "orders"] as const) {
    it(`${target}: answers JSON (or a bare parser refusal), never a 5xx`, async () => {
      const ask = fc.record({ method, prefix, suffix, auth: fc.boolean() }).map((r) =>
        printable<Ask>({
          method: r.method,
          path: rawPathSafe(`${r.prefix}${r.suffix}`),
          headers: r.auth ? { authorization: `Bearer ${userToken}` } : {},
        }),
      );
      await fc.assert(
        fc.asyncProperty(ask, async (request) => {
          const answer = await sendRaw(stack.urls[target], request);
          expectSafe(answer, request.path.includes("/trpc/") ? "trpc" : "rest", request.method);
        }),
        { numRuns: RUNS },
      );
      await expectAllHealthy(stack);
    });
  }
});

/** A request body with no Content-Length, streamed in chunks past every limit. */
function chunkedBody(totalBytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(`{"a":"${"x".repeat(16 * 1024)}`);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

describe("bodies past the limit, with and without a Content-Length", () => {
  const targets = [
    { name: "gateway relay", base: () => stack.urls.gateway, path: "/trpc/orders/create" },
    { name: "gateway REST", base: () => stack.urls.gateway, path: "/gateway/orders" },
    { name: "gateway login", base: () => stack.urls.gateway, path: "/gateway/auth/login" },
    { name: "orders", base: () => stack.urls.orders, path: "/trpc/orders/create" },
    { name: "users", base: () => stack.urls.users, path: "/trpc/users/create" },
    { name: "auth", base: () => stack.urls.auth, path: "/trpc/auth/login" },
  ];
  for (const target of targets) {
    it(`${target.name}: 413 in JSON, and the service stays up`, async () => {
      const headers = { "content-type": "application/json", authorization: `Bearer ${userToken}` };
      const sized = await send(target.base(), {
        method: "POST",
        path: target.path,
        headers,
        body: JSON.stringify({ pad: "x".repeat(70 * 1024) }),
      });
      expectSafe(sized, target.path.startsWith("/trpc/") ? "trpc" : "rest", "POST");
      expect(sized.status).toBe(413);
      const response = await fetch(`${target.base()}${target.path}`, {
        method: "POST",
        headers,
        body: chunkedBody(128 * 1024),
        duplex: "half",
        signal: AbortSignal.timeout(15_000),
      } as unknown as RequestInit);
      const text = await response.text();
      expect(response.status).toBe(413);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(JSON.parse(text).message ?? JSON.parse(text).error?.message).toBeTruthy();
      await expectAllHealthy(stack);
    });
  }
});

describe("the connection after a 413", () => {
  // A server that answers 413 before reading a large body and then drops the
  // connection must say `Connection: close`; otherwise a keep-alive client
  // sends its next request down a dead socket and sees a network error.
  const targets = [
    { name: "gateway REST", base: () => stack.urls.gateway, path: "/gateway/users" },
    { name: "gateway relay", base: () => stack.urls.gateway, path: "/trpc/users/create" },
    { name: "users", base: () => stack.urls.users, path: "/trpc/users/create" },
  ];
  for (const target of targets) {
    it(`${target.name}: the next request on the same keep-alive connection is served`, async () => {
      const dispatcher = new Agent({ connections: 1 });
      try {
        const first = await fetch(`${target.base()}${target.path}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${userToken}` },
          body: JSON.stringify({ pad: "x".repeat(1024 * 1024) }),
          dispatcher,
        } as unknown as RequestInit);
        expect(first.status).toBe(413);
        await first.text();
        const next = await fetch(`${target.base()}/health`, {
          dispatcher,
        } as unknown as RequestInit).then(
          (r) => r.status,
          (error: { cause?: { code?: string } }) => `network error ${error.cause?.code}`,
        );
        expect(next).toBe(200);
      } finally {
        await dispatcher.close();
      }
    });
  }
});

describe("headers past Node's limit", () => {
  it("a 64 kB header or 2,000 headers is refused, and every process stays up", async () => {
    for (const base of Object.values(stack.urls)) {
      const big = await sendRaw(base, {
        method: "GET",
        path: "/health",
        headers: { "x-big": "a".repeat(64 * 1024) },
      });
      expect(big.status).toBe(431);
      const many: Array<[string, string]> = Array.from({ length: 2_000 }, (_, i) => [
        `x-h${i}`,
        "v",
      ]);
      const answer = await sendRaw(base, { method: "GET", path: "/health", rawHeaders: many });
      expect(answer.status).toBeLessThan(500);
    }
    await expectAllHealthy(stack);
  });
});
