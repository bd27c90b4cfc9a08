import { createTestIssuer, type MintOptions, type TestIssuer } from "@shop/auth-kit/testing";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { UsersInternalRouter } from "../internal-router.js";
import type { UsersRouter } from "../router.js";
import { startUsersForTest, type UsersForTest, type UsersTestOptions } from "../testing.js";

/** The seeded accounts' ids on a fresh database. */
export const SEEDED = { admin: 1, user1: 2, maxim: 3 } as const;

/** A users service with a test issuer in front of it, and typed clients for it. */
export interface Harness {
  issuer: TestIssuer;
  users: UsersForTest;
  /** A public-API client carrying `token` (or none). */
  client(token?: string, headers?: Record<string, string>): ReturnType<typeof publicClient>;
  /** An access token for a seeded or created user. */
  tokenFor(id: number, username: string, o?: MintOptions): Promise<string>;
  admin: ReturnType<typeof publicClient>;
  user1: ReturnType<typeof publicClient>;
  /** An internal-API client carrying auth's service token (or `token`), and `headers`. */
  internal(
    token?: string,
    headers?: Record<string, string>,
  ): Promise<ReturnType<typeof internalClient>>;
  close(): Promise<void>;
}

function publicClient(url: string, token?: string, headers: Record<string, string> = {}) {
  return createTRPCClient<UsersRouter>({
    links: [
      httpLink({
        url: `${url}/trpc/users`,
        headers: () => (token ? { ...headers, authorization: `Bearer ${token}` } : headers),
      }),
    ],
  });
}

function internalClient(url: string, token?: string, headers: Record<string, string> = {}) {
  return createTRPCClient<UsersInternalRouter>({
    links: [
      httpLink({
        url: `${url}/internal/trpc`,
        headers: () => (token ? { ...headers, authorization: `Bearer ${token}` } : headers),
      }),
    ],
  });
}

/** Starts a test issuer and a users service on a fresh temp database. */
export async function startHarness(options: Partial<UsersTestOptions> = {}): Promise<Harness> {
  const issuer = await createTestIssuer();
  const users = await startUsersForTest({
    jwksUrl: issuer.jwksUrl,
    issuer: issuer.issuer,
    ...options,
  });
  const tokenFor = (id: number, username: string, o: MintOptions = {}) =>
    issuer.mintAccess({ sub: String(id), username, role: "user", ...o });
  return {
    issuer,
    users,
    client: (token, headers) => publicClient(users.url, token, headers),
    tokenFor,
    admin: publicClient(users.url, await tokenFor(SEEDED.admin, "admin", { role: "admin" })),
    user1: publicClient(users.url, await tokenFor(SEEDED.user1, "user1")),
    internal: async (token, headers) =>
      internalClient(users.url, token ?? (await issuer.mintService()), headers),
    async close() {
      await users.close();
      await issuer.close();
    },
  };
}

/** The tRPC error code of a failed call (e.g. "FORBIDDEN"), or "OK" when it succeeded. */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCClientError) return String(error.data?.code ?? error.message);
    throw error;
  }
}

/** Resolves with the error a call failed with. */
export async function errorOf(call: Promise<unknown>): Promise<TRPCClientError<UsersRouter>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<UsersRouter>;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** Creates a user through the admin client and returns it with a client signed in as it. */
export async function newUser(
  h: Harness,
  username: string,
  role: "admin" | "user" = "user",
  password = "a-long-password",
) {
  const user = await h.admin.create.mutate({ username, password, role });
  const token = await h.tokenFor(user.id, username, { role });
  return { user, client: h.client(token), password };
}
