import { TokenError } from "@shop/auth-kit";
import { z } from "zod";
import { publicProcedure } from "../trpc.js";

export const verifyInputSchema = z.object({ token: z.string().min(1).max(8192) });

/** Whether an access token is valid, by the same verifier every service uses. */
export const verifyProcedure = publicProcedure
  .input(verifyInputSchema)
  .query(async ({ ctx, input }) => {
    try {
      const payload = await ctx.deps.verifier.verifyClaims(input.token);
      return {
        valid: true as const,
        user: { id: Number(payload.sub), username: payload.username, role: payload.role },
        payload,
      };
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      // Expired is what a client acts on (refresh); which other check failed
      // would only teach someone crafting tokens, so it goes to the log.
      if (error.reason === "expired") return { valid: false as const, message: error.message };
      ctx.log.info({ reason: error.reason }, "verify: token refused");
      return { valid: false as const, message: "Token is invalid" };
    }
  });
