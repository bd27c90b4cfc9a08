import { createRateLimiter, type RateDecision, type RateLimiter } from "./rate-limit.js";

/** The per-address budgets of login and refresh, shared by REST and tRPC. */
export interface AuthLimits {
  login: RateLimiter;
  refresh: RateLimiter;
}

const UNLIMITED: RateLimiter = { take: () => ({ allowed: true }) };

export function createAuthLimits(options: {
  loginPerMinute: number;
  refreshPerMinute: number;
  disabled?: boolean;
}): AuthLimits {
  if (options.disabled) return { login: UNLIMITED, refresh: UNLIMITED };
  return {
    login: createRateLimiter({ limit: options.loginPerMinute, windowMs: 60_000 }),
    refresh: createRateLimiter({ limit: options.refreshPerMinute, windowMs: 60_000 }),
  };
}

/** Spends `logins` and `refreshes` calls of `address`'s budgets. */
export function takeAuthBudget(
  limits: AuthLimits,
  address: string,
  logins: number,
  refreshes: number,
): RateDecision {
  if (logins > 0) {
    const decision = limits.login.take(address, logins);
    if (!decision.allowed) return decision;
  }
  if (refreshes > 0) return limits.refresh.take(address, refreshes);
  return { allowed: true };
}
