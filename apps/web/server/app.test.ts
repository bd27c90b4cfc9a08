import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { listen, type RunningServer } from "@shop/kit";
import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebApp } from "./app.js";
import type { Config } from "./env.js";
import { loadStaticFiles } from "./static-files.js";

const temp = tempDataDir("shop-web-");
const asset = `console.log(${JSON.stringify("x".repeat(2_000))});`;
let gateway: RunningServer;
let web: RunningServer;
let releaseStream: () => void = () => {};

function config(gatewayUrl: string, timeoutMs = 5_000): Config {
  return {
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    logFormat: "json",
    gatewayUrl: new URL(gatewayUrl),
    staticDir: temp.dir,
    upstreamTimeoutMs: timeoutMs,
    hsts: false,
  };
}

/** A stand-in gateway that answers with what it received. */
function fakeGateway() {
  const app = new Hono();
  app.all("/trpc/auth/*", async (c) => {
    const headers = Object.fromEntries(c.req.raw.headers);
    const response = c.json({
      path: c.req.path,
      query: c.req.query(),
      body: await c.req.text(),
      headers,
    });
    response.headers.append("set-cookie", "a=1; Path=/trpc/auth; HttpOnly");
    response.headers.append("set-cookie", "b=2; Path=/trpc/auth; HttpOnly");
    return response;
  });
  app.get("/trpc/orders/stream", () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode("first;"));
        releaseStream = () => {
          controller.enqueue(encoder.encode("second"));
          controller.close();
        };
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  });
  app.get("/trpc/orders/hang", () => new Promise<Response>(() => {}));
  app.get("/gateway/products", (c) => c.json({ products: [] }));
  app.get("/health", (c) => c.json({ status: "healthy", services: {} }, 503));
  return app;
}

beforeAll(async () => {
  mkdirSync(join(temp.dir, "assets"));
  writeFileSync(join(temp.dir, "index.html"), "<!doctype html><div id=root></div>");
  writeFileSync(join(temp.dir, "assets", "app-abc123.js"), asset);
  writeFileSync(join(temp.dir, "favicon.svg"), "<svg/>");
  gateway = await listen(fakeGateway(), { port: 0 });
  web = await listen(
    createWebApp(config(gateway.url, 300), silentLogger, loadStaticFiles(temp.dir)),
    {
      port: 0,
    },
  );
});

afterAll(async () => {
  await web?.close();
  await gateway?.close();
  temp.cleanup();
});

describe("the SPA", () => {
  it("serves index.html with a strict CSP and security headers, revalidated on every load", async () => {
    const response = await fetch(`${web.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<div id=root>");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("answers client routes with index.html, and missing files with 404", async () => {
    for (const path of ["/history", "/users/new", "/checkout/12"]) {
      const response = await fetch(`${web.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
    }
    expect((await fetch(`${web.url}/assets/missing-123.js`)).status).toBe(404);
    expect((await fetch(`${web.url}/robots.txt`)).status).toBe(404);
  });

  it("caches hashed assets for a year and serves them compressed as asked", async () => {
    const plain = await fetch(`${web.url}/assets/app-abc123.js`, {
      headers: { "accept-encoding": "identity" },
    });
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(plain.headers.get("content-type")).toContain("text/javascript");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await plain.text()).toBe(asset);

    // fetch decodes transparently; read the raw bytes with a lower-level request.
    const { request } = await import("node:http");
    const gzipped = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      request(
        `${web.url}/assets/app-abc123.js`,
        { headers: { "accept-encoding": "gzip" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }),
          );
        },
      )
        .on("error", reject)
        .end();
    });
    expect(gzipped.encoding).toBe("gzip");
    expect(gzipped.body.length).toBeLessThan(asset.length / 4);
    expect(gunzipSync(gzipped.body).toString()).toBe(asset);

    const br = await fetch(`${web.url}/assets/app-abc123.js`, {
      headers: { "accept-encoding": "br" },
    });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(await br.text()).toBe(asset);
  });

  it("answers a matching ETag with 304", async () => {
    const first = await fetch(`${web.url}/favicon.svg`);
    const etag = first.headers.get("etag")!;
    const again = await fetch(`${web.url}/favicon.svg`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("refuses other methods on non-API paths with a JSON 404", async () => {
    const response = await fetch(`${web.url}/history`, { method: "POST" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: "Not found" });
  });
});

describe("forwarding to the gateway", () => {
  it("caps a long X-Forwarded-For to its right end, where the client is", async () => {
    const response = await fetch(`${web.url}/trpc/auth/login`, {
      method: "POST",
      headers: { "x-forwarded-for": `${"10.9.9.9, ".repeat(300)}203.0.113.9` },
      body: "{}",
    });
    const seen = (await response.json()) as { headers: Record<string, string> };
    const chain = seen.headers["x-forwarded-for"]!;
    expect(chain.length).toBeLessThanOrEqual(1024 + ", 127.0.0.1".length);
    expect(chain.startsWith("10.9.9.9, ")).toBe(true);
    expect(chain.endsWith("10.9.9.9, 203.0.113.9, 127.0.0.1")).toBe(true);
  });

  it("passes method, path, query, body, Origin and cookies; appends X-Forwarded-For; keeps the request id", async () => {
    const response = await fetch(`${web.url}/trpc/auth/login?batch=1`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: web.url,
        cookie: "shop_refresh=abc",
        "x-forwarded-for": "203.0.113.9",
        "x-request-id": "req-123",
        "x-shop-csrf": "1",
      },
      body: JSON.stringify({ 0: { username: "ada" } }),
    });
    expect(response.status).toBe(200);
    const seen = (await response.json()) as {
      path: string;
      query: Record<string, string>;
      body: string;
      headers: Record<string, string>;
    };
    expect(seen.path).toBe("/trpc/auth/login");
    expect(seen.query).toEqual({ batch: "1" });
    expect(JSON.parse(seen.body)).toEqual({ 0: { username: "ada" } });
    expect(seen.headers.origin).toBe(web.url);
    expect(seen.headers.cookie).toBe("shop_refresh=abc");
    expect(seen.headers["x-shop-csrf"]).toBe("1");
    expect(seen.headers["x-forwarded-for"]).toBe("203.0.113.9, 127.0.0.1");
    expect(seen.headers["x-request-id"]).toBe("req-123");
    expect(seen.headers.host).toBe(new URL(gateway.url).host);
    expect(response.headers.get("x-request-id")).toBe("req-123");
    expect(response.headers.getSetCookie()).toEqual([
      "a=1; Path=/trpc/auth; HttpOnly",
      "b=2; Path=/trpc/auth; HttpOnly",
    ]);
  });

  it("forwards /gateway/* and /health, keeping the gateway's status", async () => {
    expect(await (await fetch(`${web.url}/gateway/products`)).json()).toEqual({ products: [] });
    const health = await fetch(`${web.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "healthy" });
  });

  it("streams the answer instead of buffering it", async () => {
    const response = await fetch(`${web.url}/trpc/orders/stream`);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first;");
    releaseStream();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toBe("second");
  });

  it("answers 504 in JSON when the gateway is too slow", async () => {
    const response = await fetch(`${web.url}/trpc/orders/hang`);
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ message: "The gateway took too long to answer" });
  });

  it("answers 502 in JSON when the gateway is down", async () => {
    const down = await listen(
      createWebApp(config("http://127.0.0.1:1"), silentLogger, loadStaticFiles(temp.dir)),
      { port: 0 },
    );
    try {
      const response = await fetch(`${down.url}/trpc/users/me`);
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ message: "The gateway is unreachable" });
    } finally {
      await down.close();
    }
  });
});
