import { createLogger, runService, startOrExit } from "@shop/kit";
import { createApp } from "./app.js";
import { loadConfig } from "./env.js";

const config = loadConfig();
const log = createLogger({
  service: "bank",
  level: config.logLevel,
  format: config.logFormat ?? (config.nodeEnv === "production" ? "json" : "pretty"),
});
const { app, close } = await startOrExit(log, () => createApp(config, log));
log.info({ faults: config.faults }, "bank stand-in: a test double, not a payment provider");
await runService({ app, port: config.port, host: config.host, log, onShutdown: close });
