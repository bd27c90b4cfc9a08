import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSafe } from "./support/expect-safe.js";
import { expectAllHealthy } from "./support/health.js";
import { send } from "./support/http.js";
import { routerProcedures, VALID_INPUTS } from "./support/procedures.js";
import { type AbuseStack, startAbuseStack } from "./support/stack.js";
import { type Callers, hostileCall } from "./support/trpc-requests.js";

// Runs per procedure and surface: 25 procedures x 2 surfaces x RUNS requests
// (ABUSE_RUNS raises it for a longer hunt; a failure prints the seed to replay).
const RUNS = Number(process.env.ABUSE_RUNS ?? 100);

const procedures = routerProcedures();
let stack: AbuseStack;
let callers: Callers;

beforeAll(async () => {
  stack = await startAbuseStack();
  callers = await stack.callers();
});
afterAll(async () => {
  await stack?.close();
});

it("the fuzzers know a valid input for every procedure of the real routers", () => {
  const known = Object.entries(VALID_INPUTS).flatMap(([service, inputs]) =>
    Object.keys(inputs).map((name) => `${service}.${name}`),
  );
  expect(known.sort()).toEqual(procedures.map((p) => `${p.service}.${p.name}`).sort());
});

for (const surface of ["service", "gateway"] as const) {
  describe(`tRPC procedures called ${surface === "service" ? "straight on each service" : "through the gateway"}`, () => {
    for (const procedure of procedures) {
      it(`${procedure.service}.${procedure.name} (${procedure.kind}) answers hostile calls with JSON, never a 5xx`, async () => {
        const base = surface === "gateway" ? stack.urls.gateway : stack.urls[procedure.service];
        await fc.assert(
          fc.asyncProperty(hostileCall(procedure, callers), async (ask) => {
            expectSafe(await send(base, ask), "trpc");
          }),
          { numRuns: RUNS },
        );
        await expectAllHealthy(stack);
      });
    }
  });
}

// A batch runs its calls concurrently inside one process: the cheapest way for
// any caller to make a service write in parallel with itself.
describe("one batch of the same valid write, five times over", () => {
  const writes = procedures.filter((p) => p.kind === "mutation");
  for (const surface of ["service", "gateway"] as const) {
    for (const procedure of writes) {
      it(`${procedure.service}.${procedure.name} via ${surface}: every call answers, none with a 5xx`, async () => {
        const base = surface === "gateway" ? stack.urls.gateway : stack.urls[procedure.service];
        const input = JSON.stringify(VALID_INPUTS[procedure.service][procedure.name] ?? null);
        const names = Array(5).fill(procedure.name).join(",");
        const body = `{${[0, 1, 2, 3, 4].map((i) => `"${i}":${input}`).join(",")}}`;
        const token = procedure.service === "users" ? callers.admin : callers.user;
        const answer = await send(base, {
          method: "POST",
          path: `/trpc/${procedure.service}/${names}?batch=1`,
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body,
        });
        expectSafe(answer, "trpc");
        expect(answer.json).toHaveLength(5);
      });
    }
  }
});
