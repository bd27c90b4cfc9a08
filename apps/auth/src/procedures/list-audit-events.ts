import { z } from "zod";
import { AUDIT_KINDS } from "../db/schema.js";
import { listAudit } from "../domain/audit.js";
import { confirmedAdminProcedure } from "../trpc.js";

export const auditInputSchema = z
  .object({
    userId: z.int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    kind: z.enum(AUDIT_KINDS).optional(),
    limit: z.int().min(1).max(100).default(50),
    cursor: z.int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .default({ limit: 50 });

/** Security events, newest first, filterable by user and kind (an admin, as users says now). */
export const auditProcedure = confirmedAdminProcedure
  .input(auditInputSchema)
  .query(({ ctx, input }) => listAudit(ctx.deps.db, input));
