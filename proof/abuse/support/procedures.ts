import { readFileSync } from "node:fs";
import { authRouter } from "@shop/auth/router";
import { ordersRouter } from "@shop/orders/router";
import { usersRouter } from "@shop/users/router";

export type Service = "auth" | "users" | "orders";
export type Kind = "query" | "mutation";

/** One procedure of a public router, as read from the real router object. */
export interface Procedure {
  service: Service;
  name: string;
  kind: Kind;
}

const ROUTERS = { auth: authRouter, users: usersRouter, orders: ordersRouter } as const;

/** Every procedure the three public routers expose, walked from `router._def.procedures`. */
export function routerProcedures(): Procedure[] {
  const list: Procedure[] = [];
  for (const service of Object.keys(ROUTERS) as Service[]) {
    const procedures = ROUTERS[service]._def.procedures as Record<string, { _def: { type: Kind } }>;
    for (const [name, procedure] of Object.entries(procedures)) {
      list.push({ service, name, kind: procedure._def.type });
    }
  }
  return list;
}

/**
 * Procedure names per service in docs/procedures.md (first column of the
 * public tables; the users service's internal table is left out, as the
 * gateway never relays it).
 */
export function documentedProcedures(): Record<Service, string[]> {
  const doc = readFileSync(new URL("../../../docs/procedures.md", import.meta.url), "utf8");
  const found: Record<Service, string[]> = { auth: [], users: [], orders: [] };
  let service: Service | null = null;
  for (const line of doc.split("\n")) {
    const heading = /^##+ (.*)$/.exec(line);
    if (heading) {
      const title = heading[1]!.toLowerCase();
      service = title.startsWith("internal")
        ? null
        : ((["auth", "users", "orders"] as const).find((s) => title.startsWith(s)) ?? null);
      continue;
    }
    const row = /^\| `([A-Za-z]+)` \| (query|mutation) \|/.exec(line);
    if (row && service) found[service].push(row[1]!);
  }
  return found;
}

/**
 * A valid input per procedure: the fuzzers start from it and break one thing
 * at a time, so the hostile value reaches the code behind the first check.
 */
export const VALID_INPUTS: Record<Service, Record<string, Record<string, unknown> | undefined>> = {
  auth: {
    login: { username: "user1", password: "password1" },
    refresh: { refreshToken: "not-a-real-refresh-token" },
    logout: { refreshToken: "not-a-real-refresh-token" },
    logoutEverywhere: undefined,
    verify: { token: "a.b.c" },
    sessions: undefined,
    revokeSession: { id: 1 },
    audit: { userId: 2, kind: "login_failed", limit: 10, cursor: 100 },
  },
  users: {
    me: undefined,
    list: { search: "user", limit: 10, offset: 0 },
    create: {
      username: "fuzzed.user",
      password: "password123",
      email: "f@example.com",
      role: "user",
    },
    byId: { id: 2 },
    byUsername: { username: "user1" },
    update: { id: 3, email: "maxim@example.com" },
    changePassword: { currentPassword: "wrong-password", newPassword: "new-password-1" },
    delete: { id: 999 },
  },
  orders: {
    products: undefined,
    create: { items: [{ productId: 1, quantity: 1 }] },
    list: { limit: 10, cursor: "MTA", scope: "mine" },
    byId: { id: 1 },
    updateStatus: { id: 1, status: "cancelled" },
    pay: { orderId: 1, idempotencyKey: "fuzz-key-0001" },
    history: { limit: 10, cursor: "MTA" },
    stats: undefined,
    breakerStatus: undefined,
  },
};
