import { randomUUID } from "node:crypto";
import { ACCESS_TOKEN_TYP, SIGNING_ALG, USER_AUDIENCES } from "@shop/auth-kit";
import type { MintOptions } from "@shop/auth-kit/testing";
import { type Logger, listen } from "@shop/kit";
import { silentLogger, tempDataDir } from "@shop/kit/testing";
import { startUsersForTest, type UsersForTest } from "@shop/users/testing";
import { SignJWT } from "jose";
import { createApp } from "./app.js";
import { type Config, configFromEnv, envSchema } from "./env.js";

/** Options of {@link startAuthForTest}. */
export interface AuthTestOptions {
  /**
   * Start the real users service in-process, wired to this auth (its JWKS and
   * issuer), with the seeded accounts; default true. With false, point auth at
   * a users service later with `useUserService(url)`.
   */
  startUsers?: boolean;
  /** Reuse a DATA_DIR (a restart, two instances on one file); default a fresh temp dir. */
  dataDir?: string;
  log?: Logger;
  /** Anything else to override in the config. */
  config?: Partial<Config>;
}

/** An auth service running in-process on 127.0.0.1. */
export interface AuthForTest {
  url: string;
  jwksUrl: string;
  config: Config;
  /** The in-process users service, when started. */
  users: UsersForTest | null;
  /** Points auth at another users service (read at each call). */
  useUserService(url: string): void;
  /**
   * Signs an access token with auth's live signing key. Defaults make a valid
   * token for the seeded user1 (id 2); each option overrides one thing (for
   * expired, wrong-aud, wrong-typ... tokens signed with the real key).
   */
  signAccessToken(options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the real auth service (real HTTP, real libSQL file) on a free port.
 * `close` stops it (and its users service) and removes the temp DATA_DIR it made.
 */
export async function startAuthForTest(options: AuthTestOptions = {}): Promise<AuthForTest> {
  const temp = options.dataDir ? null : tempDataDir("shop-auth-");
  const config: Config = {
    ...configFromEnv(
      envSchema.parse({ NODE_ENV: "test", PORT: "0", DATA_DIR: options.dataDir ?? temp!.dir }),
    ),
    ...options.config,
  };
  const log = options.log ?? silentLogger;
  const { app, deps, close } = await createApp(config, log);
  const server = await listen(app, { port: 0, host: "127.0.0.1" });
  const jwksUrl = `${server.url}/.well-known/jwks.json`;
  let users: UsersForTest | null = null;
  if (options.startUsers ?? true) {
    users = await startUsersForTest({ jwksUrl, issuer: config.issuer, log });
    config.userServiceUrl = users.url;
  }

  async function signAccessToken(o: MintOptions = {}): Promise<string> {
    const { kid, key } = await deps.keys.signingKey();
    const iat = o.iat ?? Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      username: o.username ?? "user1",
      role: o.role ?? "user",
      ...o.extraClaims,
    };
    if (o.nbf !== undefined) claims.nbf = o.nbf;
    return new SignJWT(claims)
      .setProtectedHeader({
        alg: SIGNING_ALG,
        // An explicit `typ: undefined` means "no typ header", not "the default".
        typ: "typ" in o ? o.typ : ACCESS_TOKEN_TYP,
        kid: o.kid ?? kid,
        ...o.extraHeader,
      })
      .setIssuer(o.iss ?? config.issuer)
      .setAudience(o.aud ?? [...USER_AUDIENCES])
      .setSubject(o.sub ?? "2")
      .setJti(o.jti ?? randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(o.exp ?? iat + config.accessTokenTtlS)
      .sign(o.key ?? key);
  }

  return {
    url: server.url,
    jwksUrl,
    config,
    get users() {
      return users;
    },
    useUserService(url) {
      config.userServiceUrl = url.replace(/\/+$/, "");
    },
    signAccessToken,
    async close() {
      await users?.close();
      await server.close();
      await close();
      temp?.cleanup();
    },
  };
}
