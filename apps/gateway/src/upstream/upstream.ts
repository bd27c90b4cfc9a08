import type { IncomingHttpHeaders } from "node:http";
import { TIMEOUT_HEADER } from "@shop/kit";
import { classifyUpstreamError, isConnectError, UpstreamError } from "./errors.js";
import { createReplicaSet, type ReplicaSet, type ReplicaSetOptions } from "./replicas.js";

/** A buffered call to a service (REST surface, health, JWKS): small bodies only. */
export interface UpstreamRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Overrides the upstream's default timeout (health checks use a shorter one). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A buffered answer. */
export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One service behind the gateway: its replicas, its timeout, and a buffered call. */
export interface Upstream {
  readonly name: string;
  readonly replicas: ReplicaSet;
  readonly timeoutMs: number;
  /** Sends a call; throws UpstreamError when no replica could answer in time. */
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface UpstreamOptions extends ReplicaSetOptions {
  timeoutMs: number;
}

export function createUpstream(
  name: string,
  urls: readonly string[],
  options: UpstreamOptions,
): Upstream {
  const replicas = createReplicaSet(name, urls, options);

  async function sendOnce(
    request: UpstreamRequest,
    attemptsLeft: number,
  ): Promise<UpstreamResponse> {
    const replica = replicas.pick();
    const timeoutMs = request.timeoutMs ?? options.timeoutMs;
    try {
      const response = await replica.pool.request({
        method: request.method,
        path: request.path,
        // How long the gateway will wait: auth bounds its own call to users by it.
        headers: { ...request.headers, [TIMEOUT_HEADER]: String(timeoutMs) },
        body: request.body ?? null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: request.signal,
      });
      const body = await response.body.text();
      replicas.restore(replica);
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      const failure = classifyUpstreamError(error);
      if (failure === null) throw error;
      replicas.eject(replica);
      // The body is a string, so a call that never reached a replica can go to another.
      if (attemptsLeft > 0 && isConnectError(error)) return sendOnce(request, attemptsLeft - 1);
      throw new UpstreamError(name, failure, { cause: error });
    }
  }

  return {
    name,
    replicas,
    timeoutMs: options.timeoutMs,
    send: (request) => sendOnce(request, replicas.replicas.length - 1),
    close: () => replicas.close(),
  };
}
