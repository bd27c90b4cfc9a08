import {
  AppError,
  deadlineFromTimeoutHeader,
  type Logger,
  TIMEOUT_HEADER,
  type WireSend,
  wireCall,
  wireClient,
} from "@shop/kit";
import type { UsersInternalRouter } from "@shop/users/internal-router";
import { type TRPCClient, TRPCClientError } from "@trpc/client";
import { Pool } from "undici";
import type { ServiceTokenSource } from "./tokens.js";
import {
  type AccountStatus,
  accountStatusSchema,
  type VerifiedAccount,
  verifiedAccountSchema,
} from "./users-answers.js";

/**
 * What the request tells the call: its id (propagated), its logger, and its
 * headers, whose `x-timeout-ms` (set by the gateway) says how long auth's
 * own caller will wait.
 */
export interface CallContext {
  requestId: string;
  log: Logger;
  headers?: Pick<Headers, "get">;
}

/**
 * Time auth keeps for itself after users answers (the session's commit and
 * the signature) out of what its caller said it will wait.
 */
export const REPLY_MARGIN_MS = 100;

/**
 * When auth's caller stops waiting (epoch ms), from its `x-timeout-ms`, less
 * {@link REPLY_MARGIN_MS}; null without a well-formed header (then auth's own
 * timeouts alone bound the call).
 */
function callerDeadline(call: CallContext, now: number): number | null {
  const header = call.headers?.get(TIMEOUT_HEADER) ?? null;
  if (header === null) return null;
  const deadline = deadlineFromTimeoutHeader(header, now);
  return deadline === null ? null : deadline - REPLY_MARGIN_MS;
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
  #client: { url: string; pool: Pool; trpc: TRPCClient<UsersInternalRouter> } | null = null;

  constructor(
    private readonly options: {
      /** Read at each call (tests wire auth and users after both listen). */
      baseUrl: () => string;
      timeouts: UsersTimeouts;
      serviceToken: ServiceTokenSource;
    },
  ) {}

  // Calls go over a keep-alive pool with tRPC's wire format (the kit's
  // wireClient): a login's call costs neither fetch's Request, Response and
  // streams nor an AbortSignal. A pool without a connection limit never
  // queues a call, so the timeouts below bound the whole exchange.
  #trpc(): TRPCClient<UsersInternalRouter> {
    const base = this.options.baseUrl();
    if (this.#client?.url !== base) {
      void this.#client?.pool.close();
      const url = new URL(base);
      const { verifyCredentialsMs, accountStatusMs } = this.options.timeouts;
      const pool = new Pool(url.origin, {
        keepAliveTimeout: 10_000,
        connect: { timeout: Math.max(verifyCredentialsMs, accountStatusMs) },
      });
      const send: WireSend = async (request) => {
        const response = await pool.request({
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: request.body ?? null,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        });
        return { status: response.statusCode, body: await response.body.text() };
      };
      const endpoint = `${url.pathname.replace(/\/$/, "")}/internal/trpc`;
      this.#client = { url: base, pool, trpc: wireClient<UsersInternalRouter>(send, endpoint) };
    }
    return this.#client.trpc;
  }

  /**
   * One call's options: auth's service token, the request id, and the time
   * left once the token is ready, of `timeoutMs` or of what auth's caller
   * will wait if that is shorter, sent to users (so it can drop work nobody
   * will wait for) and used as the call's own timeout.
   */
  async #options(call: CallContext, timeoutMs: number) {
    const now = Date.now();
    const deadline = Math.min(
      now + timeoutMs,
      callerDeadline(call, now) ?? Number.POSITIVE_INFINITY,
    );
    const token = await this.options.serviceToken.token();
    // At least 1 ms: undici reads a zero timeout as none at all.
    const left = Math.max(1, Math.floor(deadline - Date.now()));
    return wireCall(
      {
        authorization: `Bearer ${token}`,
        "x-request-id": call.requestId,
        [TIMEOUT_HEADER]: String(left),
      },
      left,
    );
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    await this.#client?.pool.close();
    this.#client = null;
  }

  /**
   * The account for a username and password. UNAUTHORIZED (same message for an
   * unknown user and a wrong password) and FORBIDDEN (disabled) pass through;
   * users' SERVICE_UNAVAILABLE becomes ours with its Retry-After; an answer
   * missing a field (see users-answers.ts) is users unavailable too.
   */
  async verifyCredentials(
    input: { username: string; password: string },
    call: CallContext,
  ): Promise<VerifiedAccount> {
    try {
      const answer = await this.#trpc().verifyCredentials.mutate(
        input,
        await this.#options(call, this.options.timeouts.verifyCredentialsMs),
      );
      return verifiedAccountSchema.parse(answer);
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

  /**
   * The account's standing, or null when it no longer exists. An answer missing
   * a field is users unavailable: never a reason to end the session.
   */
  async accountStatus(userId: number, call: CallContext): Promise<AccountStatus | null> {
    try {
      const answer = await this.#trpc().accountStatus.query(
        { userId },
        await this.#options(call, this.options.timeouts.accountStatusMs),
      );
      return accountStatusSchema.parse(answer);
    } catch (error) {
      if (codeOf(error) === "NOT_FOUND") return null;
      throw unavailable(error, call, "accountStatus");
    }
  }
}
