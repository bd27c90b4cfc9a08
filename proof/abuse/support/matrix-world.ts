import { randomUUID } from "node:crypto";
import { type Answer, send } from "./http.js";
import { type AbuseStack, SEEDED } from "./stack.js";

/** Who calls: nobody, the owner of the data (user A), another user (B), an administrator. */
export const CALLERS = ["anonymous", "user", "other", "admin"] as const;
export type CallerName = (typeof CALLERS)[number];

/** An account the matrix signs in as. */
export interface Account {
  id: number;
  username: string;
  password: string;
  /** Access token from a real login. */
  token: string;
}

/** What an outcome is read as: allowed, or the tRPC code of the refusal. */
export type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | `HTTP ${number}`;

const CODE_BY_STATUS: Record<number, Outcome> = {
  200: "ok",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
};

export function outcomeOf(answer: Answer): Outcome {
  return CODE_BY_STATUS[answer.status] ?? `HTTP ${answer.status}`;
}

type Json = { result?: { data?: unknown }; error?: { message: string } };

/** One tRPC call (GET ?input= for a query, POST JSON for a mutation) on `base`. */
export async function call(
  base: string,
  service: string,
  name: string,
  kind: "query" | "mutation",
  input: unknown,
  token?: string,
): Promise<Answer & { data: unknown }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  // An empty service names the users service's internal router (base ends in /internal).
  const path = service ? `/trpc/${service}/${name}` : `/trpc/${name}`;
  const text = input === undefined ? undefined : JSON.stringify(input);
  const answer =
    kind === "query"
      ? await send(base, {
          method: "GET",
          path: text ? `${path}?input=${encodeURIComponent(text)}` : path,
          headers,
        })
      : await send(base, {
          method: "POST",
          path,
          headers: { ...headers, "content-type": "application/json" },
          body: text,
        });
  return { ...answer, data: (answer.json as Json | undefined)?.result?.data };
}

/** The matrix's data: A owns orders, B is someone else, the seeded admin administers. */
export class MatrixWorld {
  accounts = {} as Record<Exclude<CallerName, "anonymous">, Account>;

  constructor(readonly stack: AbuseStack) {}

  private async must(
    service: string,
    name: string,
    kind: "query" | "mutation",
    input: unknown,
    token?: string,
  ) {
    const answer = await call(
      this.stack.urls[service as "auth"],
      service,
      name,
      kind,
      input,
      token,
    );
    if (answer.status !== 200)
      throw new Error(`${service}.${name} setup failed: ${answer.status} ${answer.text}`);
    return answer.data as Record<string, unknown>;
  }

  /** Logs in through auth; returns the access token, refresh token and session id. */
  async login(account: { username: string; password: string }) {
    const pair = await this.must("auth", "login", "mutation", account);
    const token = pair.accessToken as string;
    const { sessions } = (await this.must("auth", "sessions", "query", undefined, token)) as {
      sessions: Array<{ id: number; current: boolean }>;
    };
    const session = sessions.find((s) => s.current);
    return { token, refreshToken: pair.refreshToken as string, sessionId: session?.id ?? 0 };
  }

  async setUp(): Promise<void> {
    const admin = await this.login(SEEDED.admin);
    this.accounts.admin = { ...SEEDED.admin, token: admin.token };
    for (const name of ["user", "other"] as const) {
      const account = await this.createUser(`matrix-${name}`);
      this.accounts[name] = { ...account, token: (await this.login(account)).token };
    }
  }

  /** A fresh user account (created by the admin). */
  async createUser(prefix = "matrix") {
    const username = `${prefix}-${randomUUID().slice(0, 8)}`;
    const password = "matrix-password-1";
    const user = await this.must(
      "users",
      "create",
      "mutation",
      { username, password, email: `${username}@example.com` },
      this.accounts.admin.token,
    );
    return { id: user.id as number, username, password };
  }

  /** A fresh pending order of user A. */
  async orderOfA(): Promise<number> {
    const order = await this.must(
      "orders",
      "create",
      "mutation",
      { items: [{ productId: 1, quantity: 1 }] },
      this.accounts.user.token,
    );
    return order.id as number;
  }

  /** Reads as the admin (to check that a refused write changed nothing). */
  async adminRead(service: string, name: string, input: unknown) {
    return this.must(service, name, "query", input, this.accounts.admin.token);
  }
}
