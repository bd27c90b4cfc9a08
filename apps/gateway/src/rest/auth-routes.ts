import { MAX_TOKEN_LENGTH } from "@shop/auth-kit";
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
      // No token that long verifies, and it would not fit the GET that carries it to auth.
      if (token.length > MAX_TOKEN_LENGTH) {
        return c.json({ valid: false, message: "Token is not a compact JWS" });
      }
      return c.json(await call(clients.auth.verify.query({ token }, forward(c.get("forward")))));
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
