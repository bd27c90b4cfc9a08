import type { Role } from "@shop/auth-kit";
import { AppError, type Logger } from "@shop/kit";
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
}

/** An account's current standing, checked before each refresh. */
export interface AccountStatus {
  id: number;
  username: string;
  /** Not in the internal contract yet; passed through when the users service sends it. */
  email?: string | null;
  role: Role;
  disabled: boolean;
  passwordChangedAt: number;
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

function codeOf(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as { code?: unknown } | undefined;
  return typeof data?.code === "string" ? data.code : undefined;
}

function unavailable(error: unknown, call: CallContext, what: string): AppError {
  call.log.warn({ err: error, call: what }, "user service call failed");
  return new AppError("SERVICE_UNAVAILABLE", "User service unavailable", { cause: error });
}

/**
 * Auth's client for the users service's internal API: tRPC over HTTP with
 * auth's service token, the caller's request id, and a hard timeout, so a
 * slow or dead users service becomes a 503, never a hang.
 */
export class UsersClient {
  #client: { url: string; trpc: TRPCClient<UsersInternalRouter> } | null = null;

  constructor(
    private readonly options: {
      /** Read at each call (tests wire auth and users after both listen). */
      baseUrl: () => string;
      timeoutMs: number;
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
   * unknown user and a wrong password) and FORBIDDEN (disabled) pass through.
   */
  async verifyCredentials(
    input: { username: string; password: string },
    call: CallContext,
  ): Promise<VerifiedAccount> {
    try {
      return await this.#trpc().verifyCredentials.mutate(input, {
        context: { requestId: call.requestId },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
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
        {
          context: { requestId: call.requestId },
          signal: AbortSignal.timeout(this.options.timeoutMs),
        },
      );
    } catch (error) {
      if (codeOf(error) === "NOT_FOUND") return null;
      throw unavailable(error, call, "accountStatus");
    }
  }
}
