import { z } from "zod";
import { isBrowser, tokenPairResponse } from "../browser.js";
import { login } from "../domain/login.js";
import { publicProcedure } from "../trpc.js";

export const loginInputSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** Username and password for a token pair; throttled per account and address. */
export const loginProcedure = publicProcedure
  .input(loginInputSchema)
  .mutation(async ({ ctx, input }) => {
    const { config } = ctx.deps;
    const browser = isBrowser(ctx.headers, config.allowedOrigins);
    const pair = await login(
      ctx.deps,
      {
        username: input.username,
        password: input.password,
        userAgent: ctx.headers.get("user-agent"),
        ipAddress: ctx.clientAddress,
      },
      ctx,
    );
    return tokenPairResponse(ctx, pair, browser, config.cookieSecure);
  });
