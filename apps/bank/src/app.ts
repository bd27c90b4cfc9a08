import { AppError, createServiceApp, databaseUrl, type Logger, openDatabase } from "@shop/kit";
import { sql } from "drizzle-orm";
import { HTTPException } from "hono/http-exception";
import * as schema from "./db/schema.js";
import { ChargeBook } from "./domain/charges.js";
import { FaultBoard } from "./domain/faults.js";
import type { Config } from "./env.js";
import { MIGRATIONS_FOLDER } from "./paths.js";
import { chargeRoutes } from "./routes/charges.js";
import { controlRoutes } from "./routes/control.js";

/** Builds the bank stand-in: both banks' charge routes and the fault control route. */
export async function createApp(config: Config, log: Logger) {
  const database = await openDatabase({
    url: databaseUrl("bank", config.dataDir, config.databaseUrl),
    authToken: config.databaseAuthToken,
    schema,
    migrationsFolder: MIGRATIONS_FOLDER,
    log,
  });
  const faults = new FaultBoard(config.faults);
  const book = new ChargeBook(database.db, faults);
  const interrupted = await book.failInterrupted();
  if (interrupted > 0)
    log.warn({ charges: interrupted }, "charges cut off by a crash marked failed");

  const app = createServiceApp({
    service: "bank",
    port: config.port,
    log,
    bodyLimitBytes: 8 * 1024,
    healthCheck: () => database.db.run(sql`select 1`),
  });
  app.route("/", controlRoutes(faults));
  app.route("/", chargeRoutes(book));

  // The bank speaks plain JSON, not tRPC: every error is `{message, code}`.
  app.onError((error, c) => {
    if (error instanceof AppError) {
      const code = (error.details?.code as string | undefined) ?? error.code.toLowerCase();
      return c.json({ message: error.message, code }, error.status as 400);
    }
    if (error instanceof HTTPException) {
      return c.json(
        { message: error.message || "Request failed", code: "http_error" },
        error.status,
      );
    }
    (c.var.log ?? log).error({ err: error }, "unhandled error");
    return c.json({ message: "Internal server error", code: "internal" }, 500);
  });

  return { app, book, faults, close: () => database.close() };
}
