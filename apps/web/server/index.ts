import { createLogger, runService, startOrExit } from "@shop/kit";
import { createWebApp } from "./app.js";
import { loadConfig } from "./env.js";
import { loadStaticFiles } from "./static-files.js";

const config = loadConfig();
const log = createLogger({ service: "web", level: config.logLevel, format: config.logFormat });
const files = await startOrExit(log, async () => loadStaticFiles(config.staticDir));
log.info({ files: files.size, gateway: config.gatewayUrl.origin }, "serving the SPA");
await runService({
  app: createWebApp(config, log, files),
  port: config.port,
  host: config.host,
  log,
});
