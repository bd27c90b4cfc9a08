import { createLogger, runService, startOrExit } from "@shop/kit";
import { createApp } from "./app.js";
import { loadConfig } from "./env.js";

const config = loadConfig();
const log = createLogger({ service: "users", level: config.logLevel, format: config.logFormat });
const { app, close } = await startOrExit(log, () => createApp(config, log));
await runService({ app, port: config.port, host: config.host, log, onShutdown: close });
