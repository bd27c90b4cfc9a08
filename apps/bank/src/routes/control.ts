import type { IncomingMessage } from "node:http";
import { AppError, LOOPBACK, peerAddress, type ServiceEnv } from "@shop/kit";
import { Hono } from "hono";
import { type FaultBoard, faultUpdateSchema } from "../domain/faults.js";
import { jsonBody } from "./parse.js";

/**
 * `/control`: read, set and clear the injected faults (test-double only). It
 * has no credentials, so it answers only a caller on this machine: a bank
 * started with a wider HOST still keeps its faults to itself (403).
 */
export function controlRoutes(faults: FaultBoard) {
  const routes = new Hono<ServiceEnv & { Bindings: { incoming?: IncomingMessage } }>();

  // "/control/*" covers "/control" itself too.
  routes.use("/control/*", async (c, next) => {
    if (!LOOPBACK.has(peerAddress(c.env?.incoming?.socket.remoteAddress))) {
      throw new AppError("FORBIDDEN", "The control route answers only on this machine");
    }
    await next();
  });

  routes.get("/control", (c) => c.json(faults.view()));

  routes.post("/control", async (c) => {
    const update = await jsonBody(c, faultUpdateSchema);
    faults.update(update);
    c.var.log.warn({ faults: faults.view() }, "bank faults changed");
    return c.json(faults.view());
  });

  routes.post("/control/reset", (c) => {
    faults.reset();
    c.var.log.info("bank faults cleared");
    return c.json(faults.view());
  });

  return routes;
}
