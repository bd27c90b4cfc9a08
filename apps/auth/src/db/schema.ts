import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Times are epoch milliseconds in plain integers: compared in SQL (expiry,
// grace windows, backoff) without conversions, and exact to the millisecond.

/**
 * Signing keys. A key is published (JWKS) from creation until `retires_at`, signs
 * from `activates_at` until a newer key activates. `private_jwk` is null for a key
 * that came from AUTH_PRIVATE_KEY (only its public half is recorded, so it stays
 * published after the env changes) and is wiped once the key retires.
 */
export const signingKeys = sqliteTable("signing_keys", {
  /** RFC 7638 thumbprint of the public key. */
  kid: text().primaryKey(),
  publicJwk: text({ mode: "json" }).$type<Record<string, string>>().notNull(),
  privateJwk: text({ mode: "json" }).$type<Record<string, string>>(),
  createdAt: integer().notNull(),
  activatesAt: integer().notNull(),
  retiresAt: integer(),
});

/** A session: the family of refresh tokens started by one login. */
export const refreshFamilies = sqliteTable(
  "refresh_families",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer().notNull(),
    createdAt: integer().notNull(),
    /** Login + 7 days; rotation never extends it. */
    expiresAt: integer().notNull(),
    lastUsedAt: integer().notNull(),
    /**
     * The account's passwordChangedAt (users' clock) seen at login. A refresh
     * compares it with the current one for equality, never auth's clock with
     * users' clock. Null for sessions begun before this column existed.
     */
    passwordStamp: integer(),
    /**
     * The account's sessionStamp seen at login; users bumps it on each disable,
     * so a disabled then re-enabled account's old sessions never refresh again.
     * Null for sessions begun before this column existed (read as 0, the default).
     */
    sessionStamp: integer(),
    revokedAt: integer(),
    revokeReason: text({
      enum: ["logout", "logout_everywhere", "revoked", "reuse", "account", "session_limit"],
    }),
    userAgent: text(),
    ipAddress: text(),
  },
  (t) => [
    index("refresh_families_user_idx").on(t.userId, t.revokedAt),
    index("refresh_families_expires_idx").on(t.expiresAt),
  ],
);

/** One refresh token; only its SHA-256 is kept, never the token itself. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    familyId: integer()
      .notNull()
      .references(() => refreshFamilies.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    parentId: integer(),
    createdAt: integer().notNull(),
    /** Set once, atomically, by the redemption that rotated this token. */
    usedAt: integer(),
    successorId: integer(),
    /**
     * The successor token, AES-256-GCM under a key derived from this token's raw
     * value: lets a racing second redemption (another tab) get the same successor,
     * while the database alone holds nothing usable.
     */
    successorSealed: text(),
    /** jti of the access token issued with this token: tells `sessions` which one is current. */
    accessJti: text(),
  },
  (t) => [
    index("refresh_tokens_family_idx").on(t.familyId),
    index("refresh_tokens_access_jti_idx").on(t.accessJti),
  ],
);

/**
 * Login throttling counters, one row per account (`account:<name>`) or client
 * address (`address:<ip>`). Kept in the database so a restart does not reset them.
 */
export const loginThrottles = sqliteTable(
  "login_throttles",
  {
    key: text().primaryKey(),
    failures: integer().notNull(),
    lastFailureAt: integer().notNull(),
    blockedUntil: integer().notNull(),
  },
  (t) => [index("login_throttles_last_failure_idx").on(t.lastFailureAt)],
);

export const AUDIT_KINDS = [
  "login_succeeded",
  "login_failed",
  "login_throttled",
  "refresh_reuse_detected",
  "refresh_denied",
  "logout",
  "logout_everywhere",
  "session_revoked",
  "authorization_denied",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Security events an admin can list; append-only. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    kind: text({ enum: AUDIT_KINDS }).notNull(),
    /** Null when the account is unknown (a failed login for a name that does not exist). */
    userId: integer(),
    /** As typed at login, so failures against unknown names are visible too. */
    username: text(),
    ipAddress: text(),
    details: text({ mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer().notNull(),
  },
  (t) => [
    index("audit_events_user_idx").on(t.userId, t.id),
    index("audit_events_kind_idx").on(t.kind, t.id),
  ],
);
