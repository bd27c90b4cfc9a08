import { type TRPCClient, TRPCClientError } from "@trpc/client";
import { type AnyRouter, createTRPCRecursiveProxy } from "@trpc/server";
import type { TRPCErrorResponse } from "@trpc/server/rpc";

/** One buffered call as a {@link wireClient} sends it. */
export interface WireRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The call's own timeout, when it set one (see {@link wireCall}). */
  timeoutMs?: number;
}

/** Sends one call over whatever pool the caller keeps; throws when nothing answered. */
export type WireSend = (request: WireRequest) => Promise<{ status: number; body: string }>;

/** The options of one typed call, as {@link wireCall} builds them. */
export interface WireCallOptions {
  context?: { headers?: Record<string, string>; timeoutMs?: number };
}

/** Options of one call: its headers (token, request id, …) and, if any, its timeout. */
export function wireCall(headers: Record<string, string>, timeoutMs?: number): WireCallOptions {
  return { context: { headers, timeoutMs } };
}

/** A service answered without a tRPC body (a 431 or 414 from its HTTP layer, say). */
export class NonTrpcAnswer extends Error {
  override readonly name = "NonTrpcAnswer";
  constructor(readonly status: number) {
    super(`The service answered ${status} without a tRPC body`);
  }
}

const JSON_HEADERS = { "content-type": "application/json" };

async function callService(
  send: WireSend,
  endpoint: string,
  call: { type: "query" | "mutation"; path: string; input: unknown; options?: WireCallOptions },
): Promise<unknown> {
  const path = `${endpoint}/${call.path}`;
  const input = call.input === undefined ? undefined : JSON.stringify(call.input);
  const headers = call.options?.context?.headers ?? {};
  const timeoutMs = call.options?.context?.timeoutMs;
  let response: { status: number; body: string };
  try {
    response = await send(
      call.type === "query"
        ? {
            method: "GET",
            path: input === undefined ? path : `${path}?input=${encodeURIComponent(input)}`,
            headers,
            timeoutMs,
          }
        : {
            method: "POST",
            path,
            headers: { ...JSON_HEADERS, ...headers },
            body: input ?? "",
            timeoutMs,
          },
    );
  } catch (cause) {
    throw TRPCClientError.from(cause as Error, { cause: cause as Error });
  }
  let json: { result?: { data: unknown }; error?: unknown };
  try {
    json = JSON.parse(response.body);
  } catch {
    const cause = new NonTrpcAnswer(response.status);
    throw TRPCClientError.from(cause, { cause });
  }
  if (json.error !== undefined || json.result === undefined) {
    throw TRPCClientError.from(json as TRPCErrorResponse);
  }
  return json.result.data;
}

/**
 * A typed client of one service for hot paths between processes: the same
 * `client.procedure.query(input, wireCall(headers))` surface as
 * @trpc/client's, typed by the service's router, in tRPC's HTTP wire format
 * (`GET ?input=` for a query, a JSON body for a mutation, no batching), and
 * failures are TRPCClientErrors as @trpc/client's links make them. Each call
 * is one promise over the caller's keep-alive pool, without the link chain's
 * observables, fetch's Request and Response, and a per-call AbortSignal.
 */
export function wireClient<TRouter extends AnyRouter>(
  send: WireSend,
  endpoint: string,
): TRPCClient<TRouter> {
  return createTRPCRecursiveProxy(({ path, args }) => {
    const method = path.at(-1);
    if (method !== "query" && method !== "mutate") {
      throw new TypeError(`Unsupported call ${path.join(".")}: use .query() or .mutate()`);
    }
    const [input, options] = args as [unknown, WireCallOptions | undefined];
    return callService(send, endpoint, {
      type: method === "query" ? "query" : "mutation",
      path: path.slice(0, -1).join("."),
      input,
      options,
    });
  }) as TRPCClient<TRouter>;
}
