import { TRPCClientError, type TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";
import type { TRPCErrorResponse } from "@trpc/server/rpc";
import type { Upstream } from "../upstream/upstream.js";
import { NonTrpcAnswer } from "./errors.js";

/** Headers a REST call passes on to the service: the caller's token, request id, address. */
export type ForwardHeaders = Record<string, string>;

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * A terminating link for @trpc/client that speaks tRPC's HTTP wire format
 * (`GET ?input=` for queries, a JSON body for mutations, no batching) straight
 * over the upstream's balanced keep-alive pools, with the per-request headers
 * from the call's context. It replaces httpLink on the gateway's hot REST path:
 * no fetch Request/Response objects and no abort plumbing per call.
 */
export function upstreamLink<TRouter extends AnyRouter>(
  upstream: Upstream,
  endpoint: string,
): TRPCLink<TRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        if (op.type === "subscription") {
          observer.error(TRPCClientError.from(new Error("Subscriptions are not relayed")));
          return;
        }
        const forward = (op.context.forward ?? {}) as ForwardHeaders;
        const path = `${endpoint}/${op.path}`;
        const input = op.input === undefined ? undefined : JSON.stringify(op.input);
        const request =
          op.type === "query"
            ? {
                method: "GET" as const,
                path: input === undefined ? path : `${path}?input=${encodeURIComponent(input)}`,
                headers: forward,
              }
            : {
                method: "POST" as const,
                path,
                headers: { ...JSON_HEADERS, ...forward },
                body: input ?? "",
              };
        upstream
          .send(request)
          .then((response) => {
            let json: { result?: { data: unknown }; error?: unknown };
            try {
              json = JSON.parse(response.body);
            } catch {
              const cause = new NonTrpcAnswer(response.status);
              observer.error(TRPCClientError.from(cause, { cause }));
              return;
            }
            if (json.error !== undefined || json.result === undefined) {
              observer.error(TRPCClientError.from(json as TRPCErrorResponse));
              return;
            }
            observer.next({ result: { type: "data", data: json.result.data } });
            observer.complete();
          })
          .catch((cause: Error) => observer.error(TRPCClientError.from(cause, { cause })));
      });
}
