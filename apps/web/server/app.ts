import { accessLog, type Logger, requestContext, type ServiceEnv } from "@shop/kit";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { Config } from "./env.js";
import { gatewayProxy } from "./proxy.js";
import { serveSpa } from "./spa.js";
import type { StaticFile } from "./static-files.js";

/** The paths the gateway answers; everything else is the SPA. */
export const FORWARDED_PATHS = ["/trpc/*", "/gateway/*", "/health"] as const;

/**
 * The web server: the SPA and the API on one origin, so the refresh cookie is
 * first-party and SameSite=Strict, and the CSP can say `connect-src 'self'`.
 */
export function createWebApp(config: Config, log: Logger, files: ReadonlyMap<string, StaticFile>) {
  const app = new Hono<ServiceEnv>();
  app.use(requestContext(log));
  app.use(accessLog());
  app.use(
    secureHeaders({
      // Token safety: no inline or foreign script can run to read the access token.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      strictTransportSecurity: config.hsts ? "max-age=63072000; includeSubDomains" : false,
      xFrameOptions: "DENY",
      referrerPolicy: "no-referrer",
      crossOriginOpenerPolicy: "same-origin",
      crossOriginResourcePolicy: "same-origin",
      permissionsPolicy: {
        camera: [],
        microphone: [],
        geolocation: [],
        payment: [],
        usb: [],
      },
    }),
  );

  const forward = gatewayProxy({ target: config.gatewayUrl, timeoutMs: config.upstreamTimeoutMs });
  for (const path of FORWARDED_PATHS) app.all(path, forward);
  app.on(["GET", "HEAD"], "*", serveSpa(files));
  app.notFound((c) => c.json({ message: "Not found" }, 404));
  app.onError((error, c) => {
    c.var.log.error({ err: error }, "unhandled error");
    return c.json({ message: "Internal server error", request_id: c.var.requestId }, 500);
  });
  return app;
}
