import { createLogger, runService, startOrExit } from "@shop/kit";
import { createApp } from "./app.js";
import { loadConfig } from "./env.js";

const config = loadConfig();
const log = createLogger({
  service: "auth",
  level: config.logLevel,
  format: config.logFormat ?? (config.nodeEnv === "production" ? "json" : "pretty"),
});
const started = await startOrExit(log, () => createApp(config, log));
await runService({
  app: started.app,
  port: config.port,
  host: config.host,
  log,
  onShutdown: started.close,
});
