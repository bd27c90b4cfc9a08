import { type Client, createClient } from "@libsql/client";
import type { UsersRouter } from "@shop/users/router";
import { SEEDED } from "@shop/users/testing";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { AuthRouter } from "../router.js";
import { type AuthForTest, type AuthTestOptions, startAuthForTest } from "../testing.js";

/** The seeded demo accounts (ids and passwords), as the users service seeds them. */
export { SEEDED };

export type AuthClient = ReturnType<typeof authClient>;

/** A typed client for auth's router, as any non-browser caller would use it. */
export function authClient(baseUrl: string, headers: Record<string, string> = {}) {
  return createTRPCClient<AuthRouter>({
    links: [httpLink({ url: `${baseUrl}/trpc/auth`, headers })],
  });
}

export interface Harness extends AuthForTest {
  client(headers?: Record<string, string>): AuthClient;
  /** A client carrying `accessToken` as a bearer token. */
  as(accessToken: string): AuthClient;
  /** Logs a seeded user in (no Origin: tokens in the body). */
  login(user?: { username: string; password: string }): ReturnType<AuthClient["login"]["mutate"]>;
  /** A raw tRPC POST, for headers and cookies. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, input: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The users service's public API as the seeded admin (to disable, delete, re-password). */
  usersAdmin(): Promise<ReturnType<typeof createTRPCClient<UsersRouter>>>;
  /** A second connection to auth's database file, to inspect or age rows. */
  sql: Client;
}

export async function startHarness(options: AuthTestOptions = {}): Promise<Harness> {
  const auth = await startAuthForTest(options);
  const client = (headers?: Record<string, string>) => authClient(auth.url, headers);
  const sql = createClient({ url: auth.config.databaseUrl });
  const close = auth.close;
  return Object.assign(auth, {
    sql,
    async close() {
      sql.close();
      await close();
    },
    async usersAdmin() {
      const { accessToken } = await client().login.mutate(SEEDED.admin);
      return createTRPCClient<UsersRouter>({
        links: [
          httpLink({
            url: `${auth.users!.url}/trpc/users`,
            headers: { authorization: `Bearer ${accessToken}` },
          }),
        ],
      });
    },
    client,
    as: (accessToken: string) => client({ authorization: `Bearer ${accessToken}` }),
    login: (user: { username: string; password: string } = SEEDED.user1) =>
      client().login.mutate({ username: user.username, password: user.password }),
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${auth.url}/trpc/auth/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      }),
    get: (path: string, input: unknown, headers: Record<string, string> = {}) =>
      fetch(`${auth.url}/trpc/auth/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
        headers,
      }),
  });
}

/** The tRPC error a promise rejects with. */
export async function errorOf(promise: Promise<unknown>): Promise<TRPCClientError<AuthRouter>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AuthRouter>;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** The tRPC error code a promise rejects with. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return (await errorOf(promise)).data?.code;
}
