import type { Caller } from "@shop/auth-kit";
import { AppError } from "@shop/kit";
import { recordAudit } from "./audit.js";
import type { AuthDeps } from "./deps.js";
import type { CallContext } from "./users-client.js";

/** Why an admin-only call was refused: the token's role, or the account as users sees it now. */
type DenialReason = "role" | "not_admin_now";

async function deny(
  deps: AuthDeps,
  caller: Caller,
  call: CallContext & { ipAddress: string; path: string },
  reason: DenialReason,
): Promise<never> {
  call.log.warn(
    { event: "authorization_denied", userId: caller.id, path: call.path, reason },
    "admin procedure denied",
  );
  // Refused every time, but recorded once per window: a signed-in user
  // repeating the call must not grow the audit table at will.
  if (deps.deniedAudit.first(JSON.stringify([caller.id, call.path, reason]), deps.now())) {
    await recordAudit(deps.db, {
      kind: "authorization_denied",
      userId: caller.id,
      username: caller.username,
      ipAddress: call.ipAddress,
      details: { path: call.path, reason },
    });
  }
  throw new AppError("FORBIDDEN", "Administrator role required");
}

/**
 * Lets an admin-only call go on only if the token says admin and the users
 * service confirms the account is, now, an enabled admin (the token's claim
 * may be up to its lifetime old). Refusals are audited, once per user, path
 * and reason per window; users unreachable is a 503, never a pass.
 */
export async function confirmAdmin(
  deps: AuthDeps,
  caller: Caller,
  call: CallContext & { ipAddress: string; path: string },
): Promise<void> {
  if (caller.role !== "admin") await deny(deps, caller, call, "role");
  const status = await deps.users.accountStatus(caller.id, call);
  if (!status || status.disabled || status.role !== "admin") {
    await deny(deps, caller, call, "not_admin_now");
  }
}
