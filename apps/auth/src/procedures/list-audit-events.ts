import { z } from "zod";
import { AUDIT_KINDS } from "../db/schema.js";
import { listAudit } from "../domain/audit.js";
import { adminProcedure } from "../trpc.js";

export const auditInputSchema = z
  .object({
    userId: z.int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    kind: z.enum(AUDIT_KINDS).optional(),
    limit: z.int().min(1).max(100).default(50),
    cursor: z.int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .default({ limit: 50 });

/** Security events, newest first, filterable by user and kind (admin). */
export const auditProcedure = adminProcedure
  .input(auditInputSchema)
  .query(({ ctx, input }) => listAudit(ctx.deps.db, input));
