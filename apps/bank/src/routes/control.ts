import type { ServiceEnv } from "@shop/kit";
import { Hono } from "hono";
import { type FaultBoard, faultUpdateSchema } from "../domain/faults.js";
import { jsonBody } from "./parse.js";

/** `/control`: read, set and clear the injected faults (test-double only). */
export function controlRoutes(faults: FaultBoard) {
  const routes = new Hono<ServiceEnv>();

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
