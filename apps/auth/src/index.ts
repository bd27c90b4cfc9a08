import { createLogger, runService } from "@shop/kit";
import { createApp } from "./app.js";
import { loadConfig } from "./env.js";

const config = loadConfig();
const log = createLogger({
  service: "auth",
  level: config.logLevel,
  format: config.logFormat ?? (config.nodeEnv === "production" ? "json" : "pretty"),
});
const { app, close } = await createApp(config, log);
await runService({ app, port: config.port, host: config.host, log, onShutdown: close });
