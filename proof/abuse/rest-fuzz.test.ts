import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSafe } from "./support/expect-safe.js";
import { expectAllHealthy } from "./support/health.js";
import { send } from "./support/http.js";
import { hostileRestCall } from "./support/rest-requests.js";
import { contractRoutes, REST_ROUTES } from "./support/rest-routes.js";
import { type AbuseStack, startAbuseStack } from "./support/stack.js";
import type { Callers } from "./support/trpc-requests.js";

// Runs per route: 20 routes x RUNS requests (ABUSE_RUNS raises it for a longer hunt).
const RUNS = Number(process.env.ABUSE_RUNS ?? 100);

let stack: AbuseStack;
let callers: Callers;

beforeAll(async () => {
  stack = await startAbuseStack();
  callers = await stack.callers();
});
afterAll(async () => {
  await stack?.close();
});

it("the route table is the REST surface: every route is served, protected ones refuse a missing token", async () => {
  for (const route of REST_ROUTES) {
    const answer = await send(stack.urls.gateway, {
      method: route.method,
      path: route.path.replace(/:[a-z]+/g, "1"),
      headers: { "content-type": "application/json" },
      body: route.method === "GET" ? undefined : "{}",
    });
    expect([route.path, answer.status]).not.toEqual([route.path, 404]);
    if (route.protected) {
      expect([route.path, answer.status]).toEqual([route.path, 401]);
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    }
  }
  // The contract lives beside the repository (docs/procedures.md points at it).
  const contract = contractRoutes();
  if (contract) {
    expect(REST_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(contract.sort());
  }
});

describe("REST routes of the gateway", () => {
  for (const route of REST_ROUTES) {
    it(`${route.method} ${route.path} answers hostile requests with JSON, never a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileRestCall(route, callers), async (ask) => {
          expectSafe(await send(stack.urls.gateway, ask), "rest");
        }),
        { numRuns: RUNS },
      );
      await expectAllHealthy(stack);
    });
  }
});

describe("inputs too long for the gateway's own calls to the services", () => {
  // The gateway calls queries with GET ?input=: a long value may exceed the
  // service's 16 kB request head, and that refusal must not become a 500.
  it("a 20,000-character token to verify is an answer, not a 500", async () => {
    const answer = await send(stack.urls.gateway, {
      method: "POST",
      path: "/gateway/auth/verify",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: "A".repeat(20_000) }),
    });
    expectSafe(answer, "rest");
  });

  it("a 5,000-character username to look up is an answer, not a 500", async () => {
    const answer = await send(stack.urls.gateway, {
      method: "GET",
      path: `/gateway/users/by-username/${encodeURIComponent("<".repeat(5_000))}`,
      headers: { authorization: `Bearer ${callers.admin}` },
    });
    expectSafe(answer, "rest");
  });
});
