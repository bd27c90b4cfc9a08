import type { AccessVerifier } from "@shop/auth-kit";
import { Hono } from "hono";
import type { AuthLimits } from "../edge/auth-limits.js";
import { authRoutes } from "./auth-routes.js";
import type { ServiceClients } from "./clients.js";
import { forwarding, type RestEnv, requireCaller } from "./context.js";
import { ordersRoutes } from "./orders-routes.js";
import { mountReads, type RestRead } from "./reads.js";
import { usersRoutes } from "./users-routes.js";

/** The REST surface of CONTRACT.md, mounted at `/gateway`. */
export function restRoutes(options: {
  clients: ServiceClients;
  /** The reads, served here too when the read route below Hono is off or declines. */
  reads: readonly RestRead[];
  verifier: AccessVerifier;
  limits: AuthLimits;
  trustedProxies: ReadonlySet<string>;
  /** Largest JSON body a route reads. */
  bodyLimitBytes: number;
}) {
  const protect = requireCaller(options.verifier);
  const app = new Hono<RestEnv>();
  app.use(forwarding(options.trustedProxies, options.bodyLimitBytes));
  app.route("/auth", authRoutes(options.clients, options.limits));
  app.use("/users/*", protect);
  app.use("/users", protect);
  app.use("/products", protect);
  app.use("/orders/*", protect);
  app.use("/orders", protect);
  app.use("/payments/*", protect);
  mountReads(app, options.reads);
  app.route("/users", usersRoutes(options.clients));
  app.route("/", ordersRoutes(options.clients));
  return app;
}
