import { z } from "zod";
import { isBrowser, tokenPairResponse } from "../browser.js";
import { login } from "../domain/login.js";
import { publicProcedure } from "../trpc.js";

export const loginInputSchema = z.object({
  // No control characters: SQLite text stops at a NUL, so "user1\u0000x" would
  // be audited as a failed login of "user1" (log forging). No account has one.
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}]+$/u, "Username must not contain control characters"),
  // A lone UTF-16 surrogate becomes U+FFFD when users hashes the password, so
  // passwords differing only there would be interchangeable: refused at the edge.
  password: z
    .string()
    .min(1)
    .max(1024)
    .refine(
      (password) => !/\p{Cs}/u.test(password),
      "Password is not valid Unicode (it has a lone surrogate)",
    ),
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
