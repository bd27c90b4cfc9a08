import type { AccessVerifier } from "@shop/auth-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createServiceApp, listen, type RunningServer } from "./server.js";
import { silentLogger } from "./testing/index.js";
import { createServiceTRPC } from "./trpc.js";
import { mountTrpc } from "./trpc-route.js";

const t = createServiceTRPC<Record<string, never>>();
const router = t.router({
  echo: t.publicProcedure
    .input(z.object({ text: z.string().max(8) }))
    .mutation(({ input }) => input),
});
const verifier = {
  verify: () => Promise.reject(new Error("no token is sent in these tests")),
} as unknown as AccessVerifier;

// Over real HTTP: the context reads the peer address from the Node socket.
let server: RunningServer;
beforeAll(async () => {
  const service = createServiceApp({ service: "test", port: 0, log: silentLogger });
  mountTrpc(service, { endpoint: "/trpc/test", router, deps: {}, verifier });
  server = await listen(service, { port: 0 });
});
afterAll(() => server.close());

const post = (init: RequestInit) =>
  fetch(`${server.url}/trpc/test/echo`, { method: "POST", ...init });

describe("mountTrpc", () => {
  it("labels the error for a body it cannot read as JSON (not text/plain)", async () => {
    for (const type of ["text/plain", "text/html", "application/xml"]) {
      const res = await post({
        headers: { "content-type": type },
        body: '{"text":"hi"}',
      });
      expect(res.status).toBe(415);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      const body = (await res.json()) as { error: { data: { code: string } } };
      expect(body.error.data.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
  });

  it("keeps answering JSON for valid, invalid and malformed calls", async () => {
    const cases = [
      { body: '{"text":"hi"}', status: 200 },
      { body: '{"text":"far too long"}', status: 400 },
      { body: '{"text":', status: 400 },
    ];
    for (const { body, status } of cases) {
      const res = await post({
        headers: { "content-type": "application/json" },
        body,
      });
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/json");
    }
  });
});
