import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CALLERS,
  type CallerName,
  call,
  MatrixWorld,
  type Outcome,
  outcomeOf,
} from "./support/matrix-world.js";
import { documentedProcedures, routerProcedures, type Service } from "./support/procedures.js";
import { type AbuseStack, startAbuseStack } from "./support/stack.js";

type Expected = Record<CallerName, Outcome>;
const PUBLIC: Expected = { anonymous: "ok", user: "ok", other: "ok", admin: "ok" };
const SIGNED_IN: Expected = { anonymous: "UNAUTHORIZED", user: "ok", other: "ok", admin: "ok" };
const ADMIN: Expected = {
  anonymous: "UNAUTHORIZED",
  user: "FORBIDDEN",
  other: "FORBIDDEN",
  admin: "ok",
};
/** A's own record: B is refused outright. */
const SELF_OR_ADMIN: Expected = { ...SIGNED_IN, other: "FORBIDDEN" };
/** A's order: for B it does not exist. */
const OWNER_OR_ADMIN: Expected = { ...SIGNED_IN, other: "NOT_FOUND" };
/** Only the owner pays; an admin may not pay someone else's order. */
const OWNER_PAYS: Expected = { ...SIGNED_IN, other: "NOT_FOUND", admin: "FORBIDDEN" };

interface Row {
  service: Service;
  name: string;
  /** Tells variants of one procedure apart. */
  variant?: string;
  expected: Expected;
  /** The input for one cell; a write gets fresh data per cell. */
  input(world: MatrixWorld, caller: CallerName): Promise<unknown> | unknown;
  /** Extra facts about the cell: what an allowed call did, that a refused one did nothing. */
  check?(world: MatrixWorld, caller: CallerName, data: unknown, subject: unknown): Promise<void>;
}

const none = () => undefined;
const account = (world: MatrixWorld, caller: CallerName) =>
  world.accounts[caller === "anonymous" ? "user" : caller];

const ROWS: Row[] = [
  // auth
  {
    service: "auth",
    name: "login",
    expected: PUBLIC,
    input: (w) => ({ username: w.accounts.user.username, password: w.accounts.user.password }),
  },
  {
    service: "auth",
    name: "refresh",
    expected: PUBLIC,
    input: async (w) => ({ refreshToken: (await w.login(w.accounts.user)).refreshToken }),
  },
  {
    service: "auth",
    name: "logout",
    expected: PUBLIC,
    input: async (w) => ({ refreshToken: (await w.login(w.accounts.user)).refreshToken }),
  },
  {
    service: "auth",
    name: "verify",
    expected: PUBLIC,
    input: (w) => ({ token: w.accounts.user.token }),
  },
  { service: "auth", name: "logoutEverywhere", expected: SIGNED_IN, input: none },
  { service: "auth", name: "sessions", expected: SIGNED_IN, input: none },
  {
    service: "auth",
    name: "revokeSession",
    // Anyone signed in may call it; only the owner's call revokes anything.
    expected: SIGNED_IN,
    input: async (w) => ({ id: (await w.login(w.accounts.user)).sessionId }),
    async check(w, caller, data, subject) {
      if (caller === "anonymous") return;
      expect({ caller, data }).toEqual({ caller, data: { revoked: caller === "user" } });
      // A's own list: the session survives anyone's call but A's.
      const { id } = subject as { id: number };
      const { sessions } = await call(
        w.stack.urls.auth,
        "auth",
        "sessions",
        "query",
        undefined,
        w.accounts.user.token,
      ).then((a) => a.data as { sessions: Array<{ id: number }> });
      const alive = sessions.some((s) => s.id === id);
      expect({ caller, alive }).toEqual({ caller, alive: caller !== "user" });
    },
  },
  { service: "auth", name: "audit", expected: ADMIN, input: () => ({ limit: 5 }) },
  // users
  { service: "users", name: "me", expected: SIGNED_IN, input: none },
  { service: "users", name: "list", expected: ADMIN, input: () => ({ limit: 5 }) },
  {
    service: "users",
    name: "create",
    expected: ADMIN,
    input: (_w, caller) => ({
      username: `made-by-${caller}-${Date.now()}`,
      password: "password-123",
    }),
  },
  {
    service: "users",
    name: "byId",
    expected: SELF_OR_ADMIN,
    input: (w) => ({ id: w.accounts.user.id }),
  },
  {
    service: "users",
    name: "byUsername",
    expected: SELF_OR_ADMIN,
    input: (w) => ({ username: w.accounts.user.username }),
  },
  {
    service: "users",
    name: "update",
    expected: SELF_OR_ADMIN,
    input: (w, caller) => ({ id: w.accounts.user.id, email: `${caller}-was-here@example.com` }),
    async check(w, caller) {
      const { email } = await w.adminRead("users", "byId", { id: w.accounts.user.id });
      if (caller === "other" || caller === "anonymous")
        expect(email).not.toBe(`${caller}-was-here@example.com`);
      else expect(email).toBe(`${caller}-was-here@example.com`);
    },
  },
  {
    service: "users",
    name: "changePassword",
    expected: SIGNED_IN,
    input: (w, caller) => {
      const { password } = account(w, caller);
      return { currentPassword: password, newPassword: password };
    },
  },
  {
    service: "users",
    name: "delete",
    expected: ADMIN,
    input: async (w) => ({ id: (await w.createUser("doomed")).id }),
    async check(w, caller, _data, subject) {
      const { id } = subject as { id: number };
      const found = await w.adminRead("users", "byId", { id }).then(
        () => true,
        () => false,
      );
      expect({ caller, stillThere: found }).toEqual({ caller, stillThere: caller !== "admin" });
    },
  },
  // orders
  { service: "orders", name: "products", expected: SIGNED_IN, input: none },
  {
    service: "orders",
    name: "create",
    expected: SIGNED_IN,
    input: () => ({ items: [{ productId: 1, quantity: 1 }] }),
  },
  {
    service: "orders",
    name: "list",
    variant: "mine",
    expected: SIGNED_IN,
    input: () => ({ scope: "mine" }),
  },
  {
    service: "orders",
    name: "list",
    variant: "all",
    expected: ADMIN,
    input: () => ({ scope: "all" }),
  },
  {
    service: "orders",
    name: "byId",
    expected: OWNER_OR_ADMIN,
    input: async (w) => ({ id: await w.orderOfA() }),
  },
  {
    service: "orders",
    name: "updateStatus",
    expected: OWNER_OR_ADMIN,
    input: async (w) => ({ id: await w.orderOfA(), status: "cancelled" }),
    async check(w, caller, _data, subject) {
      const { status } = await w.adminRead("orders", "byId", {
        id: (subject as { id: number }).id,
      });
      expect({ caller, status }).toEqual({
        caller,
        status: OWNER_OR_ADMIN[caller] === "ok" ? "cancelled" : "pending",
      });
    },
  },
  {
    service: "orders",
    name: "pay",
    expected: OWNER_PAYS,
    input: async (w, caller) => ({
      orderId: await w.orderOfA(),
      idempotencyKey: `matrix-${caller}-${Date.now()}`,
    }),
    async check(w, caller, _data, subject) {
      const { status } = await w.adminRead("orders", "byId", {
        id: (subject as { orderId: number }).orderId,
      });
      expect({ caller, status }).toEqual({
        caller,
        status: caller === "user" ? "paid" : "pending",
      });
    },
  },
  { service: "orders", name: "history", expected: SIGNED_IN, input: () => ({ limit: 5 }) },
  { service: "orders", name: "stats", expected: SIGNED_IN, input: none },
  { service: "orders", name: "breakerStatus", expected: SIGNED_IN, input: none },
];

let stack: AbuseStack;
let world: MatrixWorld;

beforeAll(async () => {
  stack = await startAbuseStack();
  world = new MatrixWorld(stack);
  await world.setUp();
});
afterAll(async () => {
  await stack?.close();
});

describe("the matrix covers every procedure", () => {
  const inMatrix = [...new Set(ROWS.map((r) => `${r.service}.${r.name}`))].sort();
  it("of the real routers (router._def.procedures)", () => {
    expect(inMatrix).toEqual(
      routerProcedures()
        .map((p) => `${p.service}.${p.name}`)
        .sort(),
    );
  });
  it("of docs/procedures.md", () => {
    const documented = Object.entries(documentedProcedures()).flatMap(([service, names]) =>
      names.map((name) => `${service}.${name}`),
    );
    expect(inMatrix).toEqual(documented.sort());
  });
});

const kinds = new Map(routerProcedures().map((p) => [`${p.service}.${p.name}`, p.kind]));

for (const surface of ["service", "gateway"] as const) {
  describe(`authorization, calling ${surface === "service" ? "each service directly" : "through the gateway"}`, () => {
    for (const row of ROWS) {
      const title = `${row.service}.${row.name}${row.variant ? ` (${row.variant})` : ""}`;
      it(`${title}: ${CALLERS.map((c) => `${c} ${row.expected[c]}`).join(", ")}`, async () => {
        const base = surface === "gateway" ? stack.urls.gateway : stack.urls[row.service];
        const kind = kinds.get(`${row.service}.${row.name}`)!;
        const seen = {} as Expected;
        for (const caller of CALLERS) {
          const input = await row.input(world, caller);
          const token = caller === "anonymous" ? undefined : world.accounts[caller].token;
          const answer = await call(base, row.service, row.name, kind, input, token);
          seen[caller] = outcomeOf(answer);
          if (seen[caller] === row.expected[caller])
            await row.check?.(world, caller, answer.data, input);
        }
        expect(seen).toEqual(row.expected);
      });
    }
  });
}

describe("the users service's internal API", () => {
  for (const name of ["verifyCredentials", "accountStatus"] as const) {
    const kind = name === "verifyCredentials" ? "mutation" : "query";
    const input =
      name === "verifyCredentials" ? { username: "admin", password: "admin123" } : { userId: 1 };
    it(`${name}: refused to every access token straight on users, and never relayed by the gateway`, async () => {
      const direct = {} as Expected;
      const relayed = {} as Expected;
      for (const caller of CALLERS) {
        const token = caller === "anonymous" ? undefined : world.accounts[caller].token;
        // Mounted at /internal/trpc on users; the gateway only knows /trpc/{auth,users,orders}.
        const internal = await call(`${stack.urls.users}/internal`, "", name, kind, input, token);
        direct[caller] = outcomeOf(internal);
        relayed[caller] = outcomeOf(
          await call(stack.urls.gateway, "users", name, kind, input, token),
        );
      }
      const refused = {
        anonymous: "UNAUTHORIZED",
        user: "UNAUTHORIZED",
        other: "UNAUTHORIZED",
        admin: "UNAUTHORIZED",
      };
      expect(direct).toEqual(refused);
      // The gateway refuses a missing token itself; with one, users has no such public procedure.
      expect(relayed).toEqual({
        anonymous: "UNAUTHORIZED",
        user: "NOT_FOUND",
        other: "NOT_FOUND",
        admin: "NOT_FOUND",
      });
    });
  }
});
