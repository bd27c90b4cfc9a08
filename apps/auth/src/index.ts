import { createLogger, runService } from "@shop/kit";
import { createApp } from "./app.js";
import { loadConfig } from "./env.js";

const config = loadConfig();
const log = createLogger({
  service: "auth",
  level: config.logLevel,
  format: config.logFormat ?? (config.nodeEnv === "production" ? "json" : "pretty"),
});
let started: Awaited<ReturnType<typeof createApp>>;
try {
  started = await createApp(config, log);
} catch (error) {
  log.fatal({ err: error }, "auth cannot start");
  process.exit(1);
}
await runService({
  app: started.app,
  port: config.port,
  host: config.host,
  log,
  onShutdown: started.close,
});
