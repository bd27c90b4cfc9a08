import { z } from "zod";
import { listUsers } from "../domain/users.js";
import { adminProcedure } from "../trpc.js";

/** Admin: one page of users, optionally filtered by username or email. */
export const listProcedure = adminProcedure
  .input(
    z
      .object({
        search: z.string().max(64).optional(),
        limit: z.int().min(1).max(100).default(20),
        offset: z.int().min(0).max(1_000_000).default(0),
      })
      .default({ limit: 20, offset: 0 }),
  )
  .query(({ ctx, input }) => listUsers(ctx.deps.db, input));
