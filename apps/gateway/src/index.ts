import { createLogger, listenFailure } from "@shop/kit";
import { createApp } from "./app.js";
import { loadConfig } from "./env.js";
import { listenGateway } from "./server.js";

const config = loadConfig();
const log = createLogger({ service: "gateway", level: config.logLevel, format: config.logFormat });
const gateway = await createApp(config, log);

process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));
process.on("uncaughtException", (error) => {
  log.fatal({ err: error }, "uncaught exception, exiting");
  process.exit(1);
});

let running: Awaited<ReturnType<typeof listenGateway>>;
try {
  running = await listenGateway(gateway.listener, { port: config.port, host: config.host });
} catch (error) {
  log.fatal(listenFailure(error, config.host, config.port));
  process.exit(1);
}
log.info(`listening on ${running.url}`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info(`${signal}: shutting down`);
  await running.close();
  await gateway.close();
  process.exit(0);
}
process.once("SIGINT", () => void stop("SIGINT"));
process.once("SIGTERM", () => void stop("SIGTERM"));
