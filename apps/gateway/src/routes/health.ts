import type { ServiceEnv } from "@shop/kit";
import { Hono } from "hono";
import type { Upstream } from "../upstream/upstream.js";

/** The upstreams `/health` reports on, under the names the seed's clients read. */
export interface HealthTargets {
  auth_service: Upstream;
  user_service: Upstream;
  orders_service: Upstream;
}

type Check = { status: "healthy" | "unhealthy"; latency_ms: number };

async function check(upstream: Upstream, timeoutMs: number, requestId: string): Promise<Check> {
  const started = performance.now();
  let healthy = false;
  try {
    const response = await upstream.send({
      method: "GET",
      path: "/health",
      headers: { "x-request-id": requestId },
      timeoutMs,
    });
    healthy = response.status === 200;
  } catch {
    healthy = false;
  }
  const latency_ms = Math.round((performance.now() - started) * 10) / 10;
  return { status: healthy ? "healthy" : "unhealthy", latency_ms };
}

/**
 * `GET /health`: the gateway and each service it fronts (status and latency),
 * checked in parallel; 503 when any is down, so a load balancer can tell.
 */
export function healthRoute(options: { port: number; targets: HealthTargets; timeoutMs: number }) {
  const entries = Object.entries(options.targets) as [keyof HealthTargets, Upstream][];
  return new Hono<ServiceEnv>().get("/health", async (c) => {
    const results = await Promise.all(
      entries.map(([, upstream]) => check(upstream, options.timeoutMs, c.get("requestId"))),
    );
    const services: Record<string, Check["status"]> = {};
    const checks: Record<string, Check> = {};
    entries.forEach(([name], i) => {
      services[name] = results[i]!.status;
      checks[name] = results[i]!;
    });
    const healthy = results.every((result) => result.status === "healthy");
    return c.json(
      {
        status: healthy ? "healthy" : "unhealthy",
        service: "gateway",
        port: options.port,
        services,
        checks,
      },
      healthy ? 200 : 503,
    );
  });
}
