import { AppError } from "@shop/kit";
import { z } from "zod";
import {
  clearRefreshCookie,
  isBrowser,
  presentedRefreshToken,
  tokenPairResponse,
} from "../browser.js";
import { refresh } from "../domain/refresh.js";
import { publicProcedure } from "../trpc.js";

export const refreshInputSchema = z
  .object({ refreshToken: z.string().min(1).max(256).optional() })
  .optional();

/** A refresh token (body, or the browser's cookie) for a new pair; the token rotates. */
export const refreshProcedure = publicProcedure
  .input(refreshInputSchema)
  .mutation(async ({ ctx, input }) => {
    const { config } = ctx.deps;
    const browser = isBrowser(ctx.headers, config.allowedOrigins);
    const token = presentedRefreshToken(ctx, input?.refreshToken, browser);
    if (token === null) throw new AppError("UNAUTHORIZED", "Refresh token required");
    try {
      const pair = await refresh(ctx.deps, token, { ...ctx, ipAddress: ctx.clientAddress });
      return tokenPairResponse(ctx, pair, browser, config.cookieSecure);
    } catch (error) {
      // A dead cookie is dropped, so the browser stops sending it.
      if (browser && error instanceof AppError && error.code === "UNAUTHORIZED") {
        clearRefreshCookie(ctx.resHeaders, config.cookieSecure);
      }
      throw error;
    }
  });
