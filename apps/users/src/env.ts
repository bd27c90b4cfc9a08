import { availableParallelism } from "node:os";
import { AUDIENCE } from "@shop/auth-kit";
import {
  booleanSchema,
  parseEnv,
  portSchema,
  unsetIfBlank,
  type VerifyingServiceConfig,
  verifyingServiceConfig,
  verifyingServiceEnvSchema,
} from "@shop/kit";
import { z } from "zod";

/** Every variable the users service reads, with the defaults of the embedded local run. */
export const envSchema = verifyingServiceEnvSchema.extend({
  PORT: portSchema.default(5002),
  /** bcrypt cost of new hashes; 10 is ~50-100 ms per hash. Tests lower it to 4. */
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(10),
  /** Worker threads that run bcrypt; 0 keeps it on the event loop. Default: one per core. */
  HASH_THREADS: z.coerce.number().int().min(0).max(64).default(availableParallelism()),
  /**
   * Seeds admin/admin123, user1/password1, maxim/maxim into an empty table.
   * Default: on, except with NODE_ENV=production (well-known passwords).
   */
  SEED_DEMO_USERS: unsetIfBlank(booleanSchema.optional()),
});
export type Env = z.infer<typeof envSchema>;

/** The users service's settings, decoupled from process.env so tests can build one. */
export interface Config extends VerifyingServiceConfig {
  audience: typeof AUDIENCE.users;
  internalAudience: typeof AUDIENCE.usersInternal;
  bcryptCost: number;
  /** Worker threads for bcrypt (0: on the event loop). */
  hashThreads: number;
  seedDemoUsers: boolean;
}

/** Maps validated env to a Config. */
export function configFromEnv(env: Env): Config {
  return {
    ...verifyingServiceConfig(env),
    audience: AUDIENCE.users,
    internalAudience: AUDIENCE.usersInternal,
    bcryptCost: env.BCRYPT_COST,
    hashThreads: env.HASH_THREADS,
    seedDemoUsers: env.SEED_DEMO_USERS ?? env.NODE_ENV !== "production",
  };
}

/** Reads and validates process.env (the only place that does), or exits with a readable message. */
export function loadConfig(): Config {
  return configFromEnv(parseEnv(envSchema, process.env));
}
