import type { Role } from "@shop/auth-kit";
import { AppError, type Logger, TIMEOUT_HEADER } from "@shop/kit";
import type { UsersInternalRouter } from "@shop/users/internal-router";
import { createTRPCClient, httpLink, type TRPCClient, TRPCClientError } from "@trpc/client";
import type { ServiceTokenSource } from "./tokens.js";

/** The account behind a correct username and password. */
export interface VerifiedAccount {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  passwordChangedAt: number;
  /** When the account was made, ISO-8601 UTC. */
  createdAt: string;
}

/** An account's current standing, checked before each refresh. */
export interface AccountStatus {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  disabled: boolean;
  passwordChangedAt: number;
  createdAt: string;
}

/** What the request tells the call: its id (propagated) and its logger. */
export interface CallContext {
  requestId: string;
  log: Logger;
}

// The contract's own answers. Any other refusal (say, of our service token) is
// an outage to report, not a wrong password to count against the user.
const BAD_CREDENTIALS = "Invalid username or password";
const DISABLED = "Account disabled";

// The `data` of a tRPC error answer (the kit's ErrorData), if it is one.
function dataOf(error: unknown): { code?: unknown; retryAfterSeconds?: unknown } | undefined {
  return error instanceof TRPCClientError ? error.data : undefined;
}

function codeOf(error: unknown): string | undefined {
  const code = dataOf(error)?.code;
  return typeof code === "string" ? code : undefined;
}

// Users answers SERVICE_UNAVAILABLE with retryAfterSeconds when it dropped a
// password check it could not finish in time: our client should wait as long.
function retryAfterOf(error: unknown): number | undefined {
  if (codeOf(error) !== "SERVICE_UNAVAILABLE") return undefined;
  const seconds = dataOf(error)?.retryAfterSeconds;
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0
    ? Math.ceil(seconds)
    : undefined;
}

function unavailable(error: unknown, call: CallContext, what: string): AppError {
  call.log.warn({ err: error, call: what }, "user service call failed");
  return new AppError("SERVICE_UNAVAILABLE", "User service unavailable", {
    cause: error,
    retryAfterSeconds: retryAfterOf(error),
  });
}

// Whole milliseconds until `deadline` (epoch ms), never negative.
function timeLeft(deadline: unknown): string {
  const ms = typeof deadline === "number" ? deadline - Date.now() : 0;
  return String(Math.max(0, Math.floor(ms)));
}

// The options of one call: it is abandoned after `timeoutMs`, and users is
// told the deadline (as time left when the request leaves, in the header).
function callOptions(call: CallContext, timeoutMs: number) {
  return {
    context: { requestId: call.requestId, deadline: Date.now() + timeoutMs },
    signal: AbortSignal.timeout(timeoutMs),
  };
}

/** How long auth waits for each internal call (see `USER_SERVICE_TIMEOUT_MS`). */
export interface UsersTimeouts {
  /** A password check, which may queue behind other logins' bcrypt work. */
  verifyCredentialsMs: number;
  /** A single-row read before each refresh. */
  accountStatusMs: number;
}

/**
 * Auth's client for the users service's internal API: tRPC over HTTP with
 * auth's service token, the caller's request id, and a hard timeout, so a
 * slow or dead users service becomes a 503, never a hang. Each call tells
 * users its timeout, so work that could not answer in time is not started.
 */
export class UsersClient {
  #client: { url: string; trpc: TRPCClient<UsersInternalRouter> } | null = null;

  constructor(
    private readonly options: {
      /** Read at each call (tests wire auth and users after both listen). */
      baseUrl: () => string;
      timeouts: UsersTimeouts;
      serviceToken: ServiceTokenSource;
    },
  ) {}

  #trpc(): TRPCClient<UsersInternalRouter> {
    const url = `${this.options.baseUrl()}/internal/trpc`;
    if (this.#client?.url !== url) {
      const trpc = createTRPCClient<UsersInternalRouter>({
        links: [
          httpLink({
            url,
            headers: async ({ op }) => ({
              authorization: `Bearer ${await this.options.serviceToken.token()}`,
              "x-request-id": String(op.context.requestId ?? ""),
              // Measured after the token is ready: what is left when the request leaves.
              [TIMEOUT_HEADER]: timeLeft(op.context.deadline),
            }),
          }),
        ],
      });
      this.#client = { url, trpc };
    }
    return this.#client.trpc;
  }

  /**
   * The account for a username and password. UNAUTHORIZED (same message for an
   * unknown user and a wrong password) and FORBIDDEN (disabled) pass through;
   * users' SERVICE_UNAVAILABLE becomes ours with its Retry-After.
   */
  async verifyCredentials(
    input: { username: string; password: string },
    call: CallContext,
  ): Promise<VerifiedAccount> {
    try {
      return await this.#trpc().verifyCredentials.mutate(
        input,
        callOptions(call, this.options.timeouts.verifyCredentialsMs),
      );
    } catch (error) {
      const code = codeOf(error);
      const message = error instanceof Error ? error.message : "";
      if (code === "UNAUTHORIZED" && message === BAD_CREDENTIALS) {
        throw new AppError("UNAUTHORIZED", BAD_CREDENTIALS);
      }
      if (code === "FORBIDDEN" && message === DISABLED) throw new AppError("FORBIDDEN", DISABLED);
      throw unavailable(error, call, "verifyCredentials");
    }
  }

  /** The account's standing, or null when it no longer exists. */
  async accountStatus(userId: number, call: CallContext): Promise<AccountStatus | null> {
    try {
      return await this.#trpc().accountStatus.query(
        { userId },
        callOptions(call, this.options.timeouts.accountStatusMs),
      );
    } catch (error) {
      if (codeOf(error) === "NOT_FOUND") return null;
      throw unavailable(error, call, "accountStatus");
    }
  }
}
