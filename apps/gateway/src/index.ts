import { createLogger, runService, startOrExit } from "@shop/kit";
import { createApp } from "./app.js";
import { loadConfig } from "./env.js";
import { listenGateway } from "./server.js";

const config = loadConfig();
const log = createLogger({ service: "gateway", level: config.logLevel, format: config.logFormat });
const gateway = await startOrExit(log, () => createApp(config, log));

await runService({
  start: (address) => listenGateway(gateway.listener, address),
  port: config.port,
  host: config.host,
  log,
  onShutdown: () => gateway.close(),
});
