import type { AccessVerifier } from "@shop/auth-kit";
import type { AuthDb } from "../db/index.js";
import type { Config } from "../env.js";
import type { KeyStore } from "./keys/index.js";
import type { OncePerWindow } from "./once-per-window.js";
import type { LoginThrottle } from "./throttle.js";
import type { UsersClient } from "./users-client.js";

/** Everything procedures and domain flows share; built once in app.ts. */
export interface AuthDeps {
  db: AuthDb;
  config: Config;
  keys: KeyStore;
  users: UsersClient;
  throttle: LoginThrottle;
  /** Which refused admin-only calls to audit: one per user, path and reason per window. */
  deniedAudit: OncePerWindow;
  /** Auth's own access-token verifier: the shared policy, audience shop:auth. */
  verifier: AccessVerifier;
  now: () => number;
}
