import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One route of the gateway's REST surface (CONTRACT.md). */
export interface RestRoute {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** As CONTRACT.md writes it, with `:id` / `:username` placeholders. */
  path: string;
  /** Needs `Authorization: Bearer`. */
  protected: boolean;
  /** A valid body the fuzzer breaks one field at a time. */
  body?: Record<string, unknown>;
  /** Query parameters the route reads. */
  query?: readonly string[];
}

/** Every route of CONTRACT.md (the test checks the list against the document when it is at hand). */
export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: "POST",
    path: "/gateway/auth/login",
    protected: false,
    body: { username: "user1", password: "password1" },
  },
  { method: "POST", path: "/gateway/auth/verify", protected: false, body: { token: "a.b.c" } },
  {
    method: "POST",
    path: "/gateway/auth/refresh",
    protected: false,
    body: { refresh_token: "unknown-token" },
  },
  {
    method: "POST",
    path: "/gateway/auth/logout",
    protected: false,
    body: { refresh_token: "unknown-token" },
  },
  { method: "GET", path: "/gateway/users/profile", protected: true },
  { method: "GET", path: "/gateway/users", protected: true, query: ["search", "limit", "offset"] },
  {
    method: "POST",
    path: "/gateway/users",
    protected: true,
    body: { username: "rest.fuzz", password: "password123", email: "r@example.com", role: "user" },
  },
  { method: "GET", path: "/gateway/users/:id", protected: true },
  { method: "GET", path: "/gateway/users/by-username/:username", protected: true },
  { method: "PUT", path: "/gateway/users/:id", protected: true, body: { email: "m@example.com" } },
  { method: "DELETE", path: "/gateway/users/:id", protected: true },
  { method: "GET", path: "/gateway/products", protected: true },
  {
    method: "POST",
    path: "/gateway/orders",
    protected: true,
    body: { product_id: 1, quantity: 1, price: 0.01 },
  },
  { method: "GET", path: "/gateway/orders", protected: true, query: ["limit", "cursor"] },
  { method: "GET", path: "/gateway/orders/:id", protected: true },
  { method: "PUT", path: "/gateway/orders/:id", protected: true, body: { status: "cancelled" } },
  { method: "POST", path: "/gateway/orders/:id/pay", protected: true },
  { method: "GET", path: "/gateway/orders/history", protected: true, query: ["limit", "cursor"] },
  { method: "GET", path: "/gateway/orders/stats", protected: true },
  { method: "GET", path: "/gateway/payments/status", protected: true },
];

/** CONTRACT.md, where docs/procedures.md says it is (beside the repository), if it is there. */
export function contractRoutes(): string[] | null {
  const path = fileURLToPath(new URL("../../../../shared/CONTRACT.md", import.meta.url));
  if (!existsSync(path)) return null;
  const routes: string[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const row = /^\| (GET|POST|PUT|DELETE) (\/gateway\/\S+) \|/.exec(line);
    if (row) routes.push(`${row[1]} ${row[2]}`);
  }
  return routes;
}
