import type { IncomingMessage, ServerResponse } from "node:http";
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
import { JsonText } from "./json-text.js";
import type { Logger } from "./logger.js";
import { RequestHeaders } from "./request-headers.js";
import { elapsedMs, logAccess, requestIdFrom } from "./request-log.js";
import { SERVICE_SECURITY_HEADERS } from "./security-headers.js";
import type { NodeRoute } from "./server.js";
import { logFailure, metaHeaders, type RequestFacts } from "./trpc-context.js";

type AnyProcedureCall = Parameters<typeof callTRPCProcedure>[0];

// A procedure path as tRPC writes it: names joined by dots. Anything else
// (percent-escapes, a comma-separated batch) is left to the adapter.
const PROCEDURE_PATH = /^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$/;

/**
 * The hot path of every read: a plain single GET query, answered on the raw
 * node:http request without building a fetch Request, a Hono context or a
 * Response. It writes what the Hono app would (request id, security headers,
 * access-log line) and answers exactly as tRPC's fetch adapter does, byte for
 * byte (tested). It declines, synchronously, anything else: batches,
 * mutations, unknown paths, streaming, unreadable input.
 */
export function singleQueryRoute(options: {
  endpoint: string;
  router: AnyRouter;
  log: Logger;
  createContext: (request: RequestFacts) => Promise<unknown>;
}): NodeRoute {
  const { router, log } = options;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyProcedure | undefined>;
  const prefix = `${options.endpoint}/`;
  // A JsonText is written as it is only when results reach the wire unchanged
  // (no transformer such as superjson reshapes them).
  const probe = {};
  const writesResultsAsTheyAre = config.transformer.output.serialize(probe) === probe;

  /** The response body, from JSON text a procedure returned when it can be used as it is. */
  function bodyOf(json: TRPCResponse): string {
    if (writesResultsAsTheyAre && "result" in json && json.result.data instanceof JsonText) {
      return `{"result":{"data":${json.result.data.text}}}`;
    }
    return JSON.stringify(transformTRPCResponse(config, json));
  }

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    call: { path: string; input: unknown; headers: Headers },
  ): Promise<void> {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    const requestLog = log.child({ reqId: requestId });
    const { path, input } = call;
    const resHeaders = new Headers();
    let status = 500;
    try {
      const ctx = await options.createContext({
        requestId,
        log: requestLog,
        headers: call.headers,
        resHeaders,
        peer: req.socket.remoteAddress,
      });
      const procedureCall: AnyProcedureCall = {
        router,
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
        json = { result: { data: await callTRPCProcedure(procedureCall) } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        errors.push(error);
        logFailure(error, path, ctx);
        json = { error: getTRPCErrorShape({ config, error, type: "query", path, input, ctx }) };
      }
      const headers: Record<string, string | string[]> = {
        vary: "trpc-accept, accept",
        "content-type": "application/json",
        ...metaHeaders(errors, true),
      };
      for (const [name, value] of resHeaders) {
        const previous = headers[name];
        headers[name] = previous === undefined ? value : [previous, value].flat();
      }
      const body = bodyOf(json);
      status = getHTTPStatusCode(json);
      res.writeHead(status, {
        ...SERVICE_SECURITY_HEADERS,
        ...headers,
        "x-request-id": requestId,
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    } catch (error) {
      // As the Hono app's onError answers: never a stack, always JSON.
      requestLog.error({ err: error }, "unhandled error");
      status = 500;
      if (!res.headersSent) {
        const body = JSON.stringify({ message: "Internal server error", request_id: requestId });
        res.writeHead(500, {
          "content-type": "application/json",
          ...SERVICE_SECURITY_HEADERS,
          "x-request-id": requestId,
          "content-length": Buffer.byteLength(body),
        });
        res.end(body);
      } else res.destroy();
    }
    logAccess(requestLog, {
      method: "GET",
      path: `${prefix}${path}`,
      status,
      ms: elapsedMs(started),
    });
  }

  return function singleQuery(req, res) {
    if (req.method !== "GET") return false;
    const url = req.url ?? "";
    if (!url.startsWith(prefix)) return false;
    const queryAt = url.indexOf("?", prefix.length);
    const path = url.slice(prefix.length, queryAt === -1 ? undefined : queryAt);
    if (!PROCEDURE_PATH.test(path) || !Object.hasOwn(procedures, path)) return false;
    if (procedures[path]?._def.type !== "query") return false;
    if (req.headers["trpc-accept"] !== undefined || req.headers.accept === "application/jsonl") {
      return false;
    }
    let input: unknown;
    try {
      const query = new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1));
      let inputs = 0;
      for (const key of query.keys()) {
        if (key !== "input" || ++inputs > 1) return false;
      }
      const rawInput = query.get("input");
      input = config.transformer.input.deserialize(
        rawInput === null ? undefined : JSON.parse(rawInput),
      );
    } catch {
      return false;
    }
    void answer(req, res, { path, input, headers: new RequestHeaders(req.rawHeaders) });
    return true;
  };
}
