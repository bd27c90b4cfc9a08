import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOO_LATE_TO_CHECK } from "../../domain/password.js";
import { codeOf, type Harness, startHarness } from "../../test/harness.js";

let h: Harness;
let busy: Harness;
beforeAll(async () => {
  h = await startHarness();
  // One bcrypt thread at a real cost, so logins queue as in a storm.
  busy = await startHarness({ bcryptCost: 10, config: { hashThreads: 1 } });
});
afterAll(async () => {
  await h.close();
  await busy.close();
});

type Credentials = { username: string; password: string };

/** verifyCredentials as a raw request, to read the status and headers. */
async function post(on: Harness, input: Credentials, headers: Record<string, string>) {
  return fetch(`${on.users.url}/internal/trpc/verifyCredentials`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await on.issuer.mintService()}`,
      ...headers,
    },
    body: JSON.stringify(input),
  });
}

const RIGHT = { username: "admin", password: "admin123" };
const WRONG = { username: "admin", password: "wrong-password" };
const UNKNOWN = { username: "nobody", password: "admin123" };

describe("verifyCredentials with x-timeout-ms", () => {
  it("answers 503 with Retry-After when the caller has no time left, whoever logs in", async () => {
    const bodies: unknown[] = [];
    for (const credentials of [RIGHT, WRONG, UNKNOWN]) {
      const response = await post(h, credentials, { "x-timeout-ms": "0" });
      expect(response.status, credentials.username).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      bodies.push(await response.json());
    }
    expect(bodies[0]).toMatchObject({
      error: { message: TOO_LATE_TO_CHECK, data: { code: "SERVICE_UNAVAILABLE" } },
    });
    // Nothing tells a right password, a wrong one and an unknown user apart.
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it.each([
    ["empty", ""],
    ["a word", "abc"],
    ["negative", "-1"],
    ["a fraction", "1.5"],
    ["an exponent", "1e3"],
    ["hexadecimal", "0x10"],
    ["a list", "1, 2"],
    ["9 digits", "123456789"],
    ["4000 digits", "9".repeat(4000)],
  ])("refuses a malformed header (%s) with a 400, never a 500", async (_, value) => {
    const response = await post(h, RIGHT, { "x-timeout-ms": value });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { data: { code: "BAD_REQUEST" } } });
  });

  it("answers as before without the header, and with a long or an ample one", async () => {
    expect(await codeOf((await h.internal()).verifyCredentials.mutate(RIGHT))).toBe("OK");
    for (const value of ["99999999", "4000"]) {
      const internal = await h.internal(undefined, { "x-timeout-ms": value });
      expect(await codeOf(internal.verifyCredentials.mutate(RIGHT)), value).toBe("OK");
      expect(await codeOf(internal.verifyCredentials.mutate(UNKNOWN)), value).toBe("UNAUTHORIZED");
    }
  });

  it("drops the logins whose deadline passed in the queue, and serves the rest", async () => {
    const plain = await busy.internal();
    await plain.verifyCredentials.mutate(RIGHT); // the first call also fetches the keys
    const started = performance.now();
    await plain.verifyCredentials.mutate(RIGHT);
    const loginMs = performance.now() - started;

    const order: string[] = [];
    const queue = Array.from({ length: 6 }, () =>
      codeOf(plain.verifyCredentials.mutate(RIGHT)).finally(() => order.push("backlog")),
    );
    await sleep(50); // let the backlog reach the queue first
    // Time to start on arrival, none left once the backlog is done.
    const hurried = await busy.internal(undefined, {
      "x-timeout-ms": String(Math.ceil(2 * loginMs)),
    });
    const late = [RIGHT, UNKNOWN].map((credentials) =>
      codeOf(hurried.verifyCredentials.mutate(credentials)).finally(() =>
        order.push(`late ${credentials.username}`),
      ),
    );
    expect(await Promise.all(late)).toEqual(["SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"]);
    expect(await Promise.all(queue)).toEqual(Array(6).fill("OK"));
    // They waited behind the backlog (requests race a little on the way in):
    // the worker refused them, not the check on arrival.
    for (const name of ["late admin", "late nobody"]) {
      expect(order.indexOf(name), name).toBeGreaterThanOrEqual(3);
    }
    expect(await codeOf(plain.verifyCredentials.mutate(UNKNOWN))).toBe("UNAUTHORIZED");
  });
});
