import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPasswordHasher,
  type Deadline,
  type PasswordHasher,
  TOO_LATE_TO_CHECK,
} from "./password.js";

// One worker thread at a real cost: compares queue behind one another, as
// they do in a login storm.
let hasher: PasswordHasher;
let stored: string;
/** How long one compare takes here, measured once the estimate has settled. */
let compareMs: number;
beforeAll(async () => {
  hasher = await createPasswordHasher(10, { threads: 1 });
  stored = await hasher.hash("secret");
  const started = performance.now();
  for (let i = 0; i < 5; i++) await hasher.verify("secret", stored);
  compareMs = (performance.now() - started) / 5;
});
afterAll(() => hasher.close());

const TOO_LATE = {
  code: "SERVICE_UNAVAILABLE",
  message: TOO_LATE_TO_CHECK,
  retryAfterSeconds: expect.any(Number),
};

// The two compares a login may run: the dropping rules must not tell them apart.
const checks: Array<[string, (deadline?: Deadline) => Promise<unknown>]> = [
  ["a real compare", (deadline) => hasher.verify("secret", stored, deadline)],
  ["an unknown user's dummy compare", (deadline) => hasher.burn("secret", deadline)],
];

/** Starts `count` compares without a deadline, and records when each settles in `order`. */
function backlog(count: number, order: string[]): Array<Promise<unknown>> {
  return Array.from({ length: count }, (_, i) =>
    hasher.verify("secret", stored).finally(() => order.push(`backlog ${i}`)),
  );
}

describe("a password hasher given deadlines", () => {
  it.each(checks)("drops %s whose deadline passes while it waits", async (_, check) => {
    const order: string[] = [];
    const queue = backlog(4, order);
    // Time enough to start on arrival; long gone once four compares are done.
    const late = check(Date.now() + 2 * compareMs).finally(() => order.push("late"));
    const next = check().finally(() => order.push("next"));
    await expect(late).rejects.toMatchObject(TOO_LATE);
    await Promise.all([...queue, next]);
    // It left the queue in turn, so the worker itself refused it, and the
    // worker refuses only before hashing (see bcrypt-worker.test.ts).
    expect(order).toEqual(["backlog 0", "backlog 1", "backlog 2", "backlog 3", "late", "next"]);
  });

  it.each(checks)("answers %s already too late on arrival at once", async (_, check) => {
    const order: string[] = [];
    const queue = backlog(3, order);
    await expect(check(Date.now()).finally(() => order.push("late"))).rejects.toMatchObject(
      TOO_LATE,
    );
    expect(order).toEqual(["late"]);
    await Promise.all(queue);
  });

  it.each(checks)("runs %s that has time to spare", async (_, check) => {
    await check(Date.now() + 60_000);
  });

  it("drops both compares with the same answer", async () => {
    const [real, dummy] = await Promise.all(checks.map(([, check]) => errorOf(check(Date.now()))));
    expect(dummy).toEqual(real);
  });

  it("asks for a retry once the queue ahead should have drained", async () => {
    const order: string[] = [];
    // About two seconds of work for the one thread.
    const queue = backlog(Math.ceil(2_000 / compareMs), order);
    const error = await errorOf(hasher.verify("secret", stored, Date.now()));
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(2);
    await Promise.all(queue);
  });
});

/** The fields of the error a dropped compare rejects with. */
async function errorOf(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    const { code, message, retryAfterSeconds } = error as Record<string, unknown>;
    return { code, message, retryAfterSeconds };
  }
  throw new Error("expected the compare to be dropped");
}
