import { defineConfig } from "drizzle-kit";

// One config for every service: `SERVICE=orders npx drizzle-kit generate --name add-payments`.
// Each service owns its schema and its numbered migrations under apps/<service>/drizzle.
const services = ["auth", "users", "orders", "bank"] as const;
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by drizzle-kit, which turbo never runs
const service = process.env.SERVICE as (typeof services)[number] | undefined;
if (!service || !services.includes(service)) {
  throw new Error(`Set SERVICE to one of: ${services.join(", ")}`);
}

export default defineConfig({
  dialect: "sqlite",
  schema: `./apps/${service}/src/db/schema.ts`,
  out: `./apps/${service}/drizzle`,
  dbCredentials: { url: `file:./data/${service}.db` },
  casing: "snake_case",
});
