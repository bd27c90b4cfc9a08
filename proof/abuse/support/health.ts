import { expect } from "vitest";
import { send } from "./http.js";
import type { AbuseStack } from "./stack.js";

/** Every process still answers its /health with 200 (the gateway's also checks the others). */
export async function expectAllHealthy(stack: AbuseStack): Promise<void> {
  const { urls } = stack;
  const answers = await Promise.all(
    [urls.auth, urls.users, urls.orders, urls.bank, urls.gateway].map((base) =>
      send(base, { method: "GET", path: "/health" }),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  expect(answers.map((a) => (a.json as { status?: string }).status)).toEqual(
    Array(5).fill("healthy"),
  );
}
