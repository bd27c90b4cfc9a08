import { type Caller, INVALID_TOKEN_MESSAGE, type TokenError } from "@shop/auth-kit";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { AppError } from "./errors.js";
import type { Logger } from "./logger.js";

/** What every procedure of every service gets, before the service's own dependencies. */
export interface BaseContext {
  requestId: string;
  log: Logger;
  /** The verified caller, or null when no valid bearer token came with the request. */
  caller: Caller | null;
  /** Why the bearer token was refused, when one was sent and refused. */
  authError: TokenError | null;
  /** The client's address (see clientAddress). */
  clientAddress: string;
  /** Request headers, read-only. */
  headers: Headers;
  /** Response headers a procedure may add to (for example Set-Cookie). */
  resHeaders: Headers;
}

/** A service's context: the base plus its dependencies (database, config, clients). */
export type ServiceContext<Deps> = BaseContext & { deps: Deps };

/** The JSON body of a tRPC error, as every client (and the gateway) sees it. */
export interface ErrorData {
  code: string;
  httpStatus: number;
  path?: string;
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
  issues?: Array<{ path: string; message: string }>;
}

function zodMessage(error: ZodError): string {
  const first = error.issues[0];
  if (!first) return "Invalid input";
  const path = first.path.join(".");
  return path ? `Invalid input: ${path}: ${first.message}` : `Invalid input: ${first.message}`;
}

/**
 * One tRPC init for every service (the soa pattern): the error formatter, the
 * AppError mapping, and the public / protected / admin procedures.
 */
export function createServiceTRPC<Deps>() {
  const t = initTRPC.context<ServiceContext<Deps>>().create({
    isDev: false,
    errorFormatter({ shape, error }): { code: number; message: string; data: ErrorData } {
      const cause = error.cause;
      const appError = error instanceof AppError ? error : undefined;
      const data: ErrorData = {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
      };
      let message = shape.message;
      if (appError) {
        if (appError.retryAfterSeconds !== undefined) {
          data.retryAfterSeconds = appError.retryAfterSeconds;
        }
        if (appError.details) data.details = appError.details;
      } else if (cause instanceof ZodError) {
        message = zodMessage(cause);
        data.issues = cause.issues
          .slice(0, 20)
          .map((i) => ({ path: i.path.join("."), message: i.message }));
      } else if (error.code === "INTERNAL_SERVER_ERROR") {
        // Never leak internals (SQL, stack, file paths): they are logged, not sent.
        message = "Internal server error";
      }
      return { code: shape.code, message, data };
    },
  });

  // Domain code throws AppError, itself a TRPCError with the matching code.
  const publicProcedure = t.procedure;

  const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
    if (!ctx.caller) {
      if (!ctx.authError)
        throw new TRPCError({ code: "UNAUTHORIZED", message: "Authentication required" });
      // Which check failed would teach someone crafting tokens: it is logged, not sent.
      ctx.log.info({ reason: ctx.authError.reason }, "access token refused");
      throw new TRPCError({
        code: "UNAUTHORIZED",
        message: INVALID_TOKEN_MESSAGE,
        cause: ctx.authError,
      });
    }
    // tRPC merges this into the context; only the narrowed caller needs passing.
    return next({ ctx: { caller: ctx.caller } });
  });

  const adminProcedure = protectedProcedure.use(({ ctx, next, path }) => {
    if (ctx.caller.role !== "admin") {
      ctx.log.warn(
        { event: "authorization_denied", userId: ctx.caller.id, path },
        "admin procedure denied",
      );
      throw new TRPCError({ code: "FORBIDDEN", message: "Administrator role required" });
    }
    return next();
  });

  return {
    router: t.router,
    mergeRouters: t.mergeRouters,
    createCallerFactory: t.createCallerFactory,
    middleware: t.middleware,
    publicProcedure,
    protectedProcedure,
    adminProcedure,
  };
}
