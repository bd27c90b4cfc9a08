import { getConnInfo } from "@hono/node-server/conninfo";
import { trpcServer } from "@hono/trpc-server";
import { type AccessVerifier, bearerToken, type Caller, TokenError } from "@shop/auth-kit";
import {
  type AnyProcedure,
  type AnyRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type TRPCError,
  transformTRPCResponse,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import type { TRPCResponse } from "@trpc/server/rpc";
import type { Context as MiddlewareContext, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { clientAddress, LOOPBACK } from "./client-address.js";
import { AppError } from "./errors.js";
import type { ServiceEnv } from "./middleware.js";
import type { BaseContext } from "./trpc.js";

/** Options of {@link trpcRoute}. */
export interface TrpcRouteOptions<Deps> {
  /** Where the router is mounted, e.g. `/trpc/orders`. */
  endpoint: string;
  router: AnyRouter;
  deps: Deps;
  /** Verifies bearer tokens; every service checks them itself. */
  verifier: AccessVerifier;
  /** Peers whose `x-forwarded-for` is believed. */
  trustedProxies?: ReadonlySet<string>;
  /** Most procedure calls one batched request may carry. */
  maxBatchSize?: number;
  /**
   * Answer single GET queries without tRPC's fetch adapter (default true);
   * false sends every request through the adapter, to compare the two.
   */
  singleQueryFastPath?: boolean;
}

type AnyProcedureCall = Parameters<typeof callTRPCProcedure>[0];
type ServiceContext = MiddlewareContext<ServiceEnv>;

/**
 * Mounts a service router on Hono. The context carries the verified caller:
 * the token is read only from `Authorization: Bearer`, and identity headers
 * such as `x-user-id` are never looked at.
 *
 * A single GET query, the hot path of every read, is answered by
 * {@link singleQuery} without building fetch Request and Response objects;
 * everything else (batches, mutations, unknown paths, unreadable input) goes
 * through tRPC's fetch adapter. Both answer alike, byte for byte (tested).
 */
export function trpcRoute<Deps>(options: TrpcRouteOptions<Deps>): MiddlewareHandler<ServiceEnv> {
  const trusted = options.trustedProxies ?? LOOPBACK;

  async function createContext(
    c: ServiceContext,
    headers: Headers,
    resHeaders: Headers,
  ): Promise<BaseContext & { deps: Deps }> {
    let caller: Caller | null = null;
    let authError: TokenError | null = null;
    const token = bearerToken(headers.get("authorization"));
    if (token) {
      try {
        caller = await options.verifier.verify(token);
      } catch (error) {
        authError =
          error instanceof TokenError ? error : new TokenError("malformed", "Token is invalid");
      }
    }
    return {
      requestId: c.var.requestId,
      log: c.var.log,
      caller,
      authError,
      clientAddress: clientAddress(
        getConnInfo(c).remote.address,
        headers.get("x-forwarded-for"),
        trusted,
      ),
      headers,
      resHeaders,
      deps: options.deps,
    };
  }

  function logFailure(error: TRPCError, path: string | undefined, ctx: unknown) {
    if (error.code === "INTERNAL_SERVER_ERROR") {
      const log = (ctx as BaseContext | undefined)?.log;
      log?.error({ err: error.cause ?? error, path }, "procedure failed");
    }
  }

  const adapter = trpcServer({
    router: options.router,
    endpoint: options.endpoint,
    maxBatchSize: options.maxBatchSize ?? 10,
    createContext: async ({ req, resHeaders }, c) =>
      (await createContext(c, req.headers, resHeaders)) as unknown as Record<string, unknown>,
    responseMeta: ({ errors, info }) => ({ headers: metaHeaders(errors, info !== undefined) }),
    onError: ({ error, path, ctx }) => logFailure(error, path, ctx),
  });

  const config = options.router._def._config;
  const procedures = options.router._def.procedures as Record<string, AnyProcedure | undefined>;
  const prefix = `${options.endpoint}/`;

  /** The hot path; undefined when the request is not a plain single query. */
  async function singleQuery(c: ServiceContext): Promise<Response | undefined> {
    const path = c.req.path.startsWith(prefix) ? c.req.path.slice(prefix.length) : "";
    const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
    if (procedure?._def.type !== "query") return undefined;
    const query = c.req.queries();
    if (Object.keys(query).some((key) => key !== "input") || (query.input?.length ?? 0) > 1) {
      return undefined;
    }
    const headers = c.req.raw.headers;
    if (headers.has("trpc-accept") || headers.get("accept") === "application/jsonl") {
      return undefined;
    }
    let input: unknown;
    const rawInput = query.input?.[0];
    if (rawInput !== undefined) {
      try {
        input = JSON.parse(rawInput);
      } catch {
        return undefined;
      }
    }
    input = config.transformer.input.deserialize(input);

    const resHeaders = new Headers();
    const ctx = await createContext(c, headers, resHeaders);
    const call: AnyProcedureCall = {
      router: options.router,
      path,
      getRawInput: async () => input,
      ctx,
      type: "query",
      signal: undefined,
      batchIndex: 0,
    };
    let json: TRPCResponse;
    const errors: TRPCError[] = [];
    try {
      json = { result: { data: await callTRPCProcedure(call) } };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      errors.push(error);
      logFailure(error, path, ctx);
      json = { error: getTRPCErrorShape({ config, error, type: "query", path, input, ctx }) };
    }
    const response: Record<string, string | string[]> = {
      vary: "trpc-accept, accept",
      "content-type": "application/json",
      ...metaHeaders(errors, true),
    };
    for (const [name, value] of resHeaders) {
      const previous = response[name];
      response[name] = previous === undefined ? value : [previous, value].flat();
    }
    const body = JSON.stringify(transformTRPCResponse(config, json));
    return c.body(body, getHTTPStatusCode(json) as ContentfulStatusCode, response);
  }

  return async (c, next) => {
    if (c.req.method === "GET" && options.singleQueryFastPath !== false) {
      const answered = await singleQuery(c);
      if (answered) return answered;
    }
    return adapter(c, next);
  };
}

/** Headers every tRPC answer carries, from its errors. */
function metaHeaders(errors: readonly TRPCError[], understood: boolean): Record<string, string> {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  // A request tRPC could not even read (an unsupported content type, say)
  // gets a JSON error body without a content type, which fetch's Response
  // then labels text/plain. Label it JSON, as every other answer is.
  if (!understood) headers["content-type"] = "application/json";
  for (const error of errors) {
    if (error.code === "UNAUTHORIZED") headers["www-authenticate"] = "Bearer";
    if (error instanceof AppError && error.retryAfterSeconds !== undefined) {
      headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
    }
  }
  return headers;
}
