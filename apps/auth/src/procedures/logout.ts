import { z } from "zod";
import { clearRefreshCookie, isBrowser, presentedRefreshToken } from "../browser.js";
import { logout } from "../domain/logout.js";
import { publicProcedure } from "../trpc.js";

export const logoutInputSchema = z
  .object({ refreshToken: z.string().min(1).max(256).optional() })
  .optional();

/** Ends the session of a refresh token (body or cookie); an unknown token still answers 200. */
export const logoutProcedure = publicProcedure
  .input(logoutInputSchema)
  .mutation(async ({ ctx, input }) => {
    const { config } = ctx.deps;
    const browser = isBrowser(ctx.headers, config.allowedOrigins);
    const token = presentedRefreshToken(ctx, input?.refreshToken, browser);
    if (token !== null) await logout(ctx.deps, token, ctx.clientAddress);
    if (browser) clearRefreshCookie(ctx.resHeaders, config.cookieSecure);
    return { message: "Logged out" };
  });
