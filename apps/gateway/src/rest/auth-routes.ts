import { isCompactJws } from "@shop/auth-kit";
import { AppError } from "@shop/kit";
import { Hono } from "hono";
import { type AuthLimits, takeAuthBudget } from "../edge/auth-limits.js";
import { forward, type ServiceClients } from "./clients.js";
import { jsonBody, type RestEnv } from "./context.js";
import { call } from "./errors.js";
import { stringField } from "./fields.js";
import { restTokens, restUser } from "./shapes.js";

function spend(limits: AuthLimits, address: string, logins: number, refreshes: number): void {
  const decision = takeAuthBudget(limits, address, logins, refreshes);
  if (!decision.allowed) {
    throw new AppError("TOO_MANY_REQUESTS", "Too many attempts, try again later", {
      retryAfterSeconds: decision.retryAfterS,
    });
  }
}

const INVALID = "Token is invalid";

/** The token's user as users has it; null when users no longer accepts the token or knows the user. */
async function userOf(clients: ServiceClients, headers: Record<string, string>) {
  try {
    return await call(clients.users.me.query(undefined, forward(headers)));
  } catch (error) {
    if (error instanceof AppError && [401, 403, 404].includes(error.status)) return null;
    throw error;
  }
}

/** `/gateway/auth/*`: no token needed; login and refresh share the relay's per-address budget. */
export function authRoutes(clients: ServiceClients, limits: AuthLimits) {
  return new Hono<RestEnv>()
    .post("/login", async (c) => {
      const body = await jsonBody(c);
      const username = stringField(body, "username");
      const password = stringField(body, "password");
      spend(limits, c.get("clientAddress"), 1, 0);
      const session = await call(
        clients.auth.login.mutate({ username, password }, forward(c.get("forward"))),
      );
      return c.json({
        ...restTokens(session),
        user: restUser(session.user),
        message: "Login successful",
      });
    })
    .post("/verify", async (c) => {
      const token = stringField(await jsonBody(c), "token");
      // Nothing else verifies, and a long or non-ASCII one may not fit the GET
      // that carries it to auth (a 400 then, where CONTRACT says valid: false).
      if (!isCompactJws(token)) return c.json({ valid: false, message: INVALID });
      const answer = await call(clients.auth.verify.query({ token }, forward(c.get("forward"))));
      if (!answer.valid) return c.json(answer);
      // The token's claims name the user; CONTRACT's user object also has
      // email and created_at, which only the users service knows.
      const headers = { ...c.get("forward"), authorization: `Bearer ${token}` };
      const user = await userOf(clients, headers);
      if (!user) return c.json({ valid: false, message: INVALID });
      return c.json({ valid: true, user: restUser(user), payload: answer.payload });
    })
    .post("/refresh", async (c) => {
      const refreshToken = stringField(await jsonBody(c), "refresh_token");
      spend(limits, c.get("clientAddress"), 0, 1);
      const pair = await call(
        clients.auth.refresh.mutate({ refreshToken }, forward(c.get("forward"))),
      );
      return c.json({ ...restTokens(pair), message: "Token refreshed" });
    })
    .post("/logout", async (c) => {
      const refreshToken = stringField(await jsonBody(c), "refresh_token");
      const result = await call(
        clients.auth.logout.mutate({ refreshToken }, forward(c.get("forward"))),
      );
      return c.json({ message: result.message });
    });
}
